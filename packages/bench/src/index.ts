import { pgdSuite } from './suites/pgd.js';
import { exactSuite } from './suites/exact.js';
import { boundsSuite } from './suites/bounds.js';
import { trainSuite } from './suites/train.js';
import { runtimesSuite } from './suites/runtimes.js';
import type { SuiteResult } from './report.js';

export * from './report.js';
export * from './measure.js';
export { pgdSuite } from './suites/pgd.js';

/** Suites by name; smoke sizes keep the whole run to seconds. */
export const suites: Record<string, (smoke: boolean) => Promise<SuiteResult>> = {
  exact: (smoke) => exactSuite(smoke ? { milpTargets: [2], milpTimeLimit: 30, images: 2, exampleTimeLimit: 10, models: ['dnn2'], epsilons: [0.02] } : {}),
  pgd: (smoke) => pgdSuite(smoke ? { batch: 10, reps: 2, evalImages: 20, threads: 2 } : {}),
  bounds: (smoke) => boundsSuite(smoke ? { ibpImages: 20, referenceImages: 2, crownImagesDnn4: 2, crownImagesCnn: 1 } : {}),
  runtimes: (smoke) => runtimesSuite(smoke ? { batch: 2, reps: 2, warmup: 1, rounds: 1, threads: 1 } : {}),
  train: (smoke) => trainSuite(smoke ? { batch: 10, reps: 2, threads: 2, torch: false, batches: { standard: 2, pgd: 1, 'fgsm-rs': 2, ibp: 2 } } : {}),
};

export async function runSuites(o: { smoke: boolean; only?: string[] }): Promise<SuiteResult[]> {
  // An unknown name would otherwise run nothing and overwrite the results with an empty report.
  const unknown = (o.only ?? []).filter((name) => !(name in suites));
  if (unknown.length > 0) throw new Error(`unknown bench suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} (suites: ${Object.keys(suites).join(', ')})`);
  const out: SuiteResult[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (o.only && !o.only.includes(name)) continue;
    out.push(await run(o.smoke));
  }
  return out;
}
