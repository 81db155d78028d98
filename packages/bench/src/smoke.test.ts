import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReport, runSuites, writeReport } from './index.js';

describe('bench smoke run', () => {
  it('runs every suite at tiny sizes and writes well-formed JSON and Markdown', async () => {
    const suites = await runSuites({ smoke: true });
    expect(suites.length).toBeGreaterThan(0);
    for (const s of suites) {
      expect(s.rows.length).toBeGreaterThan(0);
      for (const r of s.rows) {
        // A runtime the machine lacks (no GPU, no Chromium) is reported as such, never with a figure.
        if (r.note?.startsWith('not available on this machine')) expect(Number.isNaN(r.value), `${s.suite}: ${r.metric}`).toBe(true);
        else expect(Number.isFinite(r.value) && r.value >= 0, `${s.suite}: ${r.metric} = ${r.value}`).toBe(true);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'minmax-bench-'));
    const { json, md } = writeReport(dir, 'bench', makeReport(suites, true));
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.smoke).toBe(true);
    expect(parsed.suites.map((s: { suite: string }) => s.suite)).toEqual(suites.map((s) => s.suite));
    const text = readFileSync(md, 'utf8');
    for (const s of suites) expect(text).toContain(`## ${s.suite}`);
    expect(text).toContain('PGD step (forward + input gradient) / forward');
  });

  it('refuses an unknown suite name instead of writing an empty report', async () => {
    await expect(runSuites({ smoke: true, only: ['pgd', 'nope'] })).rejects.toThrow(/unknown bench suite 'nope'/);
  });
});
