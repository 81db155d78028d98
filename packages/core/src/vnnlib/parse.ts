/**
 * Parser for the VNNLIB subset used by VNN-COMP: `(declare-const X_i Real)` / `(declare-const
 * Y_j Real)`, and `(assert F)` where F is built from `and`, `or` and comparisons (<=, >=, <, >, =)
 * of linear terms (numbers, variables, +, -, * by a constant). Input constraints must be bounds
 * on single inputs (X_i ≤ c, X_i ≥ c, X_i = c) — every input needs both — and output constraints
 * are linear in Y. Constraints mixing X and Y are refused. The conjunction of all asserts is
 * brought to disjunctive normal form: one case per disjunct (property.ts).
 */
import type { OutputRow } from '../exact/objective.js';
import type { VnnlibCase, VnnlibProperty } from './property.js';
import { parseSExprs, VnnlibSyntaxError, type Position, type SExpr } from './sexpr.js';

/** Largest number of cases the normal form may have (a product of disjunctions can explode). */
export const MAX_VNNLIB_CASES = 100_000;

interface Linear {
  /** var name → coefficient */
  terms: Map<string, number>;
  constant: number;
}

interface Atom {
  /** e ≤ 0 */
  e: Linear;
  pos: Position;
}

type Dnf = Atom[][];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const VAR = /^([XY])_(\d+)$/;

export interface ParseVnnlibOptions {
  /** File name for error messages. */
  file?: string;
}

