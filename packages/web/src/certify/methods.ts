/**
 * The certification methods the panel offers, in the order of the certificate table's columns:
 * the bound methods of core's certify() on the WebAssembly engine, then core's exact LP and MIP.
 */
import type { CertifyMethod } from '@minmax/core';

export type BoundMethod = CertifyMethod;
export type ExactMethod = 'lp' | 'mip';
export type Method = BoundMethod | ExactMethod;

export const BOUND_METHODS: readonly BoundMethod[] = ['ibp', 'crown', 'alpha-crown'];
export const EXACT_METHODS: readonly ExactMethod[] = ['lp', 'mip'];
export const METHODS: readonly Method[] = [...BOUND_METHODS, ...EXACT_METHODS];

export const METHOD_LABELS: Record<Method, string> = {
  ibp: 'IBP',
  crown: 'CROWN',
  'alpha-crown': 'α-CROWN',
  lp: 'LP',
  mip: 'MIP',
};

export const METHOD_HINTS: Record<Method, string> = {
  ibp: 'Interval bound propagation: cheapest, loosest.',
  crown: 'Linear relaxation of every ReLU, bounds propagated backwards.',
  'alpha-crown': 'CROWN with its ReLU slopes optimised (20 Adam steps).',
  lp: 'The LP relaxation of the exact encoding (HiGHS).',
  mip: 'The exact mixed-integer program (HiGHS): the true minimum margin.',
};

export const isExact = (m: Method): m is ExactMethod => m === 'lp' || m === 'mip';
