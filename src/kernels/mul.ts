// MUL (TFLM mul.cc, mul_common.cc, reference/mul.h, reference/integer_ops/mul.h): float32
// products, int32 wrapping products, int8 and int16 as (a - za) * (b - zb) rescaled by
// s1 * s2 / so; broadcasting of any rank.
import type { Kernel } from '../core/kernel.js';
import type { TensorData } from '../core/types.js';
import { evalBroadcast, FLOAT_BOUNDS, prepareProduct, Product, type ProductData } from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier } from './internal/quantization.js';

export type MulData = ProductData;

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16', 'int32']);
const SEGMENTS = Object.freeze({ float: floatSegment, int32: int32Segment, quantized: quantizedSegment });

const mulMultiplier = (scale1: number, scale2: number, outputScale: number) => scale1 * scale2 / outputScale;

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const code = data.record[Product.MIN], min = FLOAT_BOUNDS[2 * code], max = FLOAT_BOUNDS[2 * code + 1];
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = a[ai] * b[bi];
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const r = data.record, min = r[Product.MIN], max = r[Product.MAX];
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = Math.imul(a[ai], b[bi]);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function quantizedSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const r = data.record;
  const offset1 = r[Product.OFFSET1], offset2 = r[Product.OFFSET2], outputOffset = r[Product.OUTPUT_OFFSET];
  const multiplier = r[Product.MULTIPLIER], shift = r[Product.SHIFT], min = r[Product.MIN], max = r[Product.MAX];
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = outputOffset + multiplyByQuantizedMultiplier((offset1 + a[ai]) * (offset2 + b[bi]), multiplier, shift);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

export const MUL: Kernel<MulData> = Object.freeze<Kernel<MulData>>({
  code: 18,
  name: 'MUL',
  options: 'MulOptions',
  types: TYPES,
  prepare: (ctx, node) => prepareProduct(ctx, node, TYPES, SEGMENTS, mulMultiplier, false),
  eval: evalBroadcast,
});
