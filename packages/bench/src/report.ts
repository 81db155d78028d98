/**
 * Results as JSON (for machines and trend tracking) and a Markdown table (for people), written
 * atomically side by side.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export interface Row {
  metric: string;
  value: number;
  unit: string;
  /** Target from the issue, when there is one, e.g. '≤ 3.5'. */
  target?: string;
  /** Whether the value meets the target (absent when there is none). */
  met?: boolean;
  note?: string;
}

export interface SuiteResult {
  suite: string;
  description: string;
  config: Record<string, unknown>;
  rows: Row[];
}

export interface Report {
  date: string;
  machine: { cpu: string; cores: number; node: string; platform: string };
  smoke: boolean;
  suites: SuiteResult[];
}

export function makeReport(suites: SuiteResult[], smoke: boolean): Report {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    machine: { cpu: c[0]?.model ?? 'unknown', cores: c.length, node: process.version, platform: `${process.platform}-${process.arch}` },
    smoke,
    suites,
  };
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

export function toMarkdown(r: Report): string {
  const lines = [`# minmax benchmarks${r.smoke ? ' (smoke run: tiny sizes, figures not meaningful)' : ''}`, '', `${r.date} · ${r.machine.cpu} · ${r.machine.cores} cores · Node ${r.machine.node}`, ''];
  for (const s of r.suites) {
    lines.push(`## ${s.suite}`, '', s.description, '', `config: \`${JSON.stringify(s.config)}\``, '');
    lines.push('| metric | value | unit | target | met |', '|---|---:|---|---|---|');
    for (const row of s.rows) {
      lines.push(`| ${row.metric}${row.note ? ` (${row.note})` : ''} | ${fmt(row.value)} | ${row.unit} | ${row.target ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function writeReport(dir: string, name: string, r: Report): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const md = join(dir, `${name}.md`);
  for (const [file, text] of [
    [json, JSON.stringify(r, null, 2) + '\n'],
    [md, toMarkdown(r) + '\n'],
  ] as const) {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
  return { json, md };
}
