import { describeNetwork } from '@minmax/core';
import { parseOptions, requireOption } from '../args.js';
import { loadNetwork } from '../runtime.js';
import { table } from '../table.js';
import type { Command } from './types.js';

const options = {
  model: { type: 'string', description: 'ONNX model file' },
  json: { type: 'boolean', description: 'print one JSON object' },
} as const;

export const infoCommand: Command = {
  summary: 'layers, shapes, parameter count and ops of an ONNX model',
  usage: '--model FILE.onnx [--json]',
  options,
  async run(argv) {
    const o = parseOptions('info', argv, options);
    const file = requireOption('info', 'model', o.model);
    const d = describeNetwork(loadNetwork(file));
    if (o.json) {
      process.stdout.write(JSON.stringify({ model: file, ...d }) + '\n');
      return 0;
    }
    process.stdout.write(`${file}\n`);
    process.stdout.write(`input [N, ${d.inputShape.join(', ')}] → output [N, ${d.outputShape.join(', ')}], ${d.paramCount.toLocaleString('en-US')} parameters\n\n`);
    process.stdout.write(
      table(
        ['#', 'layer', 'kind', 'output', 'params', 'detail'],
        d.layers.map((l, i) => [String(i), l.name, l.kind, `[${l.outputShape.join(', ')}]`, l.params.toLocaleString('en-US'), l.detail]),
      ) + '\n',
    );
    process.stdout.write(`\nops: ${Object.entries(d.ops).map(([k, v]) => `${k}×${v}`).join(', ')}\n`);
    return 0;
  },
};
