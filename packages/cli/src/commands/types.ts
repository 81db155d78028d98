import type { Options } from '../args.js';

/** A CLI command: its own options, help, and an async body returning the exit code. */
export interface Command {
  summary: string;
  usage: string;
  options: Options;
  run(argv: string[]): Promise<number>;
}
