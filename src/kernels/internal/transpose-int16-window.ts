// TRANSPOSE_CONV 16x8 (int16 activations, int8 weights, int16 or int64 bias), weights read in
// place: every input pixel scatters, per filter tap, the dot products of its I values with each
// output channel's weights for that tap. Four pixels are taken at a time (window-dot.ts
// wideDot4: each weight read feeds four products; a pixel's values are read into locals once
// per tap), their per-channel sums land in scratch after the accumulators, and are added into
// the outputs their tap covers. Integer sums are exact in doubles in any order, so the result
// is the reference's; requantization is the reference's too.
import { biasAt } from './conv-record.js';
import { multiplyByQuantizedMultiplier64Quick } from './quantization.js';
import { Rec, type TransposeConvData } from './transpose-conv-record.js';
import { wideDot4 } from './window-dot.js';

export function evalInt16Window(d: TransposeConvData): void {
  const P = d.p, F = d.w, X = d.x, Y = d.y, A = d.a as Float64Array;
  const outMin = P[Rec.OUT_MIN], outMax = P[Rec.OUT_MAX];
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], I = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], O = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], sH = P[Rec.S_H], sW = P[Rec.S_W];
  const padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  const mAt = Rec.TABLES, sAt = Rec.TABLES + O;
  const filterStride = fH * fW * I, total = P[Rec.TOTAL], s = total;
  if (total === 0) return;
  // Accumulators start from the bias.
  const B = d.b, kind = P[Rec.BIAS];
  for (let c = 0; c < O; c++) A[c] = biasAt(B, 0, kind, c);
  for (let filled = O; filled < total; filled *= 2) A.copyWithin(filled, 0, filled < total - filled ? filled : total - filled);
  const pixels = batches * inH * inW;
  for (let p = 0; p < pixels; p += 4) {
    const n = pixels - p < 4 ? pixels - p : 4;
    // Missing pixels repeat the first and are not scattered.
    const x0 = p * I, x1 = n > 1 ? x0 + I : x0, x2 = n > 2 ? x0 + 2 * I : x0, x3 = n > 3 ? x0 + 3 * I : x0;
    for (let fy = 0; fy < fH; fy++) {
      for (let fx = 0; fx < fW; fx++) {
        wideDot4(X, x0, x1, x2, x3, I, F, (fy * fW + fx) * I, filterStride, O, A, s, O);
        for (let q = 0; q < n; q++) {
          const pixel = p + q, ix = pixel % inW, row = (pixel - ix) / inW, iy = row % inH, b = (row - iy) / inH;
          const oy = iy * sH - padH + fy, ox = ix * sW - padW + fx;
          if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue;
          let o = ((b * outH + oy) * outW + ox) * O;
          const end = o + O;
          let t = s + q * O;
          while (o < end) A[o++] += A[t++];
        }
      }
    }
  }
  let at = 0;
  while (at < total) {
    for (let oc = 0; oc < O; oc++) {
      const r = multiplyByQuantizedMultiplier64Quick(A[at], P[mAt + oc], P[sAt + oc]);
      Y[at++] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
  }
}
