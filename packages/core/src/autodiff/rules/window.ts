/**
 * Window attributes (kernel, strides, pads, dilations) of a recorded Conv / ConvTranspose / pooling
 * node, with ONNX defaults applied. Variants whose reverse rule is not implemented (auto_pad,
 * grouped convolution, ceil_mode) are refused here rather than differentiated wrongly.
 */
import { UnsupportedOpError } from '../../errors.js';
import { getInt, getInts, getString } from '../attributes.js';
import type { TapeNode } from '../builder.js';

export interface Window {
  spatial: number;
  kernel: number[];
  strides: number[];
  /** Begins then ends, as in ONNX. */
  pads: number[];
  dilations: number[];
}

export function nodeWindow(node: TapeNode, kernelFallback?: readonly (number | string)[]): Window {
  const autoPad = getString(node, 'auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET') throw new UnsupportedOpError(node.opType, node.name, `auto_pad=${autoPad} has no reverse rule; use explicit pads`);
  if (getInt(node, 'group', 1) !== 1) throw new UnsupportedOpError(node.opType, node.name, 'grouped convolution has no reverse rule');
  if (getInt(node, 'ceil_mode', 0) !== 0) throw new UnsupportedOpError(node.opType, node.name, 'ceil_mode=1 has no reverse rule');
  const kernel = getInts(node, 'kernel_shape') ?? kernelFallback;
  if (!kernel || !kernel.every((k): k is number => typeof k === 'number'))
    throw new UnsupportedOpError(node.opType, node.name, 'kernel size unknown');
  const spatial = kernel.length;
  return {
    spatial,
    kernel: [...kernel],
    strides: getInts(node, 'strides') ?? new Array<number>(spatial).fill(1),
    pads: getInts(node, 'pads') ?? new Array<number>(2 * spatial).fill(0),
    dilations: getInts(node, 'dilations') ?? new Array<number>(spatial).fill(1),
  };
}
