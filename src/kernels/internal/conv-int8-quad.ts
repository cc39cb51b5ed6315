// CONV_2D int8 with the weights read in place: output positions four, six or eight at a time
// (internal/quad-dot.ts), read in place for 1x1 filters without padding, else gathered with the
// zero point in the padding (which adds nothing once zp * sum(w) is folded into the offsets).
import type { TensorData } from '../../core/types.js';
import { deriveRows, Rec, type ConvData } from './conv-record.js';
import { fieldsStart } from './packed-dot.js';
import { octetDot, quadDot, requantizePairRows, requantizeQuadRows, sextetDot } from './quad-dot.js';

export function evalInt8Quad(d: ConvData): void {
  const P = d.p, X = d.x, Wt = d.w, Y = d.y;
  const SA = d.sa as Float64Array, SB = d.sb as Float64Array, SE = d.se as Float64Array, SG = d.sg as Float64Array;
  const offsets = d.off as Float64Array, SC = d.sc as Float64Array, AP = d.ap as Float64Array, AN = d.an as Float64Array;
  deriveRows(P, offsets, SC, AP, AN, Wt, d.b);
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], inD = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], outD = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], sH = P[Rec.S_H], sW = P[Rec.S_W];
  const dH = P[Rec.D_H], dW = P[Rec.D_W], padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  const K = P[Rec.WINDOW], direct = P[Rec.DIRECT] === 1, zp = P[Rec.IN_ZP];
  const field = P[Rec.FIELD], start = fieldsStart(field);
  const quick = P[Rec.QUICK] === 1, fast = P[Rec.FAST] === 1;
  const outZp = P[Rec.OUT_ZP], outMin = P[Rec.OUT_MIN], outMax = P[Rec.OUT_MAX];
  const group = P[Rec.GROUP];
  const Pt = d.patch !== null ? d.patch : X;
  const S: TensorData = direct ? X : Pt;
  const rowRun = fW * inD;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, n = 0, outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        let base = 0;
        if (direct) {
          base = ((b * inH + iy0) * inW + ix0) * inD;
        } else {
          // Gather the window into slot n; positions in the padding hold the zero point.
          let pi = n * K;
          base = pi;
          const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < inW && dW === 1;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) {
              const end = pi + rowRun;
              while (pi < end) Pt[pi++] = zp;
              continue;
            }
            const rowBase = (b * inH + iy) * inW;
            if (rowInside) {
              let s = (rowBase + ix0) * inD;
              const end = pi + rowRun;
              while (pi < end) Pt[pi++] = X[s++];
              continue;
            }
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              const end = pi + inD;
              if (ix < 0 || ix >= inW) {
                while (pi < end) Pt[pi++] = zp;
              } else {
                let s = (rowBase + ix) * inD;
                while (pi < end) Pt[pi++] = X[s++];
              }
            }
          }
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
            octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, outD, SA, SB, SE, SG, start, field);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SA, Y, outIndex, 2);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SB, Y, outIndex + 2 * outD, 2);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SE, Y, outIndex + 4 * outD, 2);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SG, Y, outIndex + 6 * outD, 2);
          } else if (group === 6) {
            sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, outD, SA, SB, SE, start, field);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SA, Y, outIndex, 2);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SB, Y, outIndex + 2 * outD, 2);
            requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SE, Y, outIndex + 4 * outD, 2);
          } else {
            quadDot(S, a0, a1, a2, a3, K, Wt, outD, SA, SB, start, field);
            requantizeQuadRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, Y, outIndex, 4);
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
    if (group === 8) octetDot(S, a0, a1, a2, a3, a4, a5, a6, a7, K, Wt, outD, SA, SB, SE, SG, start, field);
    else sextetDot(S, a0, a1, a2, a3, a4, a5, K, Wt, outD, SA, SB, SE, start, field);
    requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SA, Y, outIndex, 2);
    requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SB, Y, outIndex + 2 * outD, 2);
    requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SE, Y, outIndex + 4 * outD, n > 5 ? 2 : 1);
    if (n > 6) requantizePairRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SG, Y, outIndex + 6 * outD, 1);
  } else if (n > 0) {
    if (n < 2) a1 = a0;
    if (n < 3) a2 = a0;
    if (n < 4) a3 = a0;
    quadDot(S, a0, a1, a2, a3, K, Wt, outD, SA, SB, start, field);
    requantizeQuadRows(offsets, SC, AP, AN, P, quick, fast, field, outD, outZp, outMin, outMax, SA, SB, Y, outIndex, n);
  }
}
