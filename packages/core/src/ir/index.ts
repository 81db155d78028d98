export type {
  Param,
  DenseLayer,
  ConvLayer,
  ReluLayer,
  FlattenLayer,
  ReshapeLayer,
  AffineLayer,
  PoolLayer,
  Layer,
  LayerKind,
  Network,
} from './network.js';
export { layerShapes, layerOutputShape, outputShape, outputSize, shapeSize } from './shapes.js';
export { forward64, forwardLayers64, applyLayer64 } from './forward.js';
export { describeNetwork, type LayerDescription, type NetworkDescription } from './describe.js';
