// DEPTHWISE_CONV_2D int8 with depth multiplier 2 or more, weights read in place: four output
// positions at a time as two packed pairs (the form of internal/quad-dot.ts), and the
// requantization of their sums from the multipliers, shifts and offsets in the record
// (depthwise-data.ts).
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { ADD_NEGATIVE, ADD_POSITIVE, Field, offsetsAt, SCALE, SHIFT_BASE, type DepthwiseData } from './depthwise-data.js';
import { fieldsStart } from './packed-dot.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';

/**
 * Depth multiplier 2 or more with the weights read in place: output positions four at a time,
 * as two pairs packed into one number each (internal/quad-dot.ts), so one multiply by a weight
 * serves two positions. The channels of one input channel share its values; eight of them at a
 * time keep their sums in locals over the window. Windows reaching into the padding take the
 * zero point there (it adds nothing once zp * sum(w) is in the offsets).
 */
export function evalDepthwiseQuad(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, Wt = d.w, Y = d.y || X, T = d.t as Float64Array;
  const F = R[a + Field.FIELD], start = fieldsStart(F), zp = R[a + Field.IN_ZP];
  const C = R[a + Field.IN_D], Mult = R[a + Field.MULT], O = R[a + Field.OUT_D];
  const H = R[a + Field.IN_H], W = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const fH = R[a + Field.F_H], fW = R[a + Field.F_W], sH = R[a + Field.S_H], sW = R[a + Field.S_W];
  const dH = R[a + Field.D_H], dW = R[a + Field.D_W], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const top = R[a + Field.TOP], bottom = R[a + Field.BOTTOM], left = R[a + Field.LEFT], right = R[a + Field.RIGHT];
  const xBase = R[a + Field.X_AT], wb = R[a + Field.W_AT], tb = R[a + Field.T_AT];
  // The scratch: first pairs' sums at tb, second pairs' at tb + O, then the fast
  // requantization's factors, once per invoke rather than once per four positions.
  const S = d.s || X, sAt = R[a + Field.S_AT], mAt = a + Field.COUNT, vb = tb + 2 * O;
  for (let c = 0; c < O; c++) {
    const k = S[sAt + c] + SHIFT_BASE;
    T[vb + c] = R[mAt + c] * SCALE[k];
    T[vb + O + c] = ADD_POSITIVE[k];
    T[vb + 2 * O + c] = ADD_NEGATIVE[k];
  }
  const tapX = dW * C, tapY = dH * W * C - fW * tapX, blocks = Mult - (Mult & 7), tapX8 = 8 * tapX, O8 = 8 * O;
  const e1 = tapX, e2 = 2 * tapX, e3 = 3 * tapX, e4 = 4 * tapX, e5 = 5 * tapX, e6 = 6 * tapX, e7 = 7 * tapX;
  const g1 = O, g2 = 2 * O, g3 = 3 * O, g4 = 4 * O, g5 = 5 * O, g6 = 6 * O, g7 = 7 * O;
  let xa0 = 0, xa1 = 0, xa2 = 0, xa3 = 0, xa4 = 0, xa5 = 0, xa6 = 0, xa7 = 0;
  let xb0 = 0, xb1 = 0, xb2 = 0, xb3 = 0, xb4 = 0, xb5 = 0, xb6 = 0, xb7 = 0;
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0, jj = 0;
  const f1 = dW, f2 = 2 * dW, f3 = 3 * dW, f4 = 4 * dW, f5 = 5 * dW, f6 = 6 * dW, f7 = 7 * dW;
  // A border window's values, per position and tap.
  let q00 = 0, q01 = 0, q02 = 0, q03 = 0, q04 = 0, q05 = 0, q06 = 0, q07 = 0;
  let q10 = 0, q11 = 0, q12 = 0, q13 = 0, q14 = 0, q15 = 0, q16 = 0, q17 = 0;
  let q20 = 0, q21 = 0, q22 = 0, q23 = 0, q24 = 0, q25 = 0, q26 = 0, q27 = 0;
  let q30 = 0, q31 = 0, q32 = 0, q33 = 0, q34 = 0, q35 = 0, q36 = 0, q37 = 0;
  let ty = 0, tx = 0, at = 0;
  const total = R[a + Field.BATCHES] * outH * outW;
  let b = 0, oy = 0, ox = 0, outIndex = R[a + Field.Y_AT];
  // Per position: batch row offset (b * H), window origin, and whether the window is inside.
  let h0 = 0, h1 = 0, h2 = 0, h3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0, x0 = 0, x1 = 0, x2 = 0, x3 = 0;
  let xa = 0, xb = 0, w = 0, iy = 0, ix = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  let T0 = 0, T1 = 0, T2 = 0, T3 = 0, T4 = 0, T5 = 0, T6 = 0, T7 = 0;
  let U0 = 0, U1 = 0, U2 = 0, U3 = 0, U4 = 0, U5 = 0, U6 = 0, U7 = 0;
  // The requantization (below): over i = tb + c, the sums at i and i + O, the factors at i + 2O,
  // 3O, 4O; offsets, multipliers, shifts and outputs at i plus a distance.
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP];
  const quick = R[a + Field.QUICK] !== 0, lim = R[a + Field.FAST] ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  const end = tb + O, O2 = 2 * O, O3 = 3 * O, O4 = 4 * O, dOff = a + offsetsAt(O) - tb, dM = mAt - tb, dS = sAt - tb;
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0, hiT = 0, hiU = 0, acc = 0, r = 0, off = 0, sc = 0, ap = 0, an = 0, m = 0, sh = 0;
  for (let p = 0; p < total; p += 4) {
    const count = total - p < 4 ? total - p : 4;
    let inside = true;
    for (let i = 0; i < 4; i++) {
      // Missing positions (past the end) repeat the last one and are not stored.
      if (i < count) {
        if (!(oy >= top && oy < bottom && ox >= left && ox < right)) inside = false;
        const hb = b * H, wy = oy * sH - padH, wx = ox * sW - padW;
        if (i === 0) { h0 = hb; y0 = wy; x0 = wx; h1 = hb; y1 = wy; x1 = wx; h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else if (i === 1) { h1 = hb; y1 = wy; x1 = wx; h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else if (i === 2) { h2 = hb; y2 = wy; x2 = wx; h3 = hb; y3 = wy; x3 = wx; }
        else { h3 = hb; y3 = wy; x3 = wx; }
        if (++ox === outW) { ox = 0; if (++oy === outH) { oy = 0; b++; } }
      }
    }
    const p0 = xBase + ((h0 + y0) * W + x0) * C, p1 = xBase + ((h1 + y1) * W + x1) * C, p2 = xBase + ((h2 + y2) * W + x2) * C, p3 = xBase + ((h3 + y3) * W + x3) * C;
    for (let ic = 0; ic < C; ic++) {
      const c0 = ic * Mult, icx = xBase + ic;
      for (let m = 0; m < Mult; m += 8) {
        const eight = m < blocks;
        T0 = T1 = T2 = T3 = T4 = T5 = T6 = T7 = U0 = U1 = U2 = U3 = U4 = U5 = U6 = U7 = start;
        let j = wb + c0 + m, t = ic;
        for (let fy = 0; fy < fH; fy++, t += tapY) {
          let fx = 0;
          if (eight) {
            // Eight taps of the row at a time: each channel's sums take them in one expression.
            for (; fx + 8 <= fW; fx += 8, t += tapX8, j += O8) {
              if (inside) {
                v0 = p0 + t; v1 = p1 + t; v2 = p2 + t; v3 = p3 + t;
                xa0 = X[v0] + F * X[v1]; xa1 = X[v0 + e1] + F * X[v1 + e1]; xa2 = X[v0 + e2] + F * X[v1 + e2]; xa3 = X[v0 + e3] + F * X[v1 + e3];
                xa4 = X[v0 + e4] + F * X[v1 + e4]; xa5 = X[v0 + e5] + F * X[v1 + e5]; xa6 = X[v0 + e6] + F * X[v1 + e6]; xa7 = X[v0 + e7] + F * X[v1 + e7];
                xb0 = X[v2] + F * X[v3]; xb1 = X[v2 + e1] + F * X[v3 + e1]; xb2 = X[v2 + e2] + F * X[v3 + e2]; xb3 = X[v2 + e3] + F * X[v3 + e3];
                xb4 = X[v2 + e4] + F * X[v3 + e4]; xb5 = X[v2 + e5] + F * X[v3 + e5]; xb6 = X[v2 + e6] + F * X[v3 + e6]; xb7 = X[v2 + e7] + F * X[v3 + e7];
              } else {
                // Taps in the padding take the zero point.
                ty = fy * dH;
                tx = fx * dW;
                iy = y0 + ty;
                if (iy < 0 || iy >= H) q00 = q01 = q02 = q03 = q04 = q05 = q06 = q07 = zp;
                else {
                  ix = x0 + tx;
                  at = ((h0 + iy) * W + ix) * C + icx;
                  if (ix >= 0 && ix + f7 < W) { q00 = X[at]; q01 = X[at + e1]; q02 = X[at + e2]; q03 = X[at + e3]; q04 = X[at + e4]; q05 = X[at + e5]; q06 = X[at + e6]; q07 = X[at + e7]; }
                  else {
                    q00 = ix >= 0 && ix < W ? X[at] : zp;
                    q01 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q02 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q03 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q04 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q05 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q06 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q07 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y1 + ty;
                if (iy < 0 || iy >= H) q10 = q11 = q12 = q13 = q14 = q15 = q16 = q17 = zp;
                else {
                  ix = x1 + tx;
                  at = ((h1 + iy) * W + ix) * C + icx;
                  if (ix >= 0 && ix + f7 < W) { q10 = X[at]; q11 = X[at + e1]; q12 = X[at + e2]; q13 = X[at + e3]; q14 = X[at + e4]; q15 = X[at + e5]; q16 = X[at + e6]; q17 = X[at + e7]; }
                  else {
                    q10 = ix >= 0 && ix < W ? X[at] : zp;
                    q11 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q12 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q13 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q14 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q15 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q16 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q17 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y2 + ty;
                if (iy < 0 || iy >= H) q20 = q21 = q22 = q23 = q24 = q25 = q26 = q27 = zp;
                else {
                  ix = x2 + tx;
                  at = ((h2 + iy) * W + ix) * C + icx;
                  if (ix >= 0 && ix + f7 < W) { q20 = X[at]; q21 = X[at + e1]; q22 = X[at + e2]; q23 = X[at + e3]; q24 = X[at + e4]; q25 = X[at + e5]; q26 = X[at + e6]; q27 = X[at + e7]; }
                  else {
                    q20 = ix >= 0 && ix < W ? X[at] : zp;
                    q21 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q22 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q23 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q24 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q25 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q26 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q27 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                iy = y3 + ty;
                if (iy < 0 || iy >= H) q30 = q31 = q32 = q33 = q34 = q35 = q36 = q37 = zp;
                else {
                  ix = x3 + tx;
                  at = ((h3 + iy) * W + ix) * C + icx;
                  if (ix >= 0 && ix + f7 < W) { q30 = X[at]; q31 = X[at + e1]; q32 = X[at + e2]; q33 = X[at + e3]; q34 = X[at + e4]; q35 = X[at + e5]; q36 = X[at + e6]; q37 = X[at + e7]; }
                  else {
                    q30 = ix >= 0 && ix < W ? X[at] : zp;
                    q31 = ix + f1 >= 0 && ix + f1 < W ? X[at + e1] : zp;
                    q32 = ix + f2 >= 0 && ix + f2 < W ? X[at + e2] : zp;
                    q33 = ix + f3 >= 0 && ix + f3 < W ? X[at + e3] : zp;
                    q34 = ix + f4 >= 0 && ix + f4 < W ? X[at + e4] : zp;
                    q35 = ix + f5 >= 0 && ix + f5 < W ? X[at + e5] : zp;
                    q36 = ix + f6 >= 0 && ix + f6 < W ? X[at + e6] : zp;
                    q37 = ix + f7 >= 0 && ix + f7 < W ? X[at + e7] : zp;
                  }
                }
                xa0 = q00 + F * q10; xa1 = q01 + F * q11; xa2 = q02 + F * q12; xa3 = q03 + F * q13;
                xa4 = q04 + F * q14; xa5 = q05 + F * q15; xa6 = q06 + F * q16; xa7 = q07 + F * q17;
                xb0 = q20 + F * q30; xb1 = q21 + F * q31; xb2 = q22 + F * q32; xb3 = q23 + F * q33;
                xb4 = q24 + F * q34; xb5 = q25 + F * q35; xb6 = q26 + F * q36; xb7 = q27 + F * q37;
              }
              T0 += xa0 * (w0 = Wt[j]) + xa1 * (w1 = Wt[j + g1]) + xa2 * (w2 = Wt[j + g2]) + xa3 * (w3 = Wt[j + g3]) +
                xa4 * (w4 = Wt[j + g4]) + xa5 * (w5 = Wt[j + g5]) + xa6 * (w6 = Wt[j + g6]) + xa7 * (w7 = Wt[j + g7]);
              U0 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 1;
              T1 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U1 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 2;
              T2 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U2 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 3;
              T3 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U3 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 4;
              T4 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U4 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 5;
              T5 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U5 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 6;
              T6 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U6 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
              jj = j + 7;
              T7 += xa0 * (w0 = Wt[jj]) + xa1 * (w1 = Wt[jj + g1]) + xa2 * (w2 = Wt[jj + g2]) + xa3 * (w3 = Wt[jj + g3]) +
                xa4 * (w4 = Wt[jj + g4]) + xa5 * (w5 = Wt[jj + g5]) + xa6 * (w6 = Wt[jj + g6]) + xa7 * (w7 = Wt[jj + g7]);
              U7 += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
            }
          }
          for (; fx < fW; fx++, t += tapX, j += O) {
            if (inside) {
              xa = X[p0 + t] + F * X[p1 + t];
              xb = X[p2 + t] + F * X[p3 + t];
            } else {
              ty = fy * dH;
              tx = fx * dW;
              iy = y0 + ty; ix = x0 + tx;
              r0 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h0 + iy) * W + ix) * C + icx] : zp;
              iy = y1 + ty; ix = x1 + tx;
              r1 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h1 + iy) * W + ix) * C + icx] : zp;
              iy = y2 + ty; ix = x2 + tx;
              r2 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h2 + iy) * W + ix) * C + icx] : zp;
              iy = y3 + ty; ix = x3 + tx;
              r3 = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h3 + iy) * W + ix) * C + icx] : zp;
              xa = r0 + F * r1;
              xb = r2 + F * r3;
            }
            if (eight) {
              T0 += xa * (w = Wt[j]); U0 += xb * w;
              T1 += xa * (w = Wt[j + 1]); U1 += xb * w;
              T2 += xa * (w = Wt[j + 2]); U2 += xb * w;
              T3 += xa * (w = Wt[j + 3]); U3 += xb * w;
              T4 += xa * (w = Wt[j + 4]); U4 += xb * w;
              T5 += xa * (w = Wt[j + 5]); U5 += xb * w;
              T6 += xa * (w = Wt[j + 6]); U6 += xb * w;
              T7 += xa * (w = Wt[j + 7]); U7 += xb * w;
            } else {
              // The last channels of this input channel, fewer than eight (taken from the block).
              const left = Mult - m;
              T0 += xa * (w = Wt[j]); U0 += xb * w;
              if (left > 1) { T1 += xa * (w = Wt[j + 1]); U1 += xb * w; }
              if (left > 2) { T2 += xa * (w = Wt[j + 2]); U2 += xb * w; }
              if (left > 3) { T3 += xa * (w = Wt[j + 3]); U3 += xb * w; }
              if (left > 4) { T4 += xa * (w = Wt[j + 4]); U4 += xb * w; }
              if (left > 5) { T5 += xa * (w = Wt[j + 5]); U5 += xb * w; }
              if (left > 6) { T6 += xa * (w = Wt[j + 6]); U6 += xb * w; }
            }
          }
        }
        const c = tb + c0 + m, u = c + O;
        T[c] = T0; T[u] = U0;
        if (eight || Mult - m > 1) { T[c + 1] = T1; T[u + 1] = U1; }
        if (eight || Mult - m > 2) { T[c + 2] = T2; T[u + 2] = U2; }
        if (eight || Mult - m > 3) { T[c + 3] = T3; T[u + 3] = U3; }
        if (eight || Mult - m > 4) { T[c + 4] = T4; T[u + 4] = U4; }
        if (eight || Mult - m > 5) { T[c + 5] = T5; T[u + 5] = U5; }
        if (eight || Mult - m > 6) { T[c + 6] = T6; T[u + 6] = U6; }
        if (eight) { T[c + 7] = T7; T[u + 7] = U7; }
      }
    }
    // The pair sums split into the accumulators of `count` (1 to 4) consecutive positions,
    // offsets added, requantized and stored at Y[outIndex + position * O + c]. Quick case
    // (depthwise-data.ts): the accumulators are in the fast range and the lower bound is the
    // output zero point, so a negative accumulator stores the bound and a positive one needs no
    // lower clamp.
    d0 = outIndex - tb; d1 = d0 + O; d2 = d1 + O; d3 = d2 + O;
    if (quick && count === 4) {
      for (let i = tb; i < end; i++) {
        xa = T[i]; xb = T[i + O]; off = R[i + dOff]; sc = T[i + O2]; ap = T[i + O3];
        hiT = (xa / F) | 0; hiU = (xb / F) | 0;
        acc = xa - hiT * F + off;
        if (acc < 0) Y[i + d0] = outMin;
        else { r = ((acc * sc + ap) | 0) + outZp; Y[i + d0] = r > outMax ? outMax : r; }
        acc = hiT + off;
        if (acc < 0) Y[i + d1] = outMin;
        else { r = ((acc * sc + ap) | 0) + outZp; Y[i + d1] = r > outMax ? outMax : r; }
        acc = xb - hiU * F + off;
        if (acc < 0) Y[i + d2] = outMin;
        else { r = ((acc * sc + ap) | 0) + outZp; Y[i + d2] = r > outMax ? outMax : r; }
        acc = hiU + off;
        if (acc < 0) Y[i + d3] = outMin;
        else { r = ((acc * sc + ap) | 0) + outZp; Y[i + d3] = r > outMax ? outMax : r; }
      }
    } else {
      for (let i = tb; i < end; i++) {
        xa = T[i]; xb = T[i + O]; off = R[i + dOff]; m = R[i + dM]; sh = S[i + dS];
        sc = T[i + O2]; ap = T[i + O3]; an = T[i + O4];
        hiT = (xa / F) | 0; hiU = (xb / F) | 0;
        acc = xa - hiT * F + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, m, sh);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, m, sh);
        r += outZp;
        Y[i + d0] = r < outMin ? outMin : r > outMax ? outMax : r;
        if (count > 1) {
          acc = hiT + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, m, sh);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, m, sh);
          r += outZp;
          Y[i + d1] = r < outMin ? outMin : r > outMax ? outMax : r;
          if (count > 2) {
            acc = xb - hiU * F + off;
            if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, m, sh);
            else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, m, sh);
            r += outZp;
            Y[i + d2] = r < outMin ? outMin : r > outMax ? outMax : r;
            if (count > 3) {
              acc = hiU + off;
              if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, m, sh);
              else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, m, sh);
              r += outZp;
              Y[i + d3] = r < outMin ? outMin : r > outMax ? outMax : r;
            }
          }
        }
      }
    }
    outIndex += 4 * O;
  }
}
