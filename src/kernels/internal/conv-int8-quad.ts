// CONV_2D int8 with the weights read in place: output positions four, six or eight at a time
// (internal/quad-dot.ts), read in place for 1x1 filters without padding, else gathered with the
// zero point in the padding (which adds nothing once zp * sum(w) is folded into the offsets).
import type { TensorData } from '../../core/types.js';
import { gatherWindow } from './conv-gather.js';
import { foldOffsets, Rec, type ConvData } from './conv-record.js';
import { fieldsStart } from './packed-dot.js';
import { octetDot, quadDot, sextetDot } from './quad-dot.js';
import { requantizeRows } from './quad-requantize.js';

export function evalInt8Quad(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v;
  const X = V[P[r + Rec.VX]], Wt = V[P[r + Rec.VW]], Y = V[P[r + Rec.VY]], E = V[P[r + Rec.VI8]];
  const SA = V[P[r + Rec.VD0]] as Float64Array, SB = V[P[r + Rec.VD1]] as Float64Array;
  const SE = V[P[r + Rec.VD2]] as Float64Array, SG = V[P[r + Rec.VD3]] as Float64Array;
  const x0 = P[r + Rec.X], w = P[r + Rec.W], y = P[r + Rec.Y], s = P[r + Rec.SUMS], patch = P[r + Rec.PATCH];
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], sH = P[r + Rec.S_H], sW = P[r + Rec.S_W];
  const dH = P[r + Rec.D_H], dW = P[r + Rec.D_W], padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W];
  const K = P[r + Rec.WINDOW], direct = P[r + Rec.DIRECT] === 1, zp = P[r + Rec.IN_ZP];
  const field = P[r + Rec.FIELD], start = fieldsStart(field);
  const quick = P[r + Rec.QUICK] === 1, fast = P[r + Rec.FAST] === 1;
  const outZp = P[r + Rec.OUT_ZP], outMin = P[r + Rec.OUT_MIN], outMax = P[r + Rec.OUT_MAX];
  const group = P[r + Rec.GROUP];
  if (P[r + Rec.STATIC] !== 1) foldOffsets(P, r, Wt, w, V[P[r + Rec.VB]], P[r + Rec.B], field / 2);
  const m = r + Rec.TABLES, e = P[r + Rec.SHIFTS];
  const Pt = E;
  const S: TensorData = direct ? X : Pt;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, n = 0, outIndex = y;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let base = 0;
        if (direct) {
          base = x0 + ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window into slot n; positions in the padding hold the zero point.
          base = patch + n * K;
          gatherWindow(X, x0, b, inH, inW, inD, iy0, ix0, fH, fW, dH, dW, Pt, base, zp);
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
          if (group === 8) {
            octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, w, outD, SA, SB, SE, SG, s, start, field);
            requantizeRows(P, m, E, e, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, SE, SG, s, Y, outIndex, 8);
          } else if (group === 6) {
            sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, w, outD, SA, SB, SE, s, start, field);
            requantizeRows(P, m, E, e, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, SE, SE, s, Y, outIndex, 6);
          } else {
            quadDot(S, a0, a1, a2, a3, K, Wt, w, outD, SA, SB, s, start, field);
            requantizeRows(P, m, E, e, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, SB, SB, s, Y, outIndex, 4);
          }
          outIndex += group * outD;
          n = 0;
        }
      }
    }
  }
  // The last positions: missing ones repeat the first and are not stored.
  if (n > 4) {
    if (n < 6) a5 = a0;
    if (n < 7) a6 = a0;
    a7 = a0;
    if (group === 8) octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, w, outD, SA, SB, SE, SG, s, start, field);
    else sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, w, outD, SA, SB, SE, s, start, field);
    requantizeRows(P, m, E, e, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, SE, SG, s, Y, outIndex, n);
  } else if (n > 0) {
    if (n < 2) a1 = a0;
    if (n < 3) a2 = a0;
    if (n < 4) a3 = a0;
    quadDot(S, a0, a1, a2, a3, K, Wt, w, outD, SA, SB, s, start, field);
    requantizeRows(P, m, E, e, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, SE, SG, s, Y, outIndex, n);
  }
}
