import { pgdSuite } from './suites/pgd.js';
import type { SuiteResult } from './report.js';

export * from './report.js';
export * from './measure.js';
export { pgdSuite } from './suites/pgd.js';

/** Suites by name; smoke sizes keep the whole run to seconds. */
export const suites: Record<string, (smoke: boolean) => Promise<SuiteResult>> = {
  pgd: (smoke) => pgdSuite(smoke ? { batch: 10, reps: 2, evalImages: 20, threads: 2 } : {}),
};

export async function runSuites(o: { smoke: boolean; only?: string[] }): Promise<SuiteResult[]> {
  const out: SuiteResult[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (o.only && !o.only.includes(name)) continue;
    out.push(await run(o.smoke));
  }
  return out;
}
