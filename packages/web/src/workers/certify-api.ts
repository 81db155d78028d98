/** The certify worker's methods, shared by the worker and the page (types only). */
import type { CertificateStatus, DecidedBy } from '@minmax/core';
import type { BoundMethod, ExactMethod } from '../certify/methods.js';
import type { RadiusStep } from '../certify/radius.js';

/** One digit and its ℓ∞ box: x (inputSize floats in [0,1]) ± eps, optionally ∩ [0,1]. */
export interface CertifyQuery {
  x: Float32Array;
  label: number;
  eps: number;
  clamp: boolean;
}

export interface OpenedModel {
  name: string;
  classes: number;
  inputSize: number;
  /** ReLUs of the network: the MIP has one binary per unstable one. */
  relus: number;
}

/** Lower bounds of z_label − z_t from ibp / crown / alpha-crown. */
export interface BoundResult {
  kind: 'bounds';
  method: BoundMethod;
  eps: number;
  clamp: boolean;
  label: number;
  /** Per class; NaN at the label. */
  margins: Float64Array;
  status: 'verified' | 'not verified';
  seconds: number;
}

/** The uploaded ONNX file run as it is (ONNX Runtime Web) on a counterexample, or why that failed. */
export type UploadedVerdict = { predicted: number; logits: Float32Array } | { error: string };

/** A counterexample core confirmed, and what the uploaded model itself says about it. */
export interface CounterexampleView {
  /** The float32 input inside the box. */
  x: Float32Array;
  /** Core's re-check: the network as minmax imported it, run in ONNX Runtime. */
  predicted: number;
  logits: Float32Array;
  uploaded: UploadedVerdict;
}

export interface TargetView {
  target: number;
  status: CertificateStatus;
  /** The LP / MIP optimum of min z_label − z_t (MIP stopped early: the incumbent); NaN when none. */
  objective: number;
  /** A proven lower bound of min z_label − z_t (−∞ when none). */
  bound: number;
  by: DecidedBy;
  seconds: number;
  gap?: number;
  note?: string;
  counterexample?: CounterexampleView;
}

/** Per-target LP or MIP certificates (core's ExampleCertificate). */
export interface ExactResult {
  kind: 'exact';
  method: ExactMethod;
  eps: number;
  clamp: boolean;
  label: number;
  /** Clean prediction of the network. */
  predicted: number;
  status: CertificateStatus;
  targets: TargetView[];
  /** Unstable ReLUs per layer under the bounds the LP/MIP used. */
  unstable: number[];
  seconds: number;
}

export interface RadiusResult {
  method: BoundMethod;
  clamp: boolean;
  label: number;
  /** The largest ε verified (0 when none). */
  radius: number;
  /** The smallest ε not verified, or null when the search stopped at its maximum. */
  upper: number | null;
  tolerance: number;
  steps: RadiusStep[];
  outcome: 'converged' | 'at-max' | 'none' | 'cancelled';
  seconds: number;
}

export interface ExactArgs extends CertifyQuery {
  method: ExactMethod;
  /** Seconds per target solve. */
  timeLimit: number;
}

export interface RadiusArgs {
  x: Float32Array;
  label: number;
  clamp: boolean;
  method: BoundMethod;
  /** First ε tried (doubled until it fails). */
  start: number;
  tolerance: number;
}

export interface CertifyApi {
  /** Imports a model for analysis, replacing the current one. `bytes` is transferred. */
  open: { args: { name: string; bytes: ArrayBuffer }; result: OpenedModel };
  bounds: { args: CertifyQuery & { method: BoundMethod }; result: BoundResult };
  exact: { args: ExactArgs; result: ExactResult };
  radius: { args: RadiusArgs; result: RadiusResult };
  close: { args: Record<string, never>; result: null };
}
