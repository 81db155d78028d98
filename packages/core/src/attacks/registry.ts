/**
 * Attacks by name, for the CLI, the web app and configuration files. Each entry fixes the
 * tutorial's setting of that attack; any option can still be overridden.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Attack, AttackOptions } from './base.js';
import { Fgsm, type FgsmOptions } from './fgsm.js';
import { Pgd, type PgdOptions } from './pgd.js';
import { PgdL2, type PgdL2Options } from './pgd-l2.js';

export const attackRegistry = {
  /** FGSM, ε 0.1 (ch. 3/4). */
  fgsm: (o: FgsmOptions = {}): Attack => new Fgsm(o),
  /** ℓ∞ PGD from δ = 0, ε 0.1, α 0.01, 40 steps (ch. 3). */
  pgd: (o: PgdOptions = {}): Attack => new Pgd(o),
  /** ℓ2 PGD with clipping to [0, 1], ε 2, α 0.1, 40 steps (ch. 3). */
  'pgd-l2': (o: PgdL2Options = {}): Attack => new PgdL2(o),
  /** ℓ∞ PGD, uniform random starts, 10 restarts keeping the per-example worst (ch. 3 pgd_linf_rand). */
  'pgd-restarts': (o: PgdOptions = {}): Attack => new Pgd({ randomStart: true, restarts: 10, ...o }, 'pgd-restarts'),
  /** Targeted ℓ∞ PGD maximising z_t − z_y, ε 0.2 (ch. 3 pgd_linf_targ); needs `target` or per-example targets. */
  'pgd-targeted': (o: PgdOptions = {}): Attack => new Pgd({ eps: 0.2, objective: 'targeted', ...o }, 'pgd-targeted'),
  /** Targeted ℓ∞ PGD maximising z_t − Σ_{j≠t} z_j, ε 0.2 (ch. 3 pgd_linf_targ2). */
  'pgd-targeted-sum': (o: PgdOptions = {}): Attack => new Pgd({ eps: 0.2, objective: 'targeted-sum', ...o }, 'pgd-targeted-sum'),
} as const satisfies { [K in keyof AttackOptionsByName]: (o?: AttackOptionsByName[K]) => Attack };

export type AttackName = keyof typeof attackRegistry;
/** Options type of each registered attack. */
export interface AttackOptionsByName {
  fgsm: FgsmOptions;
  pgd: PgdOptions;
  'pgd-l2': PgdL2Options;
  'pgd-restarts': PgdOptions;
  'pgd-targeted': PgdOptions;
  'pgd-targeted-sum': PgdOptions;
}
export type AttackOptionsFor<K extends AttackName> = AttackOptionsByName[K];

export const attackNames = Object.keys(attackRegistry) as AttackName[];

const OPTION_KEYS: readonly (keyof AttackOptions)[] = [
  'eps', 'domain', 'alpha', 'steps', 'restarts', 'randomStart', 'clip', 'objective', 'reduction', 'target', 'seed',
];

export const isAttackName = (name: string): name is AttackName => Object.hasOwn(attackRegistry, name);

/**
 * Builds a registered attack. Unknown names and option keys (e.g. from a command line or a JSON
 * config) are rejected with the list of valid ones, so a typo never silently runs the default.
 */
export function createAttack<K extends AttackName>(name: K, options?: AttackOptionsFor<K>): Attack;
export function createAttack(name: string, options?: Record<string, unknown>): Attack;
export function createAttack(name: string, options: object = {}): Attack {
  if (!isAttackName(name)) throw new InvalidArgumentError(`unknown attack '${name}'; known attacks: ${attackNames.join(', ')}`);
  const allowed = name === 'fgsm' ? OPTION_KEYS.filter((k) => k !== 'steps') : OPTION_KEYS;
  for (const key of Object.keys(options)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`attack '${name}' has no option '${key}'; options: ${allowed.join(', ')}`);
    }
  }
  return attackRegistry[name](options as AttackOptions);
}
