/**
 * Shared parsing of the bound-method options of `minmax verify` and `minmax bounds` into core's
 * SpecBoundOptions (one place decides what --intermediate, --slope and the α flags mean).
 */
import { CERTIFY_METHODS, type CertifyMethod, type SpecBoundOptions } from '@minmax/core';
import { UsageError } from '../args.js';

export interface BoundFlags {
  intermediate?: string;
  slope?: string;
  'alpha-iterations'?: number;
  'alpha-lr'?: number;
}

export function boundMethod(method: string, others: readonly string[] = []): CertifyMethod {
  if (!(CERTIFY_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`unknown method '${method}' (known: ${[...CERTIFY_METHODS, ...others].join(', ')})`);
  }
  return method as CertifyMethod;
}

export function boundOptions(method: CertifyMethod, o: BoundFlags): SpecBoundOptions {
  const intermediate = o.intermediate ?? 'crown';
  if (intermediate !== 'crown' && intermediate !== 'ibp') throw new UsageError(`--intermediate must be crown or ibp, got '${intermediate}'`);
  const slope = o.slope ?? 'adaptive';
  if (slope !== 'adaptive' && slope !== 'wong-kolter') throw new UsageError(`--slope must be adaptive or wong-kolter, got '${slope}'`);
  return {
    method,
    intermediate,
    slope,
    alpha: { iterations: o['alpha-iterations'] ?? 20, lr: o['alpha-lr'] ?? 0.1 },
  };
}
