// DEPTHWISE_CONV_2D int8 through E.convolve (internal/convolve.ts), where the engine has it:
// for each output position and input channel the window's taps are gathered into a scratch
// patch (the zero point in the padding, which the folded offsets give back: depthwise-data.ts),
// then one native call per output channel of that input channel (the depth multiplier's) against
// the channel's weights. The weights, interleaved by channel in the model ([1, fH, fW, O]), are
// copied channel by channel into the arena at prepare (O * taps bytes, as large as the filter)
// so each channel's taps are one row, viewed once (O views).
//
// The sums are exact (convolve.ts): the accumulator is the window loops' (depthwise-int8.ts),
// then the same exact requantization.
import type { TensorData } from '../../core/types.js';
import { Field, offsetsAt, type DepthwiseData } from './depthwise-data.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/** Channel-major copy of the weights: rows[c * taps + t] = weights[wb + t * O + c]. */
export function transposeWeights(weights: TensorData, wb: number, O: number, taps: number, rows: TensorData): void {
  for (let c = 0; c < O; c++) {
    for (let t = 0; t < taps; t++) rows[c * taps + t] = weights[wb + t * O + c];
  }
}

export function evalDepthwiseConvolve(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, Y = d.y || X, S = d.s || X, sAt = R[a + Field.S_AT];
  const convolve = d.f!, rows = d.cr!, Q = d.q!;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP], zp = R[a + Field.IN_ZP];
  const C = R[a + Field.IN_D], M = R[a + Field.MULT], O = R[a + Field.OUT_D], mAt = a + Field.COUNT, oAt = a + offsetsAt(O);
  const batches = R[a + Field.BATCHES], H = R[a + Field.IN_H], W = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], sH = R[a + Field.S_H], sW = R[a + Field.S_W];
  const dH = R[a + Field.D_H], dW = R[a + Field.D_W], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const xb = R[a + Field.X_AT], tapX = dW * C;
  let out = R[a + Field.Y_AT];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < W;
        for (let ic = 0; ic < C; ic++) {
          let t = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= H) {
              for (let fx = 0; fx < fW; fx++) Q[t++] = zp;
            } else if (rowInside) {
              let xi = xb + ((b * H + iy) * W + ix0) * C + ic;
              for (let fx = 0; fx < fW; fx++) {
                Q[t++] = X[xi];
                xi += tapX;
              }
            } else {
              const row = xb + (b * H + iy) * W * C + ic;
              for (let fx = 0; fx < fW; fx++) {
                const ix = ix0 + fx * dW;
                Q[t++] = ix >= 0 && ix < W ? X[row + ix * C] : zp;
              }
            }
          }
          for (let c = ic * M, end = c + M; c < end; c++) {
            const acc = convolve(rows[c], Q, 0) + R[oAt + c];
            const v = multiplyByQuantizedMultiplier(acc | 0, R[mAt + c], S[sAt + c]) + outZp;
            Y[out + c] = v < outMin ? outMin : v > outMax ? outMax : v;
          }
        }
        out += O;
      }
    }
  }
}
