// CONV_2D 16x8 (int16 activations, int8 weights, int32 or int64 bias), weights read in place:
// output positions four or eight at a time (internal/window-dot.ts), each window read in place
// for 1x1 filters without padding, else gathered with zeros in the padding (conv-gather.ts;
// int16 zero points are 0). The sums are exact in doubles, then requantized as the reference
// does (conv-reference.ts evalQuantized).
import { gatherWindow } from './conv-gather.js';
import { ConvPath } from './conv-path.js';
import { biasAt, Rec, type ConvData } from './conv-record.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64Quick } from './quantization.js';
import { wideDot4, wideDot8 } from './window-dot.js';

export function evalInt16Window(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v;
  const X = V[P[r + Rec.VX]], Wt = V[P[r + Rec.VW]], Y = V[P[r + Rec.VY]];
  const A = V[P[r + Rec.VD0]] as Float64Array, Pt = V[P[r + Rec.VK]];
  const x0 = P[r + Rec.X], w = P[r + Rec.W], s = P[r + Rec.SUMS], patch = P[r + Rec.PATCH];
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], sH = P[r + Rec.S_H], sW = P[r + Rec.S_W];
  const dH = P[r + Rec.D_H], dW = P[r + Rec.D_W], padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W];
  const K = P[r + Rec.WINDOW], direct = P[r + Rec.DIRECT] === 1, group = P[r + Rec.GROUP];
  const S = direct ? X : Pt;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, n = 0, outIndex = P[r + Rec.Y];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let base = 0;
        if (direct) {
          base = x0 + ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          base = patch + n * K;
          gatherWindow(X, x0, b, inH, inW, inD, iy0, ix0, fH, fW, dH, dW, Pt, base, 0);
        }
        if (n === 0) a0 = base;
        else if (n === 1) a1 = base;
        else if (n === 2) a2 = base;
        else if (n === 3) a3 = base;
        else if (n === 4) a4 = base;
        else if (n === 5) a5 = base;
        else if (n === 6) a6 = base;
        else a7 = base;
        if (++n === group) {
          if (group === 8) wideDot8(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, w, K, outD, A, s, outD);
          else wideDot4(S, a0, a1, a2, a3, K, Wt, w, K, outD, A, s, outD);
          requantize16(d, A, s, n * outD, Y, outIndex);
          outIndex += n * outD;
          n = 0;
        }
      }
    }
  }
  // The last positions: missing ones repeat the first and are not stored.
  if (n > 4) {
    wideDot8(S, a0, a1, a2, a3, a4, n > 5 ? a5 : a0, n > 6 ? a6 : a0, a0, K, Wt, w, K, outD, A, s, outD);
  } else if (n > 0) {
    wideDot4(S, a0, n > 1 ? a1 : a0, n > 2 ? a2 : a0, n > 3 ? a3 : a0, K, Wt, w, K, outD, A, s, outD);
  }
  if (n > 0) requantize16(d, A, s, n * outD, Y, outIndex);
}

/** Y[y + i] = the requantized sum A[s + i] + bias, for `count` sums of whole positions. */
function requantize16(d: ConvData, A: Float64Array, s: number, count: number, Y: { [i: number]: number }, y: number): void {
  const P = d.p, r = d.r, V = d.v, E = V[P[r + Rec.VI8]];
  const kind = P[r + Rec.BIAS], B = kind === 0 ? null : V[P[r + Rec.VB]], b0 = P[r + Rec.B];
  const C = P[r + Rec.OUT_D], outMin = P[r + Rec.OUT_MIN], outMax = P[r + Rec.OUT_MAX];
  const wide = P[r + Rec.PATH] === ConvPath.INT16_WINDOW_ACC64, mAt = r + Rec.TABLES, eAt = P[r + Rec.SHIFTS];
  for (let i = 0, c = 0; i < count; i++) {
    const acc = A[s + i] + biasAt(B, b0, kind, c);
    const v = wide ? multiplyByQuantizedMultiplier64Quick(acc, P[mAt + c], -E[eAt + c])
      : multiplyByQuantizedMultiplier(acc | 0, P[mAt + c], -E[eAt + c]);
    Y[y + i] = v < outMin ? outMin : v > outMax ? outMax : v;
    if (++c === C) c = 0;
  }
}
