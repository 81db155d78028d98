/**
 * What exact verification reports. A target t ≠ y is `verified` when min over the input set of
 * z_y − z_t is proven > 0, `falsified` when a point of the input set where z_t > z_y in float32
 * ONNX Runtime inference is exhibited, and `unknown` otherwise (time limit, or an optimum within
 * solver tolerance of 0). An example is falsified if any target is, verified if all are.
 */
export type CertificateStatus = 'verified' | 'falsified' | 'unknown';

/** The cheapest stage of the cascade that decided a target. */
export type DecidedBy = 'clean' | 'pgd' | 'interval' | 'crown' | 'lp' | 'mip' | 'none';

export type BoundsKind = 'interval' | 'crown' | 'lp';

export interface Counterexample {
  /** The float32 input (inside the input set) that ONNX Runtime classified. */
  readonly x: Float32Array;
  /** ONNX Runtime's logits at x. */
  readonly logits: Float32Array;
  readonly predicted: number;
}

export interface TargetCertificate {
  readonly target: number;
  readonly status: CertificateStatus;
  /**
   * Value of min z_y − z_t found by the deciding stage: the LP/MIP optimum (MIP stopped early:
   * the incumbent), or for bound stages their lower bound. NaN when no stage produced one.
   */
  readonly objective: number;
  /** A proven lower bound on min z_y − z_t (−∞ when none). */
  readonly bound: number;
  /** MIP stopped early: (incumbent − bound) / max(1, |incumbent|). */
  readonly gap?: number;
  readonly by: DecidedBy;
  readonly seconds: number;
  readonly counterexample?: Counterexample;
  readonly note?: string;
}

export interface ExampleCertificate {
  readonly label: number;
  /** Clean prediction (float32 ONNX Runtime). */
  readonly predicted: number;
  readonly status: CertificateStatus;
  /** One entry per target class t ≠ label, ascending. */
  readonly targets: readonly TargetCertificate[];
  /** Unstable ReLUs per layer under the bounds the LP/MIP used. */
  readonly unstable: readonly number[];
  readonly seconds: number;
}

export function exampleStatus(targets: readonly TargetCertificate[]): CertificateStatus {
  if (targets.some((t) => t.status === 'falsified')) return 'falsified';
  return targets.every((t) => t.status === 'verified') ? 'verified' : 'unknown';
}

export function relativeGap(incumbent: number, bound: number): number | undefined {
  if (!Number.isFinite(incumbent) || !Number.isFinite(bound)) return undefined;
  return Math.max(0, incumbent - bound) / Math.max(1, Math.abs(incumbent));
}
