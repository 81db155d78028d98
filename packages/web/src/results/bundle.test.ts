/** scripts/bundle-models.mjs also bundles docs/results.json as public/results.json, and drops a stale copy. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleModels, bundleResults, DEFAULT_RESULTS_FILE, DEFAULT_RESULTS_OUT, NOT_RUN } from '../../scripts/bundle-models.mjs';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function repo(): { root: string; modelsDir: string; outDir: string; docs: string; copy: string } {
  const root = mkdtempSync(join(tmpdir(), 'minmax-bundle-results-'));
  dirs.push(root);
  const modelsDir = join(root, 'models');
  mkdirSync(modelsDir);
  mkdirSync(join(root, 'docs'));
  return { root, modelsDir, outDir: join(root, 'public', 'models'), docs: join(root, 'docs', 'results.json'), copy: join(root, 'public', 'results.json') };
}

describe('bundled results', () => {
  it('copies docs/results.json next to the page when it exists, and writes the not-run marker once it is gone', () => {
    const { modelsDir, outDir, docs, copy } = repo();
    const json = '{"rows":[],"linear":[]}\n';
    writeFileSync(docs, json);
    bundleModels({ modelsDir, outDir });
    expect(readFileSync(copy, 'utf8')).toBe(json);

    rmSync(docs);
    bundleModels({ modelsDir, outDir });
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual({ notRun: true });
  });

  it('reports whether it copied', () => {
    const { docs, copy } = repo();
    expect(bundleResults({ resultsFile: docs, outFile: copy })).toBe(false);
    expect(readFileSync(copy, 'utf8')).toBe(NOT_RUN);
    writeFileSync(docs, '{}');
    expect(bundleResults({ resultsFile: docs, outFile: copy })).toBe(true);
    expect(readFileSync(copy, 'utf8')).toBe('{}');
  });

  it('reads the repository’s docs/ and writes into the page’s public/', () => {
    expect(DEFAULT_RESULTS_FILE.replaceAll('\\', '/')).toMatch(/\/docs\/results\.json$/);
    expect(DEFAULT_RESULTS_OUT.replaceAll('\\', '/')).toMatch(/\/packages\/web\/public\/results\.json$/);
  });
});
