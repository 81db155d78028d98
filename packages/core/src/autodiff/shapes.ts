/**
 * Static shape inference for the graphs the builder records. Dimensions are numbers when known
 * and strings when symbolic ('N' for the batch). Two equal strings denote the same runtime size,
 * which is what lets the reverse pass tell a broadcast axis (operand 1, output 'N') from a
 * matching one (both 'N') without running the graph.
 */
import { ShapeError } from '../errors.js';
import type { Dim } from '../onnx/types.js';

export type Shape = readonly Dim[];

export const isStatic = (s: Shape): s is readonly number[] => s.every((d) => typeof d === 'number');

export const shapeStr = (s: Shape): string => `[${s.join(',')}]`;

/** Product of the dimensions, or undefined when one is symbolic. */
export function staticSize(s: Shape): number | undefined {
  let n = 1;
  for (const d of s) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${what}: axis ${axis} out of range for rank ${rank}`);
  return a;
}

let unknownCounter = 0;
/** A fresh symbol for a dimension whose size only the runtime knows. */
export const unknownDim = (): string => `?${++unknownCounter}`;

/** ONNX multidirectional (numpy) broadcasting. */
export function broadcastShapes(shapes: readonly Shape[], what: string): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s.length);
      if (k < 0) continue;
      const e = s[k];
      if (e === 1 || e === d) continue;
      if (d === 1) d = e;
      else if (typeof d === 'number' && typeof e === 'number')
        throw new ShapeError(`${what}: shapes ${shapes.map(shapeStr).join(' and ')} do not broadcast`);
      // A symbolic size meeting a known size > 1 must equal it (or be 1): the known size wins.
      else if (typeof e === 'number') d = e;
      else if (typeof d === 'string') d = unknownDim();
    }
    out.push(d);
  }
  return out;
}

/** Output spatial size of a convolution / pooling window along one axis (ceil_mode 0). */
export function windowOutput(
  size: Dim,
  kernel: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation: number,
  what: string,
): Dim {
  if (typeof size !== 'number') return unknownDim();
  const span = dilation * (kernel - 1) + 1;
  const padded = size + padBegin + padEnd;
  if (padded < span)
    throw new ShapeError(`${what}: window ${span} larger than padded input ${padded}`);
  return Math.floor((padded - span) / stride) + 1;
}

/** ConvTranspose output size along one axis (ONNX ConvTranspose, explicit pads). */
export function transposedWindowOutput(
  size: Dim,
  kernel: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation: number,
  outputPadding: number,
): Dim {
  if (typeof size !== 'number') return unknownDim();
  return stride * (size - 1) + outputPadding + dilation * (kernel - 1) + 1 - padBegin - padEnd;
}

/**
 * Resolves an ONNX Reshape target (0 copies the input dim, −1 is inferred) against the input shape.
 */
export function reshapeShape(input: Shape, target: readonly Dim[], what: string): Dim[] {
  const out: Dim[] = target.map((d, i) => {
    if (d === 0) {
      if (i >= input.length) throw new ShapeError(`${what}: 0 at position ${i} beyond input rank ${input.length}`);
      return input[i];
    }
    return d;
  });
  const neg = out.findIndex((d) => d === -1);
  if (neg >= 0) {
    if (out.indexOf(-1, neg + 1) >= 0) throw new ShapeError(`${what}: more than one -1 in ${shapeStr(target)}`);
    const total = staticSize(input);
    const rest = staticSize(out.filter((_, i) => i !== neg));
    if (total !== undefined && rest !== undefined) {
      if (rest === 0 || total % rest !== 0)
        throw new ShapeError(`${what}: cannot reshape ${shapeStr(input)} to ${shapeStr(target)}`);
      out[neg] = total / rest;
    } else {
      // The common case with a symbolic batch: [N, a, b] → [N, -1] or [-1, k] keeps the symbol.
      const inSym = input.filter((d): d is string => typeof d === 'string');
      const outSym = out.filter((d, i): d is string => i !== neg && typeof d === 'string');
      const inStatic = staticSize(input.filter((d) => typeof d === 'number'));
      const outStatic = staticSize(out.filter((d, i) => i !== neg && typeof d === 'number'));
      const sameSymbols = outSym.every((s) => inSym.includes(s));
      if (sameSymbols && inSym.length - outSym.length === 0 && inStatic !== undefined && outStatic !== undefined && outStatic > 0 && inStatic % outStatic === 0)
        out[neg] = inStatic / outStatic;
      else if (sameSymbols && inSym.length - outSym.length === 1 && outStatic !== undefined && inStatic === outStatic)
        out[neg] = inSym.find((sym) => !outSym.includes(sym)) as string;
      else out[neg] = unknownDim();
    }
  } else {
    const a = staticSize(input);
    const b = staticSize(out);
    if (a !== undefined && b !== undefined && a !== b)
      throw new ShapeError(`${what}: cannot reshape ${shapeStr(input)} (${a} elements) to ${shapeStr(target)} (${b})`);
  }
  return out;
}
