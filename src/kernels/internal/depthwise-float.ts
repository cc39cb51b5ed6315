// DEPTHWISE_CONV_2D float32 (TFLM reference depthwiseconv_float.h): float32 sums rounded at each
// step as the reference's are, any depth multiplier, stride, dilation and padding.
import { Field, type DepthwiseData } from './depthwise-data.js';

export function evalDepthwiseFloat(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, F = d.w, Y = d.y || X, B = d.b;
  const lo = d.lo!, hi = d.hi!, fround = Math.fround;
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
            let total = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = iy0 + fy * dH;
              if (iy < 0 || iy >= inH) continue;
              const row = xb + (b * inH + iy) * inW * C + ic, taps = wb + fy * fW * O + c;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                total = fround(total + fround(X[row + ix * C] * F[taps + fx * O]));
              }
            }
            const v = fround(total + (B ? B[bb + c] : 0));
            Y[out + c] = v < lo ? lo : hi < v ? hi : v;
          }
        }
        out += O;
      }
    }
  }
}
