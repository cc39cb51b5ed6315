// CONV_2D int8 and 16x8 through E.convolve (internal/convolve.ts), where the engine has it: each
// output position's window is gathered into a scratch patch (the zero point in the padding,
// as the int8 fast paths do; 0 for int16, whose reference skips padded taps), then one native
// call per output channel against that channel's filter row (a view of exactly one row, made at
// prepare). Ungrouped filters only (the chooser's rule, conv-path.ts).
//
// The sums are exact (convolve.ts), so the arithmetic after them is the reference's
// (conv-reference.ts): int8 adds the folded offset bias - zp * sum(w) (conv-record.ts
// foldOffsets, stored modulo 2^32, which `| 0` makes exact), 16x8 adds the bias; then the
// exact requantization, or, where int8's accumulators are provably small (Rec.QUICK, as on the
// quad path: conv-params.ts explains the form), the fast one, which Espruino runs in a fraction
// of the time. Rec.FIELD holds the reference path whose arithmetic this keeps.
//
// Views kept: one per output channel (the rows) and the patch, in the op data.
import { gatherWindow } from './conv-gather.js';
import { ConvPath } from './conv-path.js';
import { ADD_POSITIVE, biasAt, foldOffsets, offsetAt, Rec, SCALE, type ConvData } from './conv-record.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './quantization.js';

export function evalConvolve(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v, convolve = d.f!, rows = d.k!, Q = d.q!;
  const X = V[P[r + Rec.VX]], Y = V[P[r + Rec.VY]], E = V[P[r + Rec.VI8]];
  const kind = P[r + Rec.BIAS], B = kind === 0 ? null : V[P[r + Rec.VB]];
  const x0 = P[r + Rec.X], w0 = P[r + Rec.W], b0 = P[r + Rec.B];
  const base = P[r + Rec.FIELD], int8 = base === ConvPath.INT8, wide = base === ConvPath.INT16_ACC64;
  const outMin = P[r + Rec.OUT_MIN], outMax = P[r + Rec.OUT_MAX], outZp = int8 ? P[r + Rec.OUT_ZP] : 0;
  const pad = int8 ? P[r + Rec.IN_ZP] : 0, quick = P[r + Rec.QUICK] === 1;
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], sH = P[r + Rec.S_H], sW = P[r + Rec.S_W];
  const dH = P[r + Rec.D_H], dW = P[r + Rec.D_W], padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W];
  const m = r + Rec.TABLES, off = r + offsetAt(outD), e = P[r + Rec.SHIFTS];
  if (int8 && P[r + Rec.STATIC] !== 1) foldOffsets(P, r, V[P[r + Rec.VW]], w0, B, b0, 0);
  let outIndex = P[r + Rec.Y];
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        gatherWindow(X, x0, b, inH, inW, inD, iy0, ix0, fH, fW, dH, dW, Q, 0, pad);
        for (let c = 0; c < outD; c++) {
          const sum = convolve(rows[c], Q, 0);
          let v: number;
          if (quick) {
            // |acc| < 2^21 and the low bound is the zero point: a negative accumulator clamps to it.
            const acc = sum + P[off + c], x = E[e + c];
            v = acc < 0 ? outMin : ((acc * (P[m + c] * SCALE[x]) + ADD_POSITIVE[x]) | 0) + outZp;
          } else if (int8) v = multiplyByQuantizedMultiplier((sum + P[off + c]) | 0, P[m + c], -E[e + c]) + outZp;
          else if (wide) v = multiplyByQuantizedMultiplier64(sum + biasAt(B, b0, kind, c), P[m + c], -E[e + c]);
          else v = multiplyByQuantizedMultiplier((sum + biasAt(B, b0, kind, c)) | 0, P[m + c], -E[e + c]);
          Y[outIndex + c] = v < outMin ? outMin : v > outMax ? outMax : v;
        }
        outIndex += outD;
      }
    }
  }
}
