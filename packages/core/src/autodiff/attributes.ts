/**
 * Typed construction and lookup of ONNX node attributes. ONNX distinguishes int and float
 * attributes (e.g. Gemm alpha is a float, transB an int) while JS numbers do not, so every
 * attribute is built through one of these constructors rather than inferred from the value.
 */
import { InvalidArgumentError } from '../errors.js';
import type { AttributeValue, TensorProto } from '../onnx/types.js';

export type Attrs = Record<string, AttributeValue>;

export const attrInt = (i: number): AttributeValue => ({ type: 'int', i });
export const attrFloat = (f: number): AttributeValue => ({ type: 'float', f });
export const attrInts = (ints: readonly number[]): AttributeValue => ({ type: 'ints', ints: [...ints] });
export const attrString = (s: string): AttributeValue => ({ type: 'string', s });
export const attrTensor = (t: TensorProto): AttributeValue => ({ type: 'tensor', t });

interface HasAttrs {
  readonly opType: string;
  readonly name: string;
  readonly attrs: Readonly<Attrs>;
}

function wrongType(node: HasAttrs, key: string, want: string): never {
  throw new InvalidArgumentError(`${node.opType} node '${node.name}': attribute '${key}' is not ${want}`);
}

export function getInt(node: HasAttrs, key: string, fallback: number): number {
  const a = node.attrs[key];
  if (a === undefined) return fallback;
  if (a.type !== 'int') wrongType(node, key, 'an int');
  return a.i;
}

export function getFloat(node: HasAttrs, key: string, fallback: number): number {
  const a = node.attrs[key];
  if (a === undefined) return fallback;
  if (a.type !== 'float') wrongType(node, key, 'a float');
  return a.f;
}

export function getInts(node: HasAttrs, key: string): number[] | undefined {
  const a = node.attrs[key];
  if (a === undefined) return undefined;
  if (a.type !== 'ints') wrongType(node, key, 'a list of ints');
  return a.ints;
}

export function getString(node: HasAttrs, key: string, fallback: string): string {
  const a = node.attrs[key];
  if (a === undefined) return fallback;
  if (a.type !== 'string') wrongType(node, key, 'a string');
  return a.s;
}
