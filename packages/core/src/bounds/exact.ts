/**
 * Exact rational arithmetic for checking bounds: every float64 is an exact dyadic rational, and
 * dense/conv/affine/ReLU keep values dyadic; average pooling divides by small integers. A value
 * is num / (q · 2^k) with bigint num, positive bigint q (1 unless divided) and integer k ≥ 0, so
 * sums of dyadics only shift, never take gcds.
 */
export class Exact {
  private constructor(
    readonly num: bigint,
    readonly q: bigint,
    readonly k: number,
  ) {}

  static readonly ZERO = new Exact(0n, 1n, 0);

  /** The exact value of a finite float64. */
  static of(x: number): Exact {
    if (!Number.isFinite(x)) throw new RangeError(`Exact.of: ${x} is not finite`);
    if (x === 0) return Exact.ZERO;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const negative = bits >> 63n === 1n;
    const biased = Number((bits >> 52n) & 0x7ffn);
    let mant = bits & 0xfffffffffffffn;
    let exp: number;
    if (biased === 0) {
      exp = -1074;
    } else {
      mant |= 1n << 52n;
      exp = biased - 1075;
    }
    if (negative) mant = -mant;
    return exp >= 0 ? new Exact(mant << BigInt(exp), 1n, 0) : new Exact(mant, 1n, -exp);
  }

  sign(): number {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }

  neg(): Exact {
    return new Exact(-this.num, this.q, this.k);
  }

  add(o: Exact): Exact {
    if (o.num === 0n) return this;
    if (this.num === 0n) return o;
    const k = Math.max(this.k, o.k);
    let a = this.num << BigInt(k - this.k);
    let b = o.num << BigInt(k - o.k);
    let q = this.q;
    if (this.q !== o.q) {
      const g = gcd(this.q, o.q);
      q = (this.q / g) * o.q;
      a *= q / this.q;
      b *= q / o.q;
    }
    return new Exact(a + b, q, k);
  }

  sub(o: Exact): Exact {
    return this.add(o.neg());
  }

  mul(o: Exact): Exact {
    if (this.num === 0n || o.num === 0n) return Exact.ZERO;
    return new Exact(this.num * o.num, this.q * o.q, this.k + o.k);
  }

  /** this / d for a positive integer d. */
  divInt(d: number): Exact {
    if (!Number.isSafeInteger(d) || d <= 0) throw new RangeError(`Exact.divInt: ${d} is not a positive integer`);
    return new Exact(this.num, this.q * BigInt(d), this.k);
  }

  cmp(o: Exact): number {
    return this.sub(o).sign();
  }

  max(o: Exact): Exact {
    return this.cmp(o) >= 0 ? this : o;
  }

  min(o: Exact): Exact {
    return this.cmp(o) <= 0 ? this : o;
  }

  /** True iff this ≤ the float x (x may be ±∞). */
  leNumber(x: number): boolean {
    if (x === Infinity) return true;
    if (x === -Infinity || Number.isNaN(x)) return false;
    return this.cmp(Exact.of(x)) <= 0;
  }

  /** True iff this ≥ the float x (x may be ±∞). */
  geNumber(x: number): boolean {
    if (x === -Infinity) return true;
    if (x === Infinity || Number.isNaN(x)) return false;
    return this.cmp(Exact.of(x)) >= 0;
  }

  /** A nearby float64 (for messages and tolerances; not exact). */
  toNumber(): number {
    if (this.num === 0n) return 0;
    const neg = this.num < 0n;
    let n = neg ? -this.num : this.num;
    let d = this.q;
    let scale = -this.k;
    // Keep both integers below 2^64 so Number() conversions stay accurate to ~1e-15 relative.
    const nb = n.toString(2).length;
    if (nb > 64) {
      n >>= BigInt(nb - 64);
      scale += nb - 64;
    }
    const db = d.toString(2).length;
    if (db > 64) {
      d >>= BigInt(db - 64);
      scale -= db - 64;
    }
    const half = Math.trunc(scale / 2);
    const v = (Number(n) / Number(d)) * 2 ** half * 2 ** (scale - half);
    return neg ? -v : v;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
