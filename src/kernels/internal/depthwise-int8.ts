// DEPTHWISE_CONV_2D int8 by window loops: depth multiplier 1 with filters other than 3x3, or
// windows too long to pack. Windows inside the input add w * x to the channel's offset (bias and
// zero point folded, depthwise-data.ts); windows at the border take the zero point for taps in
// the padding, which gives back their share of the offset's zp * sum(w).
import type { TensorData } from '../../core/types.js';
import { Field, offsetsAt, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** One output at the border: the window's taps, the padding's at the zero point; requantized, clamped and stored. */
function edge(X: TensorData, F: TensorData, Y: TensorData, R: Int32Array, a: number, S: TensorData, b: number, oy: number, ox: number, c: number, out: number): void {
  const H = R[a + Field.IN_H], W = R[a + Field.IN_W], C = R[a + Field.IN_D], O = R[a + Field.OUT_D], fH = R[a + Field.F_H], fW = R[a + Field.F_W];
  const zp = R[a + Field.IN_ZP], ic = (c / R[a + Field.MULT]) | 0, xb = R[a + Field.X_AT], wb = R[a + Field.W_AT];
  const iy0 = oy * R[a + Field.S_H] - R[a + Field.PAD_H], ix0 = ox * R[a + Field.S_W] - R[a + Field.PAD_W], dH = R[a + Field.D_H], dW = R[a + Field.D_W];
  let acc = R[a + offsetsAt(O) + c];
  for (let fy = 0; fy < fH; fy++) {
    const iy = iy0 + fy * dH;
    const rowInside = iy >= 0 && iy < H;
    for (let fx = 0; fx < fW; fx++) {
      const ix = ix0 + fx * dW;
      acc += F[wb + (fy * fW + fx) * O + c] * (rowInside && ix >= 0 && ix < W ? X[xb + ((b * H + iy) * W + ix) * C + ic] : zp);
    }
  }
  const r = multiplyByQuantizedMultiplier(acc | 0, R[a + Field.COUNT + c], S[R[a + Field.S_AT] + c]) + R[a + Field.OUT_ZP];
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX];
  Y[out] = r < outMin ? outMin : r > outMax ? outMax : r;
}

export function evalDepthwiseInt8(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, F = d.w, Y = d.y || X, S = d.s || X, sAt = R[a + Field.S_AT];
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP];
  const C = R[a + Field.IN_D], depthMultiplier = R[a + Field.MULT], O = R[a + Field.OUT_D], mAt = a + Field.COUNT, oAt = a + offsetsAt(O);
  const batches = R[a + Field.BATCHES], H = R[a + Field.IN_H], W = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const top = R[a + Field.TOP], bottom = R[a + Field.BOTTOM], left = R[a + Field.LEFT], right = R[a + Field.RIGHT];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], sH = R[a + Field.S_H], sW = R[a + Field.S_W], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const rowStride = W * C, tapX = R[a + Field.D_W] * C, tapY = R[a + Field.D_H] * rowStride;
  const xb = R[a + Field.X_AT], wb = R[a + Field.W_AT];
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const rowInside = oy >= top && oy < bottom;
      for (let ox = 0; ox < outW; ox++) {
        if (!(rowInside && ox >= left && ox < right)) {
          for (let c = 0; c < O; c++) edge(X, F, Y, R, a, S, b, oy, ox, c, out + c);
          out += O;
          continue;
        }
        const pixel = xb + ((b * H + oy * sH - padH) * W + ox * sW - padW) * C;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let acc = R[oAt + c], row = pixel + ic, wi = wb + c;
            for (let fy = 0; fy < fH; fy++) {
              let xi = row;
              for (let fx = 0; fx < fW; fx++) {
                acc += X[xi] * F[wi];
                xi += tapX;
                wi += O;
              }
              row += tapY;
            }
            const r = multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]) + outZp;
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}
