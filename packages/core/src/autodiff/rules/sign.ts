/** Sign: piecewise constant, so its derivative is 0 wherever it exists (PyTorch returns 0 too). */
import type { VjpRule } from './types.js';

export const signVjp: VjpRule = () => [undefined];
