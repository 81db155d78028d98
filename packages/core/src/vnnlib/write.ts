/**
 * Writes a property in the layout VNN-COMP benchmark generators use: declarations, the input box
 * as top-level asserts when every case shares it, and the output constraints as one assert (or a
 * disjunction of conjunctions). Numbers are written in JavaScript's shortest round-trip form, so
 * parseVnnlib(writeVnnlib(p)) reproduces p exactly.
 */
import { InvalidArgumentError } from '../errors.js';
import type { OutputRow } from '../exact/objective.js';
import type { VnnlibCase, VnnlibProperty } from './property.js';

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`cannot write the non-finite number ${v} to VNNLIB`);
  return Object.is(v, -0) ? '0' : String(v);
};

/** One constraint cᵀY + offset ≤ 0 in the most readable equivalent form. */
function rowText(r: OutputRow): string {
  const nz: [number, number][] = [];
  for (let j = 0; j < r.c.length; j++) if (r.c[j] !== 0) nz.push([j, r.c[j]!]);
  if (nz.length === 2 && r.offset === 0 && nz[0]![1] === -nz[1]![1] && Math.abs(nz[0]![1]) === 1) {
    const [pos, neg] = nz[0]![1] === 1 ? [nz[0]!, nz[1]!] : [nz[1]!, nz[0]!];
    return `(<= Y_${pos[0]} Y_${neg[0]})`;
  }
  if (nz.length === 1 && Math.abs(nz[0]![1]) === 1) {
    const [j, c] = nz[0]!;
    return c === 1 ? `(<= Y_${j} ${num(-r.offset)})` : `(>= Y_${j} ${num(r.offset)})`;
  }
  const terms = nz.map(([j, c]) => (c === 1 ? `Y_${j}` : `(* ${num(c)} Y_${j})`));
  const lhs = terms.length === 0 ? '0' : terms.length === 1 ? terms[0]! : `(+ ${terms.join(' ')})`;
  return `(<= ${lhs} ${num(-r.offset)})`;
}

function sameBox(a: VnnlibCase, b: VnnlibCase): boolean {
  if (a.inputLower === b.inputLower && a.inputUpper === b.inputUpper) return true;
  for (let i = 0; i < a.inputLower.length; i++) {
    if (!Object.is(a.inputLower[i], b.inputLower[i]) || !Object.is(a.inputUpper[i], b.inputUpper[i])) return false;
  }
  return true;
}

const boxAtoms = (c: VnnlibCase): string[] =>
  Array.from(c.inputLower, (l, i) => [`(>= X_${i} ${num(l)})`, `(<= X_${i} ${num(c.inputUpper[i]!)})`]).flat();

export interface WriteVnnlibOptions {
  /** Comment lines written at the top (each prefixed with '; '). */
  comment?: string;
}

export function writeVnnlib(p: VnnlibProperty, options: WriteVnnlibOptions = {}): string {
  if (p.cases.length === 0) throw new InvalidArgumentError('a VNNLIB property needs at least one case (an empty disjunction is unsatisfiable by construction)');
  for (const c of p.cases) {
    if (c.inputLower.length !== p.numInputs || c.inputUpper.length !== p.numInputs) throw new InvalidArgumentError(`case box has ${c.inputLower.length} inputs, the property ${p.numInputs}`);
    for (const r of c.output) if (r.c.length !== p.numOutputs) throw new InvalidArgumentError(`output constraint has ${r.c.length} coefficients, the property ${p.numOutputs} outputs`);
  }
  const lines: string[] = [];
  if (options.comment) for (const l of options.comment.split('\n')) lines.push(`; ${l}`);
  if (lines.length) lines.push('');
  for (let i = 0; i < p.numInputs; i++) lines.push(`(declare-const X_${i} Real)`);
  lines.push('');
  for (let j = 0; j < p.numOutputs; j++) lines.push(`(declare-const Y_${j} Real)`);
  lines.push('');
  const shared = p.cases.every((c) => sameBox(c, p.cases[0]!));
  if (shared) {
    const c0 = p.cases[0]!;
    lines.push('; input box');
    for (let i = 0; i < p.numInputs; i++) {
      lines.push(`(assert (<= X_${i} ${num(c0.inputUpper[i]!)}))`);
      lines.push(`(assert (>= X_${i} ${num(c0.inputLower[i]!)}))`);
    }
    lines.push('');
    lines.push('; unsafe outputs');
    if (p.cases.length === 1) {
      for (const r of c0.output) lines.push(`(assert ${rowText(r)})`);
    } else {
      lines.push('(assert (or');
      for (const c of p.cases) lines.push(`    (and ${c.output.map(rowText).join(' ')})`);
      lines.push('))');
    }
  } else {
    lines.push('(assert (or');
    for (const c of p.cases) lines.push(`    (and ${[...boxAtoms(c), ...c.output.map(rowText)].join(' ')})`);
    lines.push('))');
  }
  return lines.join('\n') + '\n';
}
