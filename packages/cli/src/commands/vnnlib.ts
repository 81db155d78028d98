/**
 * `minmax vnnlib`: decide a VNNLIB property for an ONNX network and write the VNN-COMP result
 * (`unsat` / `sat` + witness / `timeout` / `unknown`), or run every line of an instances CSV and
 * print a summary table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  createGradientModel,
  ExactVerifier,
  formatVnnlibResult,
  MinmaxError,
  parseInstancesCsv,
  parseVnnlib,
  type PropertyResult,
  type Runtime,
  type VnnlibVerdict,
} from '@minmax/core';
import { parseOptions, UsageError } from '../args.js';
import { progressBars, type ProgressReporter } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import type { Command } from './types.js';

const options = {
  onnx: { type: 'string', description: 'ONNX network' },
  vnnlib: { type: 'string', description: 'VNNLIB property' },
  instances: { type: 'string', description: "instances CSV ('onnx,vnnlib,timeout' per line, paths relative to the CSV)" },
  timeout: { type: 'number', description: 'seconds (single property; the CSV gives its own)', min: 0 },
  out: { type: 'string', description: 'result file (single property), or results CSV (instances)' },
  device: { type: 'string', description: 'execution provider for witness checks: cpu, cuda, webgpu', default: 'cpu' },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads', min: 1, integer: true },
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
} as const;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MinmaxError(code === 'ENOENT' ? `${what} not found: ${file}` : `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

interface Outcome {
  verdict: VnnlibVerdict;
  result: PropertyResult | undefined;
  seconds: number;
  error?: string;
}

async function decide(runtime: Runtime, onnx: string, vnnlib: string, timeout: number | undefined, bars: ProgressReporter): Promise<Outcome> {
  const t0 = performance.now();
  const net = loadNetwork(onnx);
  const property = parseVnnlib(readText(vnnlib, 'VNNLIB file'), { file: vnnlib });
  const model = await createGradientModel(runtime, net);
  try {
    const verifier = await ExactVerifier.create(net, { model });
    if (property.numInputs !== verifier.chain.inputSize) {
      throw new UsageError(`${vnnlib} declares ${property.numInputs} inputs, ${onnx} takes ${verifier.chain.inputSize}`);
    }
    if (property.numOutputs !== verifier.chain.outputSize) {
      throw new UsageError(`${vnnlib} declares ${property.numOutputs} outputs, ${onnx} has ${verifier.chain.outputSize}`);
    }
    const result = await verifier.checkProperty(property.cases, { ...(timeout !== undefined ? { timeout } : {}), onProgress: bars.callback });
    return { verdict: result.verdict, result, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await model.dispose();
  }
}

const resultText = (o: Outcome): string =>
  formatVnnlibResult(o.verdict === 'sat' && o.result?.witness ? { verdict: 'sat', witness: { x: o.result.witness.x, y: o.result.witness.y } } : { verdict: o.verdict === 'sat' ? 'unknown' : o.verdict });

export const vnnlibCommand: Command = {
  summary: 'decide a VNNLIB property (VNN-COMP result: unsat / sat + witness / timeout / unknown)',
  usage: '--onnx NET.onnx --vnnlib PROP.vnnlib [--timeout S] [--out RESULT] [--json]  |  --instances instances.csv [--out results.csv]',
  options,
  async run(argv) {
    const o = parseOptions('vnnlib', argv, options);
    const single = o.onnx !== undefined || o.vnnlib !== undefined;
    if (single && o.instances) throw new UsageError('use either --onnx/--vnnlib or --instances');
    if (!single && !o.instances) throw new UsageError("give --onnx and --vnnlib, or --instances (see 'minmax vnnlib --help')");
    const runtime = await nodeRuntime(parseDevice(o.device), o.threads ?? 1);
    const bars = progressBars();
    try {
      if (single) {
        if (!o.onnx || !o.vnnlib) throw new UsageError('--onnx and --vnnlib go together');
        const r = await decide(runtime, o.onnx, o.vnnlib, o.timeout, bars);
        bars.stop();
        const text = resultText(r);
        if (o.out) writeFileSync(o.out, text);
        if (o.json) {
          process.stdout.write(
            JSON.stringify({
              onnx: o.onnx,
              vnnlib: o.vnnlib,
              result: r.verdict,
              seconds: Math.round(r.seconds * 1000) / 1000,
              cases: r.result?.cases.map((c) => ({ status: c.status, by: c.by, ...(c.objective !== undefined && Number.isFinite(c.objective) ? { objective: c.objective } : {}) })),
              ...(r.result?.witness ? { witness: { case: r.result.witness.case, x: Array.from(r.result.witness.x), y: Array.from(r.result.witness.y) } } : {}),
            }) + '\n',
          );
        } else process.stdout.write(text);
        return 0;
      }
      const csv = resolve(o.instances!);
      const base = dirname(csv);
      const instances = parseInstancesCsv(readText(csv, 'instances file'), o.instances!);
      const rows: { onnx: string; vnnlib: string; timeout: number; outcome: Outcome }[] = [];
      for (const inst of instances) {
        const onnx = resolve(base, inst.onnx);
        const vnnlib = resolve(base, inst.vnnlib);
        let outcome: Outcome;
        const t0 = performance.now();
        try {
          outcome = await decide(runtime, onnx, vnnlib, inst.timeout, bars);
        } catch (e) {
          if (!(e instanceof MinmaxError)) throw e;
          outcome = { verdict: 'error', result: undefined, seconds: (performance.now() - t0) / 1000, error: e.message };
        }
        rows.push({ onnx: inst.onnx, vnnlib: inst.vnnlib, timeout: inst.timeout, outcome });
        bars.callback({ task: 'instances', done: rows.length, total: instances.length, unit: 'instances' });
      }
      bars.stop();
      if (o.out) {
        writeFileSync(o.out, ['onnx,vnnlib,result,seconds', ...rows.map((r) => `${r.onnx},${r.vnnlib},${r.outcome.verdict},${r.outcome.seconds.toFixed(3)}`)].join('\n') + '\n');
      }
      const tally: Record<string, number> = {};
      for (const r of rows) tally[r.outcome.verdict] = (tally[r.outcome.verdict] ?? 0) + 1;
      if (o.json) {
        process.stdout.write(
          JSON.stringify({
            instances: rows.map((r) => ({ onnx: r.onnx, vnnlib: r.vnnlib, timeout: r.timeout, result: r.outcome.verdict, seconds: Math.round(r.outcome.seconds * 1000) / 1000, ...(r.outcome.error ? { error: r.outcome.error } : {}) })),
            summary: tally,
          }) + '\n',
        );
        return 0;
      }
      process.stdout.write(
        table(
          ['onnx', 'vnnlib', 'timeout', 'result', 's'],
          rows.map((r) => [r.onnx, r.vnnlib, String(r.timeout), r.outcome.verdict, r.outcome.seconds.toFixed(2)]),
        ) + '\n\n',
      );
      for (const r of rows) if (r.outcome.error) process.stdout.write(`error in ${r.vnnlib}: ${r.outcome.error}\n`);
      process.stdout.write(Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(', ') + ` of ${rows.length}\n`);
      return 0;
    } finally {
      bars.stop();
    }
  },
};
