/**
 * results.json as `minmax reproduce` writes it: parsed strictly, printed like the CLI's table, and
 * fetched from a real local HTTP server (absent → null, the dev server's index.html → null,
 * damaged → an error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '@minmax/core';
import { serveStatic, type StaticServer } from '../../e2e/static-server.js';
import { fetchResults, formatRate, parseResults } from './results.js';

/** The shape of `minmax reproduce --quick --only mlp,linear-standard,linear-robust` plus a missing row. */
const SAMPLE = {
  generatedAt: '2026-11-25',
  command: 'minmax reproduce --quick --only mlp,cnn-ibp,linear-standard,linear-robust',
  device: 'cpu',
  rows: [
    { model: 'mlp', clean: 0.02, fgsm: 0.966, pgd: 0.984, certified: 1, n: 500, file: 'models/mlp.onnx', tutorial: { name: 'model_dnn_2', clean: 0.0285, fgsm: 0.9259, pgd: 0.9637, certified: 1 } },
    { model: 'cnn-fgsm-rs', clean: 0.01, fgsm: 0.02, pgd: 0.03, certified: 1, n: 500, file: 'models/cnn-fgsm-rs.onnx', tutorial: null },
    { model: 'cnn-ibp', clean: null, fgsm: null, pgd: null, certified: null, n: 0, file: 'models/cnn-ibp.onnx', tutorial: { name: 'model_cnn_robust_2', clean: 0.0515, fgsm: 0.0754, pgd: 0.0779, certified: 0.0967 }, missing: true },
  ],
  linear: [
    { model: 'linear-standard', clean: 0.000946, attacked: 0.826478, n: 2115, file: 'models/linear-standard.onnx', tutorial: { clean: 2 / 2115, attacked: 1789 / 2115 } },
  ],
};

describe('results.json', () => {
  it('reads every row, the tutorial’s figures and the missing models', () => {
    const r = parseResults(SAMPLE);
    expect(r.generatedAt).toBe('2026-11-25');
    expect(r.rows.map((x) => x.model)).toEqual(['mlp', 'cnn-fgsm-rs', 'cnn-ibp']);
    expect(r.rows[0]).toMatchObject({ clean: 0.02, pgd: 0.984, n: 500, missing: false, tutorial: { name: 'model_dnn_2', fgsm: 0.9259 } });
    expect(r.rows[1].tutorial).toBeNull();
    expect(r.rows[2]).toMatchObject({ clean: null, certified: null, missing: true });
    expect(r.linear[0]).toMatchObject({ model: 'linear-standard', attacked: 0.826478, tutorial: { attacked: 1789 / 2115 } });
  });

  it('rejects a damaged file instead of showing wrong figures', () => {
    expect(() => parseResults([])).toThrow(DataFormatError);
    expect(() => parseResults({ rows: {} })).toThrow(/"rows" must be an array/);
    expect(() => parseResults({ rows: [{ model: 'mlp', clean: 2 }] })).toThrow(/rows\[0\]\.clean must be an error rate/);
    expect(() => parseResults({ rows: [{ clean: 0.1 }] })).toThrow(/rows\[0\]\.model must be a string/);
    expect(() => parseResults({ linear: [{ model: 'x', tutorial: { attacked: '5%' } }] })).toThrow(/linear\[0\]\.tutorial\.attacked/);
  });

  it('prints rates as the CLI’s table does', () => {
    expect(formatRate(0.02)).toBe('2.00%');
    expect(formatRate(1)).toBe('100.00%');
    expect(formatRate(0.000946)).toBe('0.09%');
    expect(formatRate(null)).toBe('–');
    expect(formatRate(undefined)).toBe('–');
  });
});

describe('fetchResults', () => {
  let dir: string;
  let server: StaticServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minmax-results-'));
    writeFileSync(join(dir, 'results.json'), JSON.stringify(SAMPLE));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>');
    writeFileSync(join(dir, 'broken.json'), '{"rows": [');
    writeFileSync(join(dir, 'not-run.json'), '{ "notRun": true }\n');
    server = await serveStatic(dir);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches and parses the bundled file', async () => {
    const r = await fetchResults(`${server.origin}/results.json`);
    expect(r?.rows).toHaveLength(3);
  });

  it('says "not there" for a missing file and for the dev server’s index.html fallback', async () => {
    expect(await fetchResults(`${server.origin}/nothing.json`)).toBeNull();
    expect(await fetchResults(`${server.origin}/index.html`)).toBeNull();
  });

  it('says "not there" for the build’s not-run marker', async () => {
    expect(await fetchResults(`${server.origin}/not-run.json`)).toBeNull();
  });

  it('reports a damaged file', async () => {
    await expect(fetchResults(`${server.origin}/broken.json`)).rejects.toThrow(DataFormatError);
  });
});
