// MUL (TFLM mul.cc, mul_common.cc, reference/mul.h, reference/integer_ops/mul.h): float32
// products, int32 wrapping products, int8 and int16 as (a - za) * (b - zb) rescaled by
// s1 * s2 / so; broadcasting of any rank.
import type { Kernel } from '../core/kernel.js';
import type { TensorData } from '../core/types.js';
import { evalBroadcast, prepareProduct, type ProductData } from './internal/elementwise.js';
import { multiplyByQuantizedMultiplier } from './internal/quantization.js';

export type MulData = ProductData;

const TYPES = ['float32', 'int8', 'int16', 'int32'];
const SEGMENTS = { float: floatSegment, int32: int32Segment, quantized: quantizedSegment };

const mulMultiplier = (scale1: number, scale2: number, outputScale: number) => scale1 * scale2 / outputScale;

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MulData): void {
  const min = data.min, max = data.max;
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
  const min = data.min, max = data.max;
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
  const offset1 = data.offset1, offset2 = data.offset2, outputOffset = data.outputOffset;
  const multiplier = data.multiplier, shift = data.shift, min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = outputOffset + multiplyByQuantizedMultiplier((offset1 + a[ai]) * (offset2 + b[bi]), multiplier, shift);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

export const MUL: Kernel<MulData> = {
  code: 18,
  name: 'MUL',
  options: 'MulOptions',
  types: TYPES,
  prepare: (ctx, node) => prepareProduct(ctx, node, TYPES, SEGMENTS, mulMultiplier, false),
  eval: evalBroadcast,
};
