// DIV (TFLM div.cc, reference/div.h): float32 and int32 quotients (int32 truncating), int8 through
// a fixed-point reciprocal of the divisor (DivElementwise); broadcasting of any rank.
import type { Kernel } from '../core/kernel.js';
import type { TensorData } from '../core/types.js';
import { evalBroadcast, FLOAT_BOUNDS, prepareProduct, Product, type ProductData } from './internal/elementwise.js';
import { countLeadingSignBits, getReciprocal } from './internal/fixedpoint.js';
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './internal/quantization.js';

export type DivData = ProductData;

const TYPES: readonly string[] = Object.freeze(['float32', 'int32', 'int8']);
const SEGMENTS = Object.freeze({ float: floatSegment, int32: int32Segment, quantized: int8Segment });

// div.cc forms the ratio in float before widening.
const f = Math.fround;
const divMultiplier = (scale1: number, scale2: number, outputScale: number) => f(scale1 / f(scale2 * outputScale));

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const code = data.record[Product.MIN], min = FLOAT_BOUNDS[2 * code], max = FLOAT_BOUNDS[2 * code + 1];
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = a[ai] / b[bi];
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const r = data.record, min = r[Product.MIN], max = r[Product.MAX];
  const end = oi + n;
  for (; oi < end; oi++) {
    // C's truncating division; a zero divisor (undefined in C) gives 0 here.
    const v = (a[ai] / b[bi]) | 0;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

/**
 * RoundingDivideByPOT as TFLM's reference build (x86-64) runs it when DivElementwise's total
 * shift passes 31, which it does for quotients well under one output step (undefined in C): the
 * mask, formed in 64 bits, truncates to all ones while the shift count wraps modulo 32.
 */
function divideByPOTAsBuilt(x: number, exponent: number): number {
  if (exponent < 32) return roundingDivideByPOT(x, exponent);
  return (x >> (exponent & 31)) + (x >= 0 ? 1 : 0);
}

function int8Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const r = data.record;
  const offset1 = r[Product.OFFSET1], offset2 = r[Product.OFFSET2], outputOffset = r[Product.OUTPUT_OFFSET];
  const multiplier = r[Product.MULTIPLIER], shift = r[Product.SHIFT], min = r[Product.MIN], max = r[Product.MAX];
  const end = oi + n;
  for (; oi < end; oi++) {
    let x = offset1 + a[ai];
    let y = offset2 + b[bi];
    // The reciprocal needs a positive divisor: move the sign to the dividend.
    if (y < 0) {
      x = -x;
      y = -y;
    }
    const reciprocalShift = 31 - Math.clz32(y);
    const reciprocal = getReciprocal(y);
    const headroom = countLeadingSignBits(x);
    const quotient = saturatingRoundingDoublingHighMul((x << headroom) | 0, reciprocal);
    const totalShift = shift - reciprocalShift - headroom;
    const v = outputOffset + divideByPOTAsBuilt(saturatingRoundingDoublingHighMul(quotient, multiplier), -totalShift);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

export const DIV: Kernel<DivData> = Object.freeze<Kernel<DivData>>({
  code: 42,
  name: 'DIV',
  options: 'DivOptions',
  types: TYPES,
  prepare: (ctx, node) => prepareProduct(ctx, node, TYPES, SEGMENTS, divMultiplier, true),
  eval: evalBroadcast,
});
