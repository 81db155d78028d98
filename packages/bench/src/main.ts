#!/usr/bin/env node
/**
 * `pnpm bench`: runs every suite and writes results/bench.{json,md}. `--smoke` runs tiny sizes
 * (CI checks the harness end to end, not the figures) into a temporary folder unless --out is given.
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeReport, toMarkdown, writeReport } from './report.js';
import { runSuites, suites as allSuites } from './index.js';

const usage = `usage: node packages/bench/dist/main.js [--only ${Object.keys(allSuites).join(',')}] [--out DIR] [--smoke]
  --only   run these suites (comma-separated; default all)
  --out    write bench.json and bench.md here (default packages/bench/results; --smoke: a temporary folder)
  --smoke  tiny sizes: checks the harness end to end, not the figures`;

let values: { smoke?: boolean; out?: string; only?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { smoke: { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n${usage}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage + '\n');
  process.exit(0);
}
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = (only ?? []).filter((name) => !(name in allSuites));
if (unknown.length > 0) {
  process.stderr.write(`unknown suite ${unknown.map((n) => `'${n}'`).join(', ')}\n${usage}\n`);
  process.exit(2);
}
const smoke = values.smoke === true;
const here = dirname(fileURLToPath(import.meta.url));
const out = values.out ? resolve(values.out) : smoke ? join(tmpdir(), 'minmax-bench-smoke') : resolve(here, '../results');
const results = await runSuites({ smoke, only });
const report = makeReport(results, smoke);
const files = writeReport(out, 'bench', report);
process.stdout.write(toMarkdown(report) + '\n');
process.stdout.write(`wrote ${files.json} and ${files.md}\n`);
