/**
 * VNN-COMP instances files: one `onnx,vnnlib,timeout` line per instance (paths relative to the
 * file, timeout in seconds). Blank lines and lines starting with '#' are skipped.
 */
import { DataFormatError } from '../errors.js';

export interface VnnlibInstance {
  readonly onnx: string;
  readonly vnnlib: string;
  /** Seconds. */
  readonly timeout: number;
  /** 1-based line in the instances file. */
  readonly line: number;
}

export function parseInstancesCsv(text: string, file = 'instances.csv'): VnnlibInstance[] {
  const out: VnnlibInstance[] = [];
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(',').map((s) => s.trim());
    if (parts.length !== 3) throw new DataFormatError(`${file}:${k + 1}: expected 'onnx,vnnlib,timeout', got ${parts.length} field(s)`);
    const [onnx, vnnlib, t] = parts as [string, string, string];
    const timeout = Number(t);
    if (!onnx || !vnnlib) throw new DataFormatError(`${file}:${k + 1}: empty path`);
    if (t === '' || !Number.isFinite(timeout) || timeout <= 0) throw new DataFormatError(`${file}:${k + 1}: timeout must be a positive number of seconds, got '${t}'`);
    out.push({ onnx, vnnlib, timeout, line: k + 1 });
  });
  return out;
}