export function parseVnnlib(text: string, options: ParseVnnlibOptions = {}): VnnlibProperty {
  const file = options.file;
  const fail = (msg: string, pos: Position): never => {
    throw new VnnlibSyntaxError(msg, pos.line, pos.column, file);
  };
  const exprs = parseSExprs(text, file);
  const declared = new Map<string, Position>();
  const asserts: SExpr[] = [];
  for (const e of exprs) {
    if (e.kind !== 'list' || e.items.length === 0 || e.items[0]!.kind !== 'atom') fail('expected a command such as (declare-const ...) or (assert ...)', e.pos);
    const items = (e as Extract<SExpr, { kind: 'list' }>).items;
    const head = items[0] as Extract<SExpr, { kind: 'atom' }>;
    if (head.text === 'declare-const') {
      if (items.length !== 3 || items[1]!.kind !== 'atom' || items[2]!.kind !== 'atom') fail('expected (declare-const NAME Real)', e.pos);
      const name = (items[1] as Extract<SExpr, { kind: 'atom' }>).text;
      const sort = (items[2] as Extract<SExpr, { kind: 'atom' }>).text;
      if (!VAR.test(name)) fail(`variable '${name}' must be named X_i (input) or Y_j (output)`, items[1]!.pos);
      if (sort !== 'Real') fail(`variable '${name}' must have sort Real, not '${sort}'`, items[2]!.pos);
      if (declared.has(name)) fail(`variable '${name}' is declared twice`, items[1]!.pos);
      declared.set(name, items[1]!.pos);
    } else if (head.text === 'assert') {
      if (items.length !== 2) fail('expected (assert FORMULA)', e.pos);
      asserts.push(items[1]!);
    } else {
      fail(`unsupported command '${head.text}' (the VNNLIB subset has declare-const and assert)`, head.pos);
    }
  }
  const count = (prefix: 'X' | 'Y'): number => {
    let n = 0;
    while (declared.has(`${prefix}_${n}`)) n++;
    for (const [name, pos] of declared) {
      const m = VAR.exec(name)!;
      if (m[1] === prefix && Number(m[2]) >= n) fail(`variable '${name}' is declared but ${prefix}_${n} is not (indices must run 0, 1, 2, …)`, pos);
    }
    return n;
  };
  const numInputs = count('X');
  const numOutputs = count('Y');
  if (numInputs === 0) fail('no input variables (declare-const X_0 Real)', { line: 1, column: 1 });
  if (numOutputs === 0) fail('no output variables (declare-const Y_0 Real)', { line: 1, column: 1 });

  const term = (e: SExpr): Linear => {
    if (e.kind === 'atom') {
      if (NUMBER.test(e.text)) return { terms: new Map(), constant: Number(e.text) };
      if (declared.has(e.text)) return { terms: new Map([[e.text, 1]]), constant: 0 };
      if (VAR.test(e.text)) return fail(`variable '${e.text}' is not declared`, e.pos);
      return fail(`expected a number or a variable, got '${e.text}'`, e.pos);
    }
    const [op, ...args] = e.items;
    if (!op || op.kind !== 'atom') return fail('expected an arithmetic term (+ ...), (- ...) or (* ...)', e.pos);
    if (args.length === 0) return fail(`'${op.text}' needs arguments`, e.pos);
    const parts = args.map(term);
    const sum = (sign: number, into: Linear, x: Linear): void => {
      for (const [v, c] of x.terms) into.terms.set(v, (into.terms.get(v) ?? 0) + sign * c);
      into.constant += sign * x.constant;
    };
    switch (op.text) {
      case '+': {
        const out: Linear = { terms: new Map(), constant: 0 };
        for (const p of parts) sum(1, out, p);
        return out;
      }
      case '-': {
        const out: Linear = { terms: new Map(), constant: 0 };
        if (parts.length === 1) sum(-1, out, parts[0]!);
        else {
          sum(1, out, parts[0]!);
          for (const p of parts.slice(1)) sum(-1, out, p);
        }
        return out;
      }
      case '*': {
        let out: Linear = { terms: new Map(), constant: 1 };
        for (let k = 0; k < parts.length; k++) {
          const p = parts[k]!;
          if (out.terms.size > 0 && p.terms.size > 0) return fail('products of variables are not linear', args[k]!.pos);
          const scalar = p.terms.size === 0 ? p.constant : out.constant;
          const lin = p.terms.size === 0 ? out : p;
          out = { terms: new Map([...lin.terms].map(([v, c]) => [v, c * scalar])), constant: lin.constant * scalar };
        }
        return out;
      }
      default:
        return fail(`unsupported operator '${op.text}' (linear terms use +, - and *)`, op.pos);
    }
  };

  const formula = (e: SExpr): Dnf => {
    if (e.kind !== 'list' || e.items.length === 0 || e.items[0]!.kind !== 'atom') return fail('expected a formula: (and ...), (or ...) or a comparison', e.pos);
    const op = e.items[0] as Extract<SExpr, { kind: 'atom' }>;
    const args = e.items.slice(1);
    switch (op.text) {
      case 'and': {
        let acc: Dnf = [[]];
        for (const a of args) {
          const d = formula(a);
          const next: Dnf = [];
          for (const x of acc) for (const y of d) next.push([...x, ...y]);
          if (next.length > MAX_VNNLIB_CASES) fail(`the disjunctive normal form has more than ${MAX_VNNLIB_CASES} cases`, e.pos);
          acc = next;
        }
        return acc;
      }
      case 'or': {
        if (args.length === 0) return [];
        const out: Dnf = [];
        for (const a of args) out.push(...formula(a));
        if (out.length > MAX_VNNLIB_CASES) fail(`the disjunctive normal form has more than ${MAX_VNNLIB_CASES} cases`, e.pos);
        return out;
      }
      case '<=':
      case '<':
      case '>=':
      case '>':
      case '=': {
        if (args.length !== 2) return fail(`'${op.text}' compares exactly two terms`, op.pos);
        const a = term(args[0]!);
        const b = term(args[1]!);
        const diff = (p: Linear, q: Linear): Linear => {
          const terms = new Map(p.terms);
          for (const [v, c] of q.terms) terms.set(v, (terms.get(v) ?? 0) - c);
          for (const [v, c] of terms) if (c === 0) terms.delete(v);
          return { terms, constant: p.constant - q.constant };
        };
        if (op.text === '<=' || op.text === '<') return [[{ e: diff(a, b), pos: e.pos }]];
        if (op.text === '>=' || op.text === '>') return [[{ e: diff(b, a), pos: e.pos }]];
        return [[{ e: diff(a, b), pos: e.pos }, { e: diff(b, a), pos: e.pos }]];
      }
      default:
        return fail(`unsupported connective '${op.text}' (use and, or, <=, >=, <, >, =)`, op.pos);
    }
  };

  let dnf: Dnf = [[]];
  for (const a of asserts) {
    const d = formula(a);
    const next: Dnf = [];
    for (const x of dnf) for (const y of d) next.push([...x, ...y]);
    if (next.length > MAX_VNNLIB_CASES) fail(`the disjunctive normal form has more than ${MAX_VNNLIB_CASES} cases`, a.pos);
    dnf = next;
  }

  const cases: VnnlibCase[] = [];
  for (const conj of dnf) {
    const lower = new Float64Array(numInputs).fill(-Infinity);
    const upper = new Float64Array(numInputs).fill(Infinity);
    const output: OutputRow[] = [];
    let empty = false;
    for (const atom of conj) {
      const vars = [...atom.e.terms.keys()];
      const xs = vars.filter((v) => v.startsWith('X_'));
      const ys = vars.filter((v) => v.startsWith('Y_'));
      if (xs.length > 0 && ys.length > 0) fail('constraints mixing inputs (X) and outputs (Y) are not supported', atom.pos);
      if (xs.length > 1) fail('input constraints must be bounds on one input (X_i <= c or X_i >= c)', atom.pos);
      if (xs.length === 1) {
        const i = Number(VAR.exec(xs[0]!)![2]);
        const a = atom.e.terms.get(xs[0]!)!;
        if (a !== 1 && a !== -1) fail('input constraints must be bounds on one input (X_i <= c or X_i >= c)', atom.pos);
        // a·X_i + k ≤ 0: a = 1 gives X_i ≤ −k, a = −1 gives X_i ≥ k.
        if (a === 1) upper[i] = Math.min(upper[i]!, -atom.e.constant);
        else lower[i] = Math.max(lower[i]!, atom.e.constant);
      } else if (ys.length > 0) {
        const c = new Float64Array(numOutputs);
        for (const [v, coef] of atom.e.terms) c[Number(VAR.exec(v)![2])] = coef;
        output.push({ c, offset: atom.e.constant });
      } else if (!(atom.e.constant <= 0)) {
        empty = true;
      }
    }
    for (let i = 0; i < numInputs; i++) {
      if (lower[i] === -Infinity || upper[i] === Infinity) {
        fail(`input X_${i} has no ${lower[i] === -Infinity ? 'lower' : 'upper'} bound${dnf.length > 1 ? ' in every case' : ''}`, declared.get(`X_${i}`)!);
      }
      if (lower[i]! > upper[i]!) empty = true;
    }
    if (!empty) cases.push({ inputLower: lower, inputUpper: upper, output });
  }
  return { numInputs, numOutputs, cases };
}
