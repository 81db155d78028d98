/**
 * The reverse-mode rule of every differentiable op the builder can record. Ops absent here either
 * have no float output (Shape, comparisons, ArgMax, OneHot over constants, ConstantOfShape) and so
 * never carry a gradient, or are refused with UnsupportedOpError when a gradient must pass them.
 */
import { absVjp } from './abs.js';
import { addVjp } from './add.js';
import { averagePoolVjp } from './avgpool.js';
import { batchNormVjp } from './batch-norm.js';
import { castVjp } from './cast.js';
import { clipVjp } from './clip.js';
import { concatVjp } from './concat.js';
import { convTransposeVjp } from './conv-transpose.js';
import { convVjp } from './conv.js';
import { divVjp } from './div.js';
import { expVjp } from './exp.js';
import { expandVjp } from './expand.js';
import { gatherElementsVjp } from './gather-elements.js';
import { gatherVjp } from './gather.js';
import { gemmVjp } from './gemm.js';
import { identityVjp } from './identity.js';
import { logSoftmaxVjp } from './log-softmax.js';
import { logVjp } from './log.js';
import { matmulVjp } from './matmul.js';
import { extremumVjp } from './max.js';
import { maxPoolVjp } from './maxpool.js';
import { mulVjp } from './mul.js';
import { negVjp } from './neg.js';
import { powVjp } from './pow.js';
import { reduceExtremumVjp } from './reduce-max.js';
import { reduceMeanVjp } from './reduce-mean.js';
import { reduceSumVjp } from './reduce-sum.js';
import { reluVjp } from './relu.js';
import { reshapeVjp } from './reshape.js';
import { signVjp } from './sign.js';
import { softmaxVjp } from './softmax.js';
import { sqrtVjp } from './sqrt.js';
import { subVjp } from './sub.js';
import { sumVjp } from './sum.js';
import { topKVjp } from './topk.js';
import { transposeVjp } from './transpose.js';
import { whereVjp } from './where.js';
import type { VjpRule } from './types.js';

export const vjpRules = {
  Abs: absVjp,
  Add: addVjp,
  AveragePool: averagePoolVjp,
  BatchNormalization: batchNormVjp,
  Cast: castVjp,
  Clip: clipVjp,
  Concat: concatVjp,
  Conv: convVjp,
  ConvTranspose: convTransposeVjp,
  Div: divVjp,
  Exp: expVjp,
  Expand: expandVjp,
  Flatten: reshapeVjp,
  Gather: gatherVjp,
  GatherElements: gatherElementsVjp,
  Gemm: gemmVjp,
  Identity: identityVjp,
  Log: logVjp,
  LogSoftmax: logSoftmaxVjp,
  MatMul: matmulVjp,
  Max: extremumVjp,
  MaxPool: maxPoolVjp,
  Min: extremumVjp,
  Mul: mulVjp,
  Neg: negVjp,
  Pow: powVjp,
  ReduceMax: reduceExtremumVjp,
  ReduceMean: reduceMeanVjp,
  ReduceMin: reduceExtremumVjp,
  ReduceSum: reduceSumVjp,
  Relu: reluVjp,
  Reshape: reshapeVjp,
  Sign: signVjp,
  Softmax: softmaxVjp,
  Sqrt: sqrtVjp,
  Squeeze: reshapeVjp,
  Sub: subVjp,
  Sum: sumVjp,
  TopK: topKVjp,
  Transpose: transposeVjp,
  Unsqueeze: reshapeVjp,
  Where: whereVjp,
} as const satisfies Readonly<Record<string, VjpRule>>;

/** Op types that have a reverse-mode rule. */
export type DifferentiableOp = keyof typeof vjpRules;

/** The rule for `opType`, if it has one. */
export const vjpRuleFor = (opType: string): VjpRule | undefined => (vjpRules as Readonly<Record<string, VjpRule>>)[opType];
