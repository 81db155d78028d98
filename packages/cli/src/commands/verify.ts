/**
 * `minmax verify`: certified error over test images. Bound methods (ibp, crown, alpha-crown) are
 * implemented here; exact methods are delegated to verify-exact.ts.
 */
import { parseOptions, UsageError } from '../args.js';
import type { Command } from './types.js';
import { exactVerifyMethods } from './verify-exact.js';
import { verifyOptions } from './verify-options.js';

export const verifyCommand: Command = {
  summary: 'certified error: prove that no attack within ε changes the prediction',
  usage: '--model FILE.onnx --method ibp|crown|alpha-crown|lp|mip|complete [--eps 0.1] [--clamp] [--index I | --limit N] [--json]',
  options: verifyOptions,
  async run(argv) {
    const o = parseOptions('verify', argv, verifyOptions);
    const method = o.method ?? 'ibp';
    const exact = exactVerifyMethods[method];
    if (exact) return exact(o);
    throw new UsageError(`unknown method '${method}'`);
  },
};
