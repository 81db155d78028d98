/** Validation of a LinearMap argument, shared by the engines' one-off linear(). */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { MAX_DOT_LENGTH } from './float.js';
import type { LinearMap } from './types.js';

export function validateLinearMap(map: LinearMap): void {
  const { inDim, outDim, weight, bias } = map;
  if (!Number.isSafeInteger(inDim) || !Number.isSafeInteger(outDim) || inDim < 0 || outDim < 0 || inDim > MAX_DOT_LENGTH) {
    throw new ShapeError(`linear: dimensions must be integers in [0, ${MAX_DOT_LENGTH}], got outDim ${outDim}, inDim ${inDim}`);
  }
  if (weight.length !== outDim * inDim || bias.length !== outDim) {
    throw new ShapeError(
      `linear: weight must have outDim·inDim = ${outDim * inDim} values and bias ${outDim}, got ${weight.length} and ${bias.length}`,
    );
  }
  for (const [what, a] of [['weight', weight], ['bias', bias]] as const) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]!)) throw new InvalidArgumentError(`linear: ${what}[${i}] = ${a[i]} is not finite`);
    }
  }
}
