#!/usr/bin/env node
/**
 * `pnpm bench`: runs every suite and writes results/bench.{json,md}. `--smoke` runs tiny sizes
 * (CI checks the harness end to end, not the figures) into a temporary folder unless --out is given.
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeReport, toMarkdown, writeReport } from './report.js';
import { runSuites } from './index.js';

const { values } = parseArgs({
  options: { smoke: { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' } },
});
const smoke = values.smoke === true;
const here = dirname(fileURLToPath(import.meta.url));
const out = values.out ? resolve(values.out) : smoke ? join(tmpdir(), 'minmax-bench-smoke') : resolve(here, '../results');
const suites = await runSuites({ smoke, only: values.only?.split(',') });
const report = makeReport(suites, smoke);
const files = writeReport(out, 'bench', report);
process.stdout.write(toMarkdown(report) + '\n');
process.stdout.write(`wrote ${files.json} and ${files.md}\n`);
