// Sound interval image of AveragePool (ONNX, floor output size). The mean is monotone in every
// input: bounds are the means of the lower and of the upper inputs. The window sum is rounded
// outward with the dot-product bound (weights 1, n = kH·kW), the division by one ulp
// (nextDown(fl(z)) ≤ z for round-to-nearest).
import { errCoef, nextDown, nextUp, soundLower, soundUpper, tinyTerm } from './rounding';

export function avgpool(
  channels: i32,
  inH: i32,
  inW: i32,
  outH: i32,
  outW: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  pT: i32,
  pL: i32,
  countIncludePad: i32,
  l: usize,
  u: usize,
  outL: usize,
  outU: usize,
  n: i32,
): void {
  const k = <usize>(kH * kW);
  const kappa = errCoef(k);
  const tiny = tinyTerm(k);
  const plane = <usize>(inH * inW);
  let o: usize = 0;
  for (let ec: i32 = 0; ec < n * channels; ec++) {
    const base = (<usize>ec * plane) << 3;
    for (let oy: i32 = 0; oy < outH; oy++) {
      for (let ox: i32 = 0; ox < outW; ox++) {
        let sl: f64 = 0;
        let al: f64 = 0;
        let su: f64 = 0;
        let au: f64 = 0;
        let count: i32 = 0;
        for (let ky: i32 = 0; ky < kH; ky++) {
          const iy = oy * sH - pT + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx: i32 = 0; kx < kW; kx++) {
            const ix = ox * sW - pL + kx;
            if (ix < 0 || ix >= inW) continue;
            const at = base + ((<usize>(iy * inW + ix)) << 3);
            const vl = load<f64>(l + at);
            const vu = load<f64>(u + at);
            sl += vl;
            al += abs<f64>(vl);
            su += vu;
            au += abs<f64>(vu);
            count++;
          }
        }
        const div = <f64>(countIncludePad ? kH * kW : count);
        store<f64>(outL + o, nextDown(soundLower(sl, al, kappa, tiny) / div));
        store<f64>(outU + o, nextUp(soundUpper(su, au, kappa, tiny) / div));
        o += 8;
      }
    }
  }
}
