/**
 * The certificate table, as data: one row per target class t ≠ y, one column per method, each
 * cell the method's value of min z_y − z_t (a lower bound for IBP / CROWN / α-CROWN, the LP or
 * MIP optimum for the exact methods), and the overall verdict over every method run so far.
 * Kept free of the DOM so the rules (what counts as proven, what an unknown means) are tested.
 */
import type { BoundResult, ExactResult, TargetView } from '../workers/certify-api.js';
import { METHOD_LABELS, METHODS, type Method } from './methods.js';

export type MethodResult = BoundResult | ExactResult;

/**
 * proven: the margin is proven > 0 for this target; open: a bound method could not prove it;
 * falsified: an input of the box where the target wins exists (re-checked in ONNX Runtime);
 * unknown: the solver stopped undecided (time limit, tolerance).
 */
export type CellState = 'proven' | 'open' | 'falsified' | 'unknown';

export interface Cell {
  value: number;
  state: CellState;
  text: string;
  /** Tooltip: what the value is and why the cell has its state. */
  title: string;
  target?: TargetView;
}

export interface Row {
  target: number;
  cells: Partial<Record<Method, Cell>>;
}

export type ColumnStatus = 'verified' | 'not verified' | 'falsified' | 'unknown';

export interface Column {
  method: Method;
  status: ColumnStatus;
  seconds: number;
}

export type OverallStatus = 'verified' | 'not verified' | 'unknown' | 'none';

export interface Overall {
  status: OverallStatus;
  /** A method exhibited a real counterexample. */
  falsified: boolean;
  /** Methods that verified (status verified) or the one that falsified. */
  by: Method[];
  /** One sentence for the page. */
  reason: string;
}

export interface CertificateTable {
  label: number;
  classes: number;
  rows: Row[];
  columns: Partial<Record<Method, Column>>;
  overall: Overall;
}

const MINUS = '\u2212';

/** A bound for the table: 4 decimals, a real minus sign, ±∞ and – for no value. */
export function formatBound(v: number, digits = 4): string {
  if (Number.isNaN(v)) return '–';
  if (v === Infinity) return '+∞';
  if (v === -Infinity) return `${MINUS}∞`;
  const s = v.toFixed(digits);
  // -0.0000 reads as a negative margin; it is not one.
  if (/^-0\.?0*$/.test(s)) return s.slice(1);
  return s.replace('-', MINUS);
}

function boundCell(r: BoundResult, t: number): Cell {
  const v = r.margins[t]!;
  const proven = v > 0;
  return {
    value: v,
    state: proven ? 'proven' : 'open',
    text: formatBound(v),
    title: `${METHOD_LABELS[r.method]} lower bound of z${r.label} − z${t}: ${proven ? 'positive, so no input of the box makes the network prefer ' + t : 'not positive, so this method proves nothing for ' + t}`,
  };
}

function exactCell(r: ExactResult, tv: TargetView): Cell {
  const name = METHOD_LABELS[r.method];
  const what = r.method === 'mip' ? 'minimum' : 'LP relaxation minimum';
  const state: CellState = tv.status === 'verified' ? 'proven' : tv.status === 'falsified' ? 'falsified' : 'unknown';
  // An infeasible MIP (the box admits no input reaching the head) is proven with bound +∞ and no optimum.
  const shown = !Number.isNaN(tv.objective) ? tv.objective : state === 'proven' ? tv.bound : NaN;
  const detail =
    state === 'proven'
      ? `proven ≥ ${formatBound(tv.bound, 6)}`
      : state === 'falsified'
        ? `counterexample: ONNX Runtime classifies it as ${tv.counterexample?.predicted ?? '?'}`
        : `undecided (${tv.note ?? 'no proof'})${tv.gap !== undefined ? `, gap ${(tv.gap * 100).toFixed(1)}%` : ''}`;
  return { value: shown, state, text: formatBound(shown), title: `${name} ${what} of z${r.label} − z${tv.target}: ${detail}`, target: tv };
}

function columnStatus(r: MethodResult): ColumnStatus {
  return r.kind === 'bounds' ? r.status : r.status === 'verified' ? 'verified' : r.status;
}

const list = (xs: readonly (string | number)[]): string =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

function overallOf(label: number, results: Partial<Record<Method, MethodResult>>, rows: Row[]): Overall {
  const run = METHODS.filter((m) => results[m]);
  if (run.length === 0) return { status: 'none', falsified: false, by: [], reason: 'Pick a method to compute the margin bounds.' };
  const verified = run.filter((m) => columnStatus(results[m]!) === 'verified');
  if (verified.length > 0) {
    return {
      status: 'verified',
      falsified: false,
      by: verified,
      reason: `${list(verified.map((m) => METHOD_LABELS[m]))} proved every margin positive: no input of the box changes the prediction from ${label}.`,
    };
  }
  // The MIP's counterexamples are the ones the page shows first; the LP's only when it ran alone.
  const falsifier = (['mip', 'lp'] as const).find((m) => results[m] && columnStatus(results[m]) === 'falsified');
  if (falsifier) {
    const targets = rows.filter((r) => r.cells[falsifier]?.state === 'falsified').map((r) => r.target);
    return {
      status: 'not verified',
      falsified: true,
      by: [falsifier],
      reason: `${METHOD_LABELS[falsifier]} found inputs of the box where the network prefers ${list(targets)} over ${label}, confirmed in ONNX Runtime.`,
    };
  }
  const mip = results.mip;
  if (mip && mip.kind === 'exact') {
    const open = mip.targets.filter((t) => t.status === 'unknown');
    const reasons = [...new Set(open.map((t) => t.note ?? 'undecided'))];
    return {
      status: 'unknown',
      falsified: false,
      by: ['mip'],
      reason: `The MIP left target${open.length === 1 ? '' : 's'} ${list(open.map((t) => t.target))} undecided (${reasons.join('; ')}).`,
    };
  }
  const open = rows.filter((r) => run.every((m) => r.cells[m]?.state !== 'proven')).map((r) => r.target);
  return {
    status: 'not verified',
    falsified: false,
    by: [],
    reason: `No method run so far proves the margin against ${list(open)}; the MIP decides it exactly.`,
  };
}

/** The table for one digit; results of other digits, radii or boxes must not be mixed in. */
export function certificateTable(classes: number, label: number, results: Partial<Record<Method, MethodResult>>): CertificateTable {
  for (const m of METHODS) {
    const r = results[m];
    if (r && r.label !== label) throw new RangeError(`${METHOD_LABELS[m]} result is for label ${r.label}, the table for ${label}`);
  }
  const rows: Row[] = [];
  for (let t = 0; t < classes; t++) {
    if (t === label) continue;
    const cells: Partial<Record<Method, Cell>> = {};
    for (const m of METHODS) {
      const r = results[m];
      if (!r) continue;
      if (r.kind === 'bounds') cells[m] = boundCell(r, t);
      else {
        const tv = r.targets.find((x) => x.target === t);
        if (tv) cells[m] = exactCell(r, tv);
      }
    }
    rows.push({ target: t, cells });
  }
  const columns: Partial<Record<Method, Column>> = {};
  for (const m of METHODS) {
    const r = results[m];
    if (r) columns[m] = { method: m, status: columnStatus(r), seconds: r.seconds };
  }
  return { label, classes, rows, columns, overall: overallOf(label, results, rows) };
}
