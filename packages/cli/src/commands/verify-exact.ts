/**
 * `minmax verify --method lp|mip|complete`: the exact-verification methods (HiGHS). verify.ts
 * delegates here for every method this map names.
 */
import type { VerifyOptions } from './verify-options.js';

export const exactVerifyMethods: Record<string, (o: VerifyOptions) => Promise<number>> = {};
