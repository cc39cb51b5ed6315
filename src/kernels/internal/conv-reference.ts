// CONV_2D following TFLM's reference loops: float32, int8 (grouped filters and the shapes the
// fast paths cannot take) and 16x8. Multipliers and shifts come from the record
// (internal/conv-record.ts), bias values straight from the bias input's view.
import { ConvPath } from './conv-path.js';
import { FLOAT_MAX } from './conv-params.js';
import { biasAt, Rec, type ConvData } from './conv-record.js';
import { Activation, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64 } from './quantization.js';

export function evalQuantized(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v;
  const X = V[P[r + Rec.VX]], F = V[P[r + Rec.VW]], Y = V[P[r + Rec.VY]], E = V[P[r + Rec.VI8]];
  const kind = P[r + Rec.BIAS], B = kind === 0 ? null : V[P[r + Rec.VB]];
  const x0 = P[r + Rec.X], w0 = P[r + Rec.W], b0 = P[r + Rec.B];
  const outMin = P[r + Rec.OUT_MIN], outMax = P[r + Rec.OUT_MAX], path = P[r + Rec.PATH];
  // The 16x8 reference ignores zero points (they are 0 for int16).
  const inputOffset = path === ConvPath.INT8 ? -P[r + Rec.IN_ZP] : 0;
  const outZp = path === ConvPath.INT8 ? P[r + Rec.OUT_ZP] : 0;
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], fD = P[r + Rec.F_D], perGroup = P[r + Rec.PER_GROUP];
  const sH = P[r + Rec.S_H], sW = P[r + Rec.S_W], dH = P[r + Rec.D_H], dW = P[r + Rec.D_W];
  const padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W], mAt = r + Rec.TABLES, eAt = P[r + Rec.SHIFTS];
  let outIndex = P[r + Rec.Y];
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
              let xi = x0 + ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = w0 + ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) acc += F[wi++] * (X[xi++] + inputOffset);
            }
          }
          acc += biasAt(B, b0, kind, c);
          let v: number;
          if (path === ConvPath.INT16_ACC64) v = multiplyByQuantizedMultiplier64(acc, P[mAt + c], -E[eAt + c]);
          else v = multiplyByQuantizedMultiplier(acc | 0, P[mAt + c], -E[eAt + c]) + outZp;
          Y[outIndex + c] = v < outMin ? outMin : v > outMax ? outMax : v;
        }
        outIndex += outD;
      }
    }
  }
}

export function evalFloat(d: ConvData): void {
  const P = d.p, r = d.r, V = d.v;
  const X = V[P[r + Rec.VX]], F = V[P[r + Rec.VW]], Y = V[P[r + Rec.VY]];
  const B = P[r + Rec.BIAS] === 0 ? null : V[P[r + Rec.VB]];
  const x0 = P[r + Rec.X], w0 = P[r + Rec.W], b0 = P[r + Rec.B];
  // The fused activation's bounds (quantization.ts floatActivationRange), without an array.
  const act = P[r + Rec.ACT], fround = Math.fround;
  const lo = act === Activation.RELU || act === Activation.RELU6 ? 0 : act === Activation.RELU_N1_TO_1 ? -1 : -FLOAT_MAX;
  const hi = act === Activation.RELU6 ? 6 : act === Activation.RELU_N1_TO_1 ? 1 : FLOAT_MAX;
  const batches = P[r + Rec.BATCHES], inH = P[r + Rec.IN_H], inW = P[r + Rec.IN_W], inD = P[r + Rec.IN_D];
  const outH = P[r + Rec.OUT_H], outW = P[r + Rec.OUT_W], outD = P[r + Rec.OUT_D];
  const fH = P[r + Rec.F_H], fW = P[r + Rec.F_W], fD = P[r + Rec.F_D], perGroup = P[r + Rec.PER_GROUP];
  const sH = P[r + Rec.S_H], sW = P[r + Rec.S_W], dH = P[r + Rec.D_H], dW = P[r + Rec.D_W];
  const padH = P[r + Rec.PAD_H], padW = P[r + Rec.PAD_W];
  let outIndex = P[r + Rec.Y];
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
              let xi = x0 + ((b * inH + iy) * inW + ix) * inD + groupStart;
              let wi = w0 + ((c * fH + fy) * fW + fx) * fD;
              const wEnd = wi + fD;
              while (wi < wEnd) total = fround(total + fround(X[xi++] * F[wi++]));
            }
          }
          const v = fround(total + (B !== null ? B[b0 + c] : 0));
          Y[outIndex + c] = v < lo ? lo : hi < v ? hi : v;
        }
        outIndex += outD;
      }
    }
  }
}
