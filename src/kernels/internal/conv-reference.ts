// CONV_2D following TFLM's reference loops: float32, int8 (grouped filters and the shapes the
// fast paths cannot take) and 16x8. Multipliers and shifts come from the record
// (internal/conv-record.ts), bias values straight from the bias input's view.
import { ConvPath } from './conv-path.js';
import { biasAt, Rec, shiftOf, type ConvData } from './conv-record.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './quantization.js';

export function evalQuantized(d: ConvData): void {
  const P = d.p, X = d.x, F = d.w, Y = d.y, B = d.b;
  const outMin = P[Rec.OUT_MIN], outMax = P[Rec.OUT_MAX], path = P[Rec.PATH], kind = P[Rec.BIAS];
  // The 16x8 reference ignores zero points (they are 0 for int16).
  const inputOffset = path === ConvPath.INT8 ? -P[Rec.IN_ZP] : 0;
  const outZp = path === ConvPath.INT8 ? P[Rec.OUT_ZP] : 0;
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], inD = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], outD = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], fD = P[Rec.F_D], perGroup = P[Rec.PER_GROUP];
  const sH = P[Rec.S_H], sW = P[Rec.S_W], dH = P[Rec.D_H], dW = P[Rec.D_W];
  const padH = P[Rec.PAD_H], padW = P[Rec.PAD_W], mAt = Rec.TABLES;
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let c = 0; c < outD; c++) {
          const groupStart = ((c / perGroup) | 0) * fD;
          let acc = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              if (ix < 0 || ix >= inW) continue;
              let xi = ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) acc += F[wi++] * (X[xi++] + inputOffset);
            }
          }
          acc += biasAt(B, kind, c);
          let r: number;
          if (path === ConvPath.INT16_ACC64) r = multiplyByQuantizedMultiplier64(acc, P[mAt + c], shiftOf(P, outD, c));
          else r = multiplyByQuantizedMultiplier(acc | 0, P[mAt + c], shiftOf(P, outD, c)) + outZp;
          Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        outIndex += outD;
      }
    }
  }
}

export function evalFloat(d: ConvData): void {
  const P = d.p, X = d.x, F = d.w, Y = d.y, B = d.b;
  const lo = d.floatMin, hi = d.floatMax, fround = Math.fround;
  const batches = P[Rec.BATCHES], inH = P[Rec.IN_H], inW = P[Rec.IN_W], inD = P[Rec.IN_D];
  const outH = P[Rec.OUT_H], outW = P[Rec.OUT_W], outD = P[Rec.OUT_D];
  const fH = P[Rec.F_H], fW = P[Rec.F_W], fD = P[Rec.F_D], perGroup = P[Rec.PER_GROUP];
  const sH = P[Rec.S_H], sW = P[Rec.S_W], dH = P[Rec.D_H], dW = P[Rec.D_W];
  const padH = P[Rec.PAD_H], padW = P[Rec.PAD_W];
  let outIndex = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        for (let c = 0; c < outD; c++) {
          const groupStart = ((c / perGroup) | 0) * fD;
          // float accumulation, rounded at every step as C++ does.
          let total = 0;
          for (let fy = 0; fy < fH; fy++) {
            const iy = iy0 + fy * dH;
            if (iy < 0 || iy >= inH) continue;
            for (let fx = 0; fx < fW; fx++) {
              const ix = ix0 + fx * dW;
              if (ix < 0 || ix >= inW) continue;
              let xi = ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) total = fround(total + fround(X[xi++] * F[wi++]));
            }
          }
          const v = fround(total + (B !== null ? B[c] : 0));
          Y[outIndex + c] = v < lo ? lo : hi < v ? hi : v;
        }
        outIndex += outD;
      }
    }
  }
}
