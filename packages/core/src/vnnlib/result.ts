/**
 * The VNN-COMP result file: first line `unsat` (the property holds), `sat` (violated) followed by
 * the witness `((X_0 v) … (Y_0 v) …)`, `timeout`, `unknown` or `error`. Witness values are the
 * float32 input that was run and ONNX Runtime's float32 outputs there, written exactly.
 */
import { DataFormatError } from '../errors.js';

export type VnnlibVerdict = 'unsat' | 'sat' | 'timeout' | 'unknown' | 'error';

export interface VnnlibResult {
  readonly verdict: VnnlibVerdict;
  /** For `sat`: the witness input and the network's outputs at it. */
  readonly witness?: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> };
}

export function formatVnnlibResult(r: VnnlibResult): string {
  if (r.verdict !== 'sat') return `${r.verdict}\n`;
  if (!r.witness) throw new DataFormatError("a 'sat' result needs a witness");
  const entries = [
    ...Array.from(r.witness.x, (v, i) => `(X_${i} ${String(v)})`),
    ...Array.from(r.witness.y, (v, j) => `(Y_${j} ${String(v)})`),
  ];
  return `sat\n(${entries.join('\n ')})\n`;
}

/** Reads a result file back (for checking witnesses and round-trips). */
export function parseVnnlibResult(text: string): VnnlibResult {
  const trimmed = text.trim();
  const nl = trimmed.indexOf('\n');
  const head = (nl < 0 ? trimmed : trimmed.slice(0, nl)).trim();
  const verdicts: VnnlibVerdict[] = ['unsat', 'sat', 'timeout', 'unknown', 'error'];
  // VNN-COMP tools also write 'violated'/'holds'; they mean sat/unsat.
  const verdict = (head === 'violated' ? 'sat' : head === 'holds' ? 'unsat' : head) as VnnlibVerdict;
  if (!verdicts.includes(verdict)) throw new DataFormatError(`result file: first line must be one of ${verdicts.join(', ')}, got '${head}'`);
  if (verdict !== 'sat') return { verdict };
  const x: number[] = [];
  const y: number[] = [];
  const re = /\(\s*([XY])_(\d+)\s+([^\s()]+)\s*\)/g;
  for (const m of trimmed.slice(nl + 1).matchAll(re)) {
    const v = Number(m[3]);
    if (!Number.isFinite(v)) throw new DataFormatError(`result file: ${m[1]}_${m[2]} has the non-number value '${m[3]}'`);
    (m[1] === 'X' ? x : y)[Number(m[2])] = v;
  }
  if (x.length === 0) throw new DataFormatError("result file: 'sat' without a witness");
  for (const [name, arr] of [['X', x], ['Y', y]] as const) {
    for (let i = 0; i < arr.length; i++) if (arr[i] === undefined) throw new DataFormatError(`result file: witness lacks ${name}_${i}`);
  }
  return { verdict, witness: { x, y } };
}
