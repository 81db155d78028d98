/**
 * The datasets a training run sees: the chapter-2 binary task, and the split of the training set
 * into the part trained on and the fgsm-rs guard's held-out slice.
 */
import { subset, type Dataset } from '../data/dataset.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * The examples whose label is one of `digits`, relabelled 0, 1, … in that order, in file order
 * (tutorial ch. 2: MNIST restricted to labels 0 and 1; 12,665 train and 2,115 test images).
 */
export function digitSubset(ds: Dataset, digits: readonly number[] = [0, 1]): Dataset {
  if (digits.length < 2 || new Set(digits).size !== digits.length) throw new InvalidArgumentError(`digit subset needs at least two distinct digits, got [${digits.join(', ')}]`);
  const pick: number[] = [];
  for (let i = 0; i < ds.n; i++) if (digits.includes(ds.labels[i]!)) pick.push(i);
  const out = subset(ds, pick);
  const labels = new Int32Array(out.n);
  for (let k = 0; k < out.n; k++) labels[k] = digits.indexOf(out.labels[k]!);
  return { ...out, labels, numClasses: digits.length };
}

export interface TrainingSplit {
  train: Dataset;
  heldOut?: Dataset;
}

/**
 * The last `holdOut` examples (file order) are held out; training uses the first `limit` of the
 * rest (all of it when no limit is given).
 */
export function splitTraining(ds: Dataset, limit: number | undefined, holdOut: number): TrainingSplit {
  if (holdOut >= ds.n) throw new InvalidArgumentError(`cannot hold out ${holdOut} of ${ds.n} training examples`);
  const available = ds.n - holdOut;
  const train = subset(ds, Math.min(limit ?? available, available));
  if (holdOut === 0) return { train };
  const heldOut = subset(ds, Int32Array.from({ length: holdOut }, (_, k) => available + k));
  return { train, heldOut };
}
