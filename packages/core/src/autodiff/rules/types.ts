/**
 * The shape of a vector–Jacobian product rule: given the gradients flowing into a node's outputs,
 * emit (into the same builder) the gradients of its inputs.
 */
import type { GraphBuilder, TapeNode, Value } from '../builder.js';

export interface VjpContext {
  readonly b: GraphBuilder;
  readonly node: TapeNode;
  /** Gradient of the differentiated scalar with respect to each output; undefined means zero. At
   *  least one entry is defined, and for single-output ops it is dy[0]. */
  readonly dy: readonly (Value | undefined)[];
  /** Which inputs need a gradient (lie on a differentiable path from a value differentiated for). */
  readonly needs: readonly boolean[];
}

/** Returns one gradient per input, shaped like that input; undefined = zero or not needed. */
export type VjpRule = (ctx: VjpContext) => (Value | undefined)[];

/** The output gradient of a single-output op (the reverse pass only calls a rule when it exists). */
export function outputGrad(ctx: VjpContext): Value {
  const g = ctx.dy[0];
  if (g === undefined) throw new Error(`internal: ${ctx.node.opType} '${ctx.node.name}' reached without an output gradient`);
  return g;
}

/** Input `i`, which the reverse pass only asks for when it is present. */
export function inputAt(ctx: VjpContext, i: number): Value {
  const v = ctx.node.inputs[i];
  if (v === undefined) throw new Error(`internal: ${ctx.node.opType} '${ctx.node.name}' has no input ${i}`);
  return v;
}
