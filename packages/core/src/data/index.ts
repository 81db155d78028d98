export { Rng } from './rng.js';
export { parseIdx, IDX_UBYTE, type IdxTensor } from './idx.js';
export { mnistFromIdx, MNIST_CLASSES } from './mnist.js';
export {
  type Dataset,
  type Batch,
  type BatchOptions,
  createDataset,
  exampleSize,
  subset,
  batches,
  batchCount,
  exampleCount,
} from './dataset.js';
