/**
 * minmax's network representation: a feed-forward chain of layers with named parameters, the
 * form every consumer needs (autodiff graphs, attacks, interval/linear bounds, MIP encodings,
 * training). ONNX graphs are canonicalised into it on import (`onnx/import.ts`): shape-computing
 * subgraphs are folded, BatchNormalization is folded into the preceding linear layer, constant
 * arithmetic becomes `affine`, MatMul+Add becomes `dense`. Shapes exclude the batch dimension.
 */

/** A named parameter tensor (float32, row-major / C order). Names are the ONNX initializer names. */
export interface Param {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** y = x Wᵀ + b with W: [out, in] (PyTorch Linear / Gemm transB=1 layout). */
export interface DenseLayer {
  kind: 'dense';
  name: string;
  weight: Param;
  bias: Param;
}

/** 2-D convolution, NCHW, weight [outC, inC, kH, kW], group 1. */
export interface ConvLayer {
  kind: 'conv';
  name: string;
  weight: Param;
  bias: Param;
  strides: [number, number];
  /** [top, left, bottom, right] as in ONNX `pads` (begin..., end...). */
  pads: [number, number, number, number];
  dilations: [number, number];
}

export interface ReluLayer {
  kind: 'relu';
  name: string;
}

/** Reshape to [N, prod(inputShape)] (ONNX Flatten axis=1, or a folded Shape→…→Reshape chain). */
export interface FlattenLayer {
  kind: 'flatten';
  name: string;
}

/** Reshape to [N, ...shape]. */
export interface ReshapeLayer {
  kind: 'reshape';
  name: string;
  shape: number[];
}

/**
 * Elementwise y = x·scale + shift, with scale/shift broadcast against the per-example shape
 * (ONNX multidirectional broadcasting, batch dim excluded): shape [] (scalar), [C,1,1] (per
 * channel), or the full shape. Constant Sub/Div/Mul/Add (input normalisation) and a
 * BatchNormalization with no linear layer before it become this.
 */
export interface AffineLayer {
  kind: 'affine';
  name: string;
  scale: Param;
  shift: Param;
}

export interface PoolLayer {
  kind: 'avgpool' | 'maxpool';
  name: string;
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  /** AveragePool only: whether padded zeros count in the divisor (ONNX count_include_pad). */
  countIncludePad: boolean;
}

export type Layer = DenseLayer | ConvLayer | ReluLayer | FlattenLayer | ReshapeLayer | AffineLayer | PoolLayer;
export type LayerKind = Layer['kind'];

export interface Network {
  /** Input tensor name (e.g. 'input') and per-example shape, e.g. [1, 28, 28]. */
  inputName: string;
  inputShape: number[];
  /** Output tensor name (e.g. 'logits'); output is [N, outputSize]. */
  outputName: string;
  layers: Layer[];
  /** ONNX metadata_props carried through load/save (training metadata lives here). */
  metadata: Record<string, string>;
}
