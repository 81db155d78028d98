/**
 * The contract between attacks/evaluation and whatever computes logits and input gradients.
 * The product implementation is `runtime/ort-model.ts` (ONNX Runtime running graphs emitted by
 * `autodiff/`); attacks depend only on this interface.
 */

/**
 * Objectives an attack maximises, per example (z = logits, y = label, t = target):
 * - `ce`: cross-entropy logsumexp(z) − z_y (the tutorial's loss);
 * - `margin`: Carlini–Wagner margin max_{j≠y} z_j − z_y;
 * - `targeted`: z_t − z_y;
 * - `targeted-sum`: z_t − Σ_{j≠t} z_j (the tutorial's ch. 3 targeted objective).
 */
export type ObjectiveKind = 'ce' | 'margin' | 'targeted' | 'targeted-sum';

/** How per-example objectives combine into the scalar that is differentiated.
 *  `mean` (the tutorial's batch-mean) scales gradients by 1/N; signs are unaffected. */
export type Reduction = 'mean' | 'sum';

export interface Objective {
  kind: ObjectiveKind;
  reduction?: Reduction; // default 'mean'
}

export const isTargeted = (kind: ObjectiveKind): boolean => kind === 'targeted' || kind === 'targeted-sum';

export interface LossAndGrad {
  /** [N, classes] logits at x. */
  logits: Float32Array;
  /** [N] per-example objective values (unreduced). */
  losses: Float32Array;
  /** [N, ...inputShape] gradient of the reduced objective with respect to x. */
  grad: Float32Array;
}

export interface GradientModel {
  /** Per-example input shape, e.g. [1, 28, 28]. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Logits [N, classes] for a batch x [N, ...inputShape]. */
  logits(x: Float32Array, n: number): Promise<Float32Array>;
  /** Objective values and the input gradient of the reduced objective. `targets` is required for
   *  targeted objectives and ignored otherwise. */
  lossAndGrad(x: Float32Array, n: number, labels: Int32Array, objective: Objective, targets?: Int32Array): Promise<LossAndGrad>;
  dispose(): Promise<void>;
}
