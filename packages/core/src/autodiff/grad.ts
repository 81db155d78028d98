/**
 * Reverse-mode differentiation of a recorded graph, emitted as more nodes of the same graph.
 *
 * The tape is the builder's node list, which is topologically ordered, so a single backward sweep
 * visits every consumer of a value before its producer: when a node is reached, the gradient of
 * each of its outputs is complete and is the sum (Add, or Sum for three or more) of the
 * contributions of its consumers. Only nodes on a float-typed path from a differentiated value to
 * the output get rules applied; integer and boolean values (shapes, labels, masks) never carry
 * gradients.
 */
import { UnsupportedOpError } from '../errors.js';
import { DataType } from '../onnx/types.js';
import type { GraphBuilder, Value } from './builder.js';
import { isStatic, staticSize } from './shapes.js';
import { vjpRuleFor } from './rules/registry.js';

const isDifferentiable = (v: Value): boolean => v.dtype === DataType.FLOAT || v.dtype === DataType.DOUBLE;

export interface GradOptions {
  /** Gradient of the final scalar with respect to `y` (default: ones, i.e. d(Σ y)). */
  seed?: Value;
}

/**
 * Emits d(Σ seed·y)/d(w) for every w in `wrt` into the builder and returns them (shaped like w).
 * A w that `y` does not depend on gets zeros.
 */
export function grad(b: GraphBuilder, y: Value, wrt: readonly Value[], options: GradOptions = {}): Value[] {
  const tape = b.nodes.slice();
  const active = new Set(wrt.filter(isDifferentiable).map((v) => v.name));
  for (const n of tape) {
    if (n.inputs.some((v) => v !== undefined && active.has(v.name)))
      for (const o of n.outputs) if (isDifferentiable(o)) active.add(o.name);
  }

  const contributions = new Map<string, Value[]>();
  const total = (v: Value): Value | undefined => {
    const parts = contributions.get(v.name);
    if (!parts || parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    const sum = parts.length === 2 ? b.add(parts[0], parts[1]) : b.sum(parts);
    contributions.set(v.name, [sum]);
    return sum;
  };

  if (active.has(y.name)) {
    const seed = options.seed ?? (isStatic(y.shape) && staticSize(y.shape) === 1 ? b.constant([1], y.shape as number[], y.dtype) : b.constantOfShape(b.shapeOf(y), 1, y.dtype));
    contributions.set(y.name, [seed]);
    for (let k = tape.length - 1; k >= 0; k--) {
      const node = tape[k];
      const needs = node.inputs.map((v) => v !== undefined && active.has(v.name));
      if (!needs.some(Boolean)) continue;
      const dy = node.outputs.map(total);
      if (dy.every((d) => d === undefined)) continue;
      const rule = vjpRuleFor(node.opType);
      if (!rule) throw new UnsupportedOpError(node.opType, node.name, 'no reverse-mode rule');
      const dx = rule({ b, node, dy, needs });
      node.inputs.forEach((v, i) => {
        const d = dx[i];
        if (!v || !needs[i] || !d) return;
        const list = contributions.get(v.name);
        if (list) list.push(d);
        else contributions.set(v.name, [d]);
      });
    }
  }
  return wrt.map((w) => total(w) ?? b.zerosLike(w));
}
