// DEPTHWISE_CONV_2D 16x8 (TFLM reference integer_ops/depthwise_conv.h): int16 activations, int8
// weights, int64 bias read in place, the 64-bit requantization.
import { Field, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier64 } from './quantization.js';

export function evalDepthwiseInt16(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, F = d.w, Y = d.y || X, S = d.s || X, B = d.b;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], mAt = a + Field.COUNT, sAt = R[a + Field.S_AT];
  const C = R[a + Field.IN_D], depthMultiplier = R[a + Field.MULT], O = R[a + Field.OUT_D];
  const batches = R[a + Field.BATCHES], inH = R[a + Field.IN_H], inW = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], sH = R[a + Field.S_H], sW = R[a + Field.S_W];
  const dH = R[a + Field.D_H], dW = R[a + Field.D_W], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const xb = R[a + Field.X_AT], wb = R[a + Field.W_AT], bb = R[a + Field.B_AT];
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let acc = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = iy0 + fy * dH;
              if (iy < 0 || iy >= inH) continue;
              const row = xb + (b * inH + iy) * inW * C + ic, taps = wb + fy * fW * O + c;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                acc += F[taps + fx * O] * X[row + ix * C];
              }
            }
            // The int64 bias: a pair of int32 (low, high) per channel.
            const bias = B ? (B[bb + 2 * c] >>> 0) + B[bb + 2 * c + 1] * 4294967296 : 0;
            const r = multiplyByQuantizedMultiplier64(acc + bias, R[mAt + c], S[sAt + c]);
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}
