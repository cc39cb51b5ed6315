// DEPTHWISE_CONV_2D float32 (TFLM reference depthwiseconv_float.h): float32 sums rounded at each
// step as the reference's are, any depth multiplier, stride, dilation and padding.
import { Field, type DepthwiseData } from './depthwise-data.js';

export function evalDepthwiseFloat(d: DepthwiseData): void {
  const R = d.r, X = d.x, F = d.w, Y = d.y, B = d.b;
  const lo = d.lo!, hi = d.hi!, fround = Math.fround;
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
            let total = 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = iy0 + fy * dH;
              if (iy < 0 || iy >= inH) continue;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                if (ix < 0 || ix >= inW) continue;
                total = fround(total + fround(X[((b * inH + iy) * inW + ix) * C + ic] * F[(fy * fW + fx) * O + c]));
              }
            }
            const v = fround(total + (B ? B[c] : 0));
            Y[out + c] = v < lo ? lo : hi < v ? hi : v;
          }
        }
        out += O;
      }
    }
  }
}
