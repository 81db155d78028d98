/**
 * Typed option parsing over node:util parseArgs. Every command declares its options once; values
 * are validated here so commands receive numbers that are finite and in range, and a bad flag is
 * one clear line (UsageError), never a stack trace.
 */
import { parseArgs } from 'node:util';
import { MinmaxError } from '@minmax/core';

export class UsageError extends MinmaxError {
  override name = 'UsageError';
}

export type OptionSpec =
  | { type: 'string'; description: string; default?: string; short?: string }
  | { type: 'number'; description: string; default?: number; min?: number; integer?: boolean }
  | { type: 'boolean'; description: string; short?: string };

export type Options = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { type: 'number' } ? number : S extends { type: 'boolean' } ? boolean : string;
export type Parsed<O extends Options> = { [K in keyof O]: ValueOf<O[K]> | undefined };

export function parseOptions<O extends Options>(command: string, argv: string[], spec: O): Parsed<O> {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, s] of Object.entries(spec)) {
    config[name] = { type: s.type === 'boolean' ? 'boolean' : 'string' };
    if ('short' in s && s.short) config[name].short = s.short;
  }
  // parseArgs reads '--eps -0.1' as a missing value; a negative number after a value option is
  // that option's value (then rejected by its range check with a clear message).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    if (name && spec[name] && spec[name].type !== 'boolean' && /^-\d|^-\.\d/.test(argv[i + 1] ?? '')) {
      args.push(`${argv[i]}=${argv[++i]}`);
    } else args.push(argv[i]);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: config, allowPositionals: false, strict: true }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')} (see 'minmax ${command} --help')`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = values[name];
    if (s.type === 'boolean') {
      out[name] = raw === true ? true : undefined;
      continue;
    }
    if (raw === undefined) {
      out[name] = s.default;
      continue;
    }
    if (s.type === 'string') {
      out[name] = raw;
      continue;
    }
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
    if (s.min !== undefined && v < s.min) throw new UsageError(`--${name} must be ≥ ${s.min}, got ${v}`);
    if (s.integer && !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got ${v}`);
    out[name] = v;
  }
  return out as Parsed<O>;
}

export function requireOption<T>(command: string, name: string, v: T | undefined): T {
  if (v === undefined) throw new UsageError(`--${name} is required (see 'minmax ${command} --help')`);
  return v;
}

export function helpText(command: string, summary: string, usage: string, spec: Options): string {
  const lines = [`minmax ${command} — ${summary}`, '', `usage: minmax ${command} ${usage}`, '', 'options:'];
  for (const [name, s] of Object.entries(spec)) {
    const flag = s.type === 'boolean' ? `--${name}` : `--${name} <${s.type === 'number' ? 'n' : 'value'}>`;
    const def = 'default' in s && s.default !== undefined ? ` (default ${s.default})` : '';
    lines.push(`  ${flag.padEnd(26)} ${s.description}${def}`);
  }
  return lines.join('\n');
}
