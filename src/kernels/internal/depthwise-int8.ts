// DEPTHWISE_CONV_2D int8 by window loops: depth multiplier 1 with filters other than 3x3, or
// windows too long to pack. Windows inside the input add w * x to the channel's offset (bias and
// zero point folded, depthwise-data.ts); windows at the border take the zero point for taps in
// the padding, which gives back their share of the offset's zp * sum(w).
import type { TensorData } from '../../core/types.js';
import { Field, offsetsAt, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** One output at the border: the window's taps, the padding's at the zero point; requantized, clamped and stored. */
function edge(X: TensorData, F: TensorData, Y: TensorData, R: Int32Array, S: Int8Array, b: number, oy: number, ox: number, c: number, out: number): void {
  const H = R[Field.IN_H], W = R[Field.IN_W], C = R[Field.IN_D], O = R[Field.OUT_D], fH = R[Field.F_H], fW = R[Field.F_W];
  const zp = R[Field.IN_ZP], ic = (c / R[Field.MULT]) | 0;
  const iy0 = oy * R[Field.S_H] - R[Field.PAD_H], ix0 = ox * R[Field.S_W] - R[Field.PAD_W], dH = R[Field.D_H], dW = R[Field.D_W];
  let acc = R[offsetsAt(O) + c];
  for (let fy = 0; fy < fH; fy++) {
    const iy = iy0 + fy * dH;
    const rowInside = iy >= 0 && iy < H;
    for (let fx = 0; fx < fW; fx++) {
      const ix = ix0 + fx * dW;
      acc += F[(fy * fW + fx) * O + c] * (rowInside && ix >= 0 && ix < W ? X[((b * H + iy) * W + ix) * C + ic] : zp);
    }
  }
  const r = multiplyByQuantizedMultiplier(acc | 0, R[Field.COUNT + c], S[c]) + R[Field.OUT_ZP];
  const outMin = R[Field.OUT_MIN], outMax = R[Field.OUT_MAX];
  Y[out] = r < outMin ? outMin : r > outMax ? outMax : r;
}

export function evalDepthwiseInt8(d: DepthwiseData): void {
  const R = d.r, S = d.s!, X = d.x, F = d.w, Y = d.y;
  const outMin = R[Field.OUT_MIN], outMax = R[Field.OUT_MAX], outZp = R[Field.OUT_ZP];
  const C = R[Field.IN_D], depthMultiplier = R[Field.MULT], O = R[Field.OUT_D], mAt = Field.COUNT, oAt = offsetsAt(O);
  const batches = R[Field.BATCHES], H = R[Field.IN_H], W = R[Field.IN_W], outH = R[Field.OUT_H], outW = R[Field.OUT_W];
  const top = R[Field.TOP], bottom = R[Field.BOTTOM], left = R[Field.LEFT], right = R[Field.RIGHT];
  const fH = R[Field.F_H], fW = R[Field.F_W], sH = R[Field.S_H], sW = R[Field.S_W], padH = R[Field.PAD_H], padW = R[Field.PAD_W];
  const rowStride = W * C, tapX = R[Field.D_W] * C, tapY = R[Field.D_H] * rowStride;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const rowInside = oy >= top && oy < bottom;
      for (let ox = 0; ox < outW; ox++) {
        if (!(rowInside && ox >= left && ox < right)) {
          for (let c = 0; c < O; c++) edge(X, F, Y, R, S, b, oy, ox, c, out + c);
          out += O;
          continue;
        }
        const pixel = ((b * H + oy * sH - padH) * W + ox * sW - padW) * C;
        for (let ic = 0; ic < C; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const c = ic * depthMultiplier + m;
            let acc = R[oAt + c], row = pixel + ic, wi = c;
            for (let fy = 0; fy < fH; fy++) {
              let xi = row;
              for (let fx = 0; fx < fW; fx++) {
                acc += X[xi] * F[wi];
                xi += tapX;
                wi += O;
              }
              row += tapY;
            }
            const r = multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[c]) + outZp;
            Y[out + c] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
        out += O;
      }
    }
  }
}
