/**
 * The minmax command line. Thin by design: every command parses options, calls @minmax/core, and
 * formats the result (table or --json). Errors from core are typed; they print as one line.
 */
import { MinmaxError } from '@minmax/core';
import { helpText, UsageError } from './args.js';
import { attackCommand } from './commands/attack.js';
import { boundsCommand } from './commands/bounds.js';
import { evalCommand } from './commands/eval.js';
import { infoCommand } from './commands/info.js';
import { verifyCommand } from './commands/verify.js';
import { vnnlibCommand } from './commands/vnnlib.js';
import { trainCommand } from './commands/train.js';
import { reproduceCommand } from './commands/reproduce.js';
import { landscapeCommand } from './commands/landscape.js';
import type { Command } from './commands/types.js';

export const commands: Record<string, Command> = {
  eval: evalCommand,
  attack: attackCommand,
  info: infoCommand,
  verify: verifyCommand,
  vnnlib: vnnlibCommand,
  bounds: boundsCommand,
  train: trainCommand,
  reproduce: reproduceCommand,
  landscape: landscapeCommand,
};

function usage(): string {
  const lines = ['minmax — adversarial robustness of neural networks', '', 'usage: minmax <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', "run 'minmax <command> --help' for a command's options");
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`minmax: unknown command '${name}'\n\n${usage()}\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(name, command.summary, command.usage, command.options) + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    const err = e as Error;
    const known = err instanceof MinmaxError || err instanceof UsageError;
    process.stderr.write(`minmax ${name}: ${known ? '' : 'internal error: '}${err.message}\n`);
    if (!known || process.env.MINMAX_DEBUG) process.stderr.write((err.stack ?? '') + '\n');
    return known && err instanceof UsageError ? 2 : 1;
  }
}
