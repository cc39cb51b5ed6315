// DEPTHWISE_CONV_2D int8, 3x3 filters read in place with stride 1 or 2 across and no dilation
// across (MobileNet's layers), for requantization's quick case only (depthwise-data.ts).
import { ADD_POSITIVE, Field, offsetsAt, SCALE, SHIFT_BASE, type DepthwiseData } from './depthwise-data.js';

/**
 * 3x3 filters read in place, channel by channel and row by row: the window's three columns sit
 * in nine locals and slide along the row, so each step reads only the columns that enter it;
 * three steps are unrolled so that the locals change roles instead of values. Columns in the
 * padding hold the zero point (adding nothing once zp * sum(w) is in the offset); rows in the
 * padding instead get zero weights, the offset gets their zp * sum(w) back, and they read
 * some row inside.
 */
export function evalDepthwiseSlide(d: DepthwiseData): void {
  const R = d.r, a = d.a, X = d.x, Wt = d.w, Y = d.y || X, S = d.s || X;
  const outMin = R[a + Field.OUT_MIN], outMax = R[a + Field.OUT_MAX], outZp = R[a + Field.OUT_ZP], zp = R[a + Field.IN_ZP];
  const C = R[a + Field.IN_D], Mult = R[a + Field.MULT], O = R[a + Field.OUT_D], batches = R[a + Field.BATCHES], mAt = a + Field.COUNT, oAt = a + offsetsAt(O);
  const H = R[a + Field.IN_H], W = R[a + Field.IN_W], outH = R[a + Field.OUT_H], outW = R[a + Field.OUT_W];
  const sH = R[a + Field.S_H], dH = R[a + Field.D_H], padH = R[a + Field.PAD_H], padW = R[a + Field.PAD_W];
  const two = R[a + Field.S_W] === 2, rowStride = W * C, O2 = 2 * O, safe = R[a + Field.SLIDE_SAFE];
  const top = R[a + Field.TOP], bottom = R[a + Field.BOTTOM], rowGap = dH * rowStride;
  const O3 = 3 * O, O4 = 4 * O, O5 = 5 * O, O6 = 6 * O, O7 = 7 * O, O8 = 8 * O;
  const xb = R[a + Field.X_AT], wb = R[a + Field.W_AT], yb = R[a + Field.Y_AT], sAt = R[a + Field.S_AT];
  let A0 = 0, A1 = 0, A2 = 0, B0 = 0, B1 = 0, B2 = 0, E0 = 0, E1 = 0, E2 = 0;
  let acc = 0, r = 0, ox = 0, ix = 0, at = 0, o = 0, off = 0, row0 = 0, D1 = 0, D2 = 0;
  let k00 = 0, k01 = 0, k02 = 0, k10 = 0, k11 = 0, k12 = 0, k20 = 0, k21 = 0, k22 = 0;
  for (let c = 0; c < O; c++) {
    const ic = xb + ((c / Mult) | 0), wc = wb + c, yc = yb + c;
    const w00 = Wt[wc], w01 = Wt[wc + O], w02 = Wt[wc + O2], w10 = Wt[wc + O3], w11 = Wt[wc + O4];
    const w12 = Wt[wc + O5], w20 = Wt[wc + O6], w21 = Wt[wc + O7], w22 = Wt[wc + O8];
    const offset = R[oAt + c], k = S[sAt + c] + SHIFT_BASE, sc = R[mAt + c] * SCALE[k], ap = ADD_POSITIVE[k];
    // The channel's outputs follow one another row after row: o runs on from one row to the next.
    o = yc;
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        if (oy >= top && oy < bottom) {
          // Rows inside (one run, after the rows in the padding above) take the plain weights,
          // offset and row gaps: set at the first.
          if (oy === top) {
            k00 = w00; k01 = w01; k02 = w02; k10 = w10; k11 = w11; k12 = w12; k20 = w20; k21 = w21; k22 = w22;
            off = offset;
            D1 = rowGap;
            D2 = rowGap + rowGap;
          }
          row0 = (b * H + oy * sH - padH) * rowStride + ic;
        } else {
          k00 = w00; k01 = w01; k02 = w02; k10 = w10; k11 = w11; k12 = w12; k20 = w20; k21 = w21; k22 = w22;
          off = offset;
          const iy0 = oy * sH - padH, iy1 = iy0 + dH, iy2 = iy1 + dH;
          // Some row inside the input for rows in the padding to read.
          const inside = iy0 >= 0 && iy0 < H ? iy0 : iy1 >= 0 && iy1 < H ? iy1 : iy2;
          let y0 = iy0, y1 = iy1, y2 = iy2;
          if (iy0 < 0 || iy0 >= H) { off += zp * (w00 + w01 + w02); k00 = k01 = k02 = 0; y0 = inside; }
          if (iy1 < 0 || iy1 >= H) { off += zp * (w10 + w11 + w12); k10 = k11 = k12 = 0; y1 = inside; }
          if (iy2 < 0 || iy2 >= H) { off += zp * (w20 + w21 + w22); k20 = k21 = k22 = 0; y2 = inside; }
          row0 = (b * H + y0) * rowStride + ic;
          D1 = (y1 - y0) * rowStride;
          D2 = (y2 - y0) * rowStride;
        }
        // The columns before the first window's new ones.
        ix = -padW;
        at = row0 + ix * C;
        if (ix >= 0 && ix < W) { A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; } else A0 = A1 = A2 = zp;
        at += C;
        ix++;
        if (!two) {
          if (ix >= 0 && ix < W) { B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; } else B0 = B1 = B2 = zp;
          at += C;
          ix++;
        }
        ox = 0;
        // While the columns entering lie inside the input, three steps at a time; on leaving,
        // the window's last columns move back to A (and B).
        if (safe > 0) {
          if (two) {
            for (;;) {
              B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C; E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C;
              acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = E0; A1 = E1; A2 = E2; break; }
              A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C; B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C;
              acc = off + k00 * E0 + k01 * A0 + k02 * B0 + k10 * E1 + k11 * A1 + k12 * B1 + k20 * E2 + k21 * A2 + k22 * B2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = B0; A1 = B1; A2 = B2; break; }
              E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C; A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C;
              acc = off + k00 * B0 + k01 * E0 + k02 * A0 + k10 * B1 + k11 * E1 + k12 * A1 + k20 * B2 + k21 * E2 + k22 * A2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) break;
            }
            ix += 2 * ox;
          } else {
            for (;;) {
              E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; at += C;
              acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { A0 = B0; A1 = B1; A2 = B2; B0 = E0; B1 = E1; B2 = E2; break; }
              A0 = X[at]; A1 = X[at + D1]; A2 = X[at + D2]; at += C;
              acc = off + k00 * B0 + k01 * E0 + k02 * A0 + k10 * B1 + k11 * E1 + k12 * A1 + k20 * B2 + k21 * E2 + k22 * A2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) { B0 = A0; B1 = A1; B2 = A2; A0 = E0; A1 = E1; A2 = E2; break; }
              B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; at += C;
              acc = off + k00 * E0 + k01 * A0 + k02 * B0 + k10 * E1 + k11 * A1 + k12 * B1 + k20 * E2 + k21 * A2 + k22 * B2;
              if (acc < 0) Y[o] = outMin;
              else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
              o += O;
              if (++ox === safe) break;
            }
            ix += ox;
          }
        }
        // The rest, one step at a time: columns outside the input are the zero point.
        for (; ox < outW; ox++) {
          if (two) {
            if (ix >= 0 && ix < W) { B0 = X[at]; B1 = X[at + D1]; B2 = X[at + D2]; } else B0 = B1 = B2 = zp;
            at += C;
            ix++;
          }
          if (ix >= 0 && ix < W) { E0 = X[at]; E1 = X[at + D1]; E2 = X[at + D2]; } else E0 = E1 = E2 = zp;
          at += C;
          ix++;
          acc = off + k00 * A0 + k01 * B0 + k02 * E0 + k10 * A1 + k11 * B1 + k12 * E1 + k20 * A2 + k21 * B2 + k22 * E2;
          if (acc < 0) Y[o] = outMin;
          else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
          o += O;
          if (two) { A0 = E0; A1 = E1; A2 = E2; }
          else { A0 = B0; A1 = B1; A2 = B2; B0 = E0; B1 = E1; B2 = E2; }
        }
      }
    }
  }
}

/**
 * How many leading outputs of a row find the columns entering their window (one, or two for
 * stride 2) inside the input.
 */
export function slideSafe(outW: number, inW: number, stride: number, pad: number): number {
  let n = 0;
  while (n < outW && n * stride - pad + 2 < inW && n * stride - pad + 3 - stride >= 0) n++;
  return n;
}
