/**
 * docs/results.json as `minmax reproduce` writes it (bundled as results.json next to the page by
 * scripts/bundle-models.mjs): minmax's error rates beside the tutorial's published ones. Parsed
 * strictly, so a damaged file is reported instead of shown wrong.
 */
import { DataFormatError } from '@minmax/core';

export type Metric = 'clean' | 'fgsm' | 'pgd' | 'certified';
export const METRICS: readonly Metric[] = ['clean', 'fgsm', 'pgd', 'certified'];
export const METRIC_LABELS: Record<Metric, string> = { clean: 'clean', fgsm: 'FGSM', pgd: 'PGD-40', certified: 'IBP-certified' };

export interface TutorialFigures {
  name?: string;
  clean?: number;
  fgsm?: number;
  pgd?: number;
  certified?: number;
}

export interface ResultRow {
  model: string;
  /** Error rates in [0, 1]; null where the model file was missing. */
  clean: number | null;
  fgsm: number | null;
  pgd: number | null;
  certified: number | null;
  n: number;
  file: string;
  tutorial: TutorialFigures | null;
  missing: boolean;
}

export interface LinearRow {
  model: string;
  clean: number | null;
  attacked: number | null;
  n: number;
  file: string;
  tutorial: { clean?: number; attacked?: number } | null;
  missing: boolean;
}

export interface Results {
  generatedAt: string;
  command: string;
  device: string;
  rows: ResultRow[];
  linear: LinearRow[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function rate(v: unknown, where: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new DataFormatError(`${where} must be an error rate in [0, 1] or null`);
  return v;
}

function optionalRate(v: unknown, where: string): number | undefined {
  return rate(v, where) ?? undefined;
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new DataFormatError(`${where} must be a string`);
  return v;
}

function count(v: unknown, where: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new DataFormatError(`${where} must be a whole number`);
  return v;
}

function tutorialOf(v: unknown, where: string, keys: readonly string[]): Obj | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new DataFormatError(`${where} must be an object or null`);
  const out: Obj = {};
  if (v.name !== undefined) out.name = text(v.name, `${where}.name`);
  for (const k of keys) {
    const r = optionalRate(v[k], `${where}.${k}`);
    if (r !== undefined) out[k] = r;
  }
  return out;
}

export function parseResults(json: unknown, source = 'results.json'): Results {
  if (!isObj(json)) throw new DataFormatError(`${source}: expected an object`);
  const list = (key: string): unknown[] => {
    const v = json[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new DataFormatError(`${source}: "${key}" must be an array`);
    return v;
  };
  const rows = list('rows').map((r, i): ResultRow => {
    const at = `${source}: rows[${i}]`;
    if (!isObj(r)) throw new DataFormatError(`${at} must be an object`);
    return {
      model: text(r.model, `${at}.model`),
      clean: rate(r.clean, `${at}.clean`),
      fgsm: rate(r.fgsm, `${at}.fgsm`),
      pgd: rate(r.pgd, `${at}.pgd`),
      certified: rate(r.certified, `${at}.certified`),
      n: count(r.n, `${at}.n`),
      file: r.file === undefined ? '' : text(r.file, `${at}.file`),
      tutorial: tutorialOf(r.tutorial, `${at}.tutorial`, METRICS) as TutorialFigures | null,
      missing: r.missing === true,
    };
  });
  const linear = list('linear').map((r, i): LinearRow => {
    const at = `${source}: linear[${i}]`;
    if (!isObj(r)) throw new DataFormatError(`${at} must be an object`);
    return {
      model: text(r.model, `${at}.model`),
      clean: rate(r.clean, `${at}.clean`),
      attacked: rate(r.attacked, `${at}.attacked`),
      n: count(r.n, `${at}.n`),
      file: r.file === undefined ? '' : text(r.file, `${at}.file`),
      tutorial: tutorialOf(r.tutorial, `${at}.tutorial`, ['clean', 'attacked']) as LinearRow['tutorial'],
      missing: r.missing === true,
    };
  });
  return {
    generatedAt: json.generatedAt === undefined ? '' : text(json.generatedAt, `${source}: generatedAt`),
    command: json.command === undefined ? '' : text(json.command, `${source}: command`),
    device: json.device === undefined ? '' : text(json.device, `${source}: device`),
    rows,
    linear,
  };
}

/** An error rate as the CLI's table prints it ("2.00%"), '–' where there is none. */
export function formatRate(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(2)}%`;
}

/**
 * results.json at `url`, or null when the reproduction has not been run (the build's
 * `{"notRun": true}` marker, or no file: the dev server answers a missing file with index.html, so
 * HTML also means "not there").
 */
export async function fetchResults(url: string): Promise<Results | null> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (response.status === 404) return null;
  if (!response.ok) throw new DataFormatError(`${url}: HTTP ${response.status} ${response.statusText}`);
  if (/text\/html/i.test(response.headers.get('content-type') ?? '')) return null;
  let json: unknown;
  try {
    json = await response.json();
  } catch (err) {
    throw new DataFormatError(`${url}: not valid JSON (${(err as Error).message})`);
  }
  // The build's marker while docs/results.json does not exist (scripts/bundle-models.mjs).
  if ((json as { notRun?: unknown } | null)?.notRun === true) return null;
  return parseResults(json, url);
}
