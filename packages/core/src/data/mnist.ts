/**
 * MNIST from its raw IDX files, exactly as torchvision's `transforms.ToTensor()` presents it to
 * the tutorial: pixels uint8/255 as float32 in [0, 1], shape [N, 1, 28, 28], no normalisation.
 * Platform-free (takes bytes); `node/mnist.ts` reads the files.
 */
import { DataFormatError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { parseIdx } from './idx.js';

export const MNIST_CLASSES = 10;

/** `name` identifies the files in error messages: one name for the pair (e.g. 'MNIST test'), or
 *  the two file names. */
export function mnistFromIdx(imagesBytes: Uint8Array, labelsBytes: Uint8Array, name: string | { images: string; labels: string }): Dataset {
  const names = typeof name === 'string' ? { images: `${name} images`, labels: `${name} labels` } : name;
  const img = parseIdx(imagesBytes, names.images, 3);
  const lab = parseIdx(labelsBytes, names.labels, 1);
  const [n, rows, cols] = img.dims as [number, number, number];
  const nLabels = lab.dims[0]!;
  if (n !== nLabels) {
    throw new DataFormatError(`${names.images} has ${n} images but ${names.labels} has ${nLabels} labels`);
  }
  const images = new Float32Array(img.data.length);
  // Division (not multiplication by 1/255) matches torch's ToTensor bit for bit.
  for (let i = 0; i < images.length; i++) images[i] = img.data[i]! / 255;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = lab.data[i]!;
    if (l >= MNIST_CLASSES) throw new DataFormatError(`${names.labels}: label ${l} at index ${i} is not a digit 0–9`);
    labels[i] = l;
  }
  return { n, inputShape: [1, rows, cols], images, labels, numClasses: MNIST_CLASSES };
}
