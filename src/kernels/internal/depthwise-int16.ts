// DEPTHWISE_CONV_2D 16x8 (TFLM reference integer_ops/depthwise_conv.h): int16 activations, int8
// weights, int64 bias read in place, the 64-bit requantization.
import { int64At } from '../../core/int64.js';
import { Field, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier64 } from './quantization.js';

export function evalDepthwiseInt16(d: DepthwiseData): void {
  const R = d.r, S = d.s!, X = d.x, F = d.w, Y = d.y, B = d.b;
  const outMin = R[Field.OUT_MIN], outMax = R[Field.OUT_MAX], mAt = Field.COUNT;
  const C = R[Field.IN_D], depthMultiplier = R[Field.MULT], O = R[Field.OUT_D];
  const batches = R[Field.BATCHES], inH = R[Field.IN_H], inW = R[Field.IN_W], outH = R[Field.OUT_H], outW = R[Field.OUT_W];
  const fH = R[Field.F_H], fW = R[Field.F_W], sH = R[Field.S_H], sW = R[Field.S_W];
  const dH = R[Field.D_H], dW = R[Field.D_W], padH = R[Field.PAD_H], padW = R[Field.PAD_W];
  let out = 0;
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
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                acc += F[(fy * fW + fx) * O + c] * X[((b * inH + iy) * inW + ix) * C + ic];
              }
            }
            const r = multiplyByQuantizedMultiplier64(acc + (B ? int64At(B, c) : 0), R[mAt + c], S[c]);
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}
