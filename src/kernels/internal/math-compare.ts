// The comparison kernels (TFLM comparisons.cc, reference/comparisons.h): EQUAL, NOT_EQUAL,
// GREATER, GREATER_EQUAL, LESS, LESS_EQUAL, with broadcasting up to 4D and a bool output.
// Plain types compare their values; int64 compares (high, low) words; int8 (and int16 for
// GREATER) rescale both operands first as TFLM's *WithScaling: (q - zero point) << 8, then
// MultiplyByQuantizedMultiplierSmallerThanOneExp by the input's scale.
//
// Every comparison is a three-way result (less, equal, greater, or unordered for a NaN) looked
// up in a small frozen table, so three loops serve the six operators.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { binaryKernel, prepareBinaryMath, type BinaryMathData } from './math-binary.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

export const enum Compare {
  EQUAL = 0,
  NOT_EQUAL = 1,
  GREATER = 2,
  GREATER_EQUAL = 3,
  LESS = 4,
  LESS_EQUAL = 5,
}

// Per comparison, the output for: less, equal, greater, unordered (NaN).
const RESULTS: readonly number[] = Object.freeze([
  0, 1, 0, 0, // EQUAL
  1, 0, 1, 1, // NOT_EQUAL
  0, 0, 1, 0, // GREATER
  0, 1, 1, 0, // GREATER_EQUAL
  1, 0, 0, 0, // LESS
  1, 1, 0, 0, // LESS_EQUAL
]);

const enum Field {
  OFFSET1 = 0,
  MULTIPLIER1 = 1,
  SHIFT1 = 2,
  OFFSET2 = 3,
  MULTIPLIER2 = 4,
  SHIFT2 = 5,
  COUNT = 6,
}
const LEFT_SHIFT = 256;

function plainSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: BinaryMathData): void {
  const row = data.kind * 4, results = RESULTS;
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = a[ai], y = b[bi];
    out[oi] = results[row + (x < y ? 0 : x === y ? 1 : x > y ? 2 : 3)];
    ai += as;
    bi += bs;
  }
}

function int64Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: BinaryMathData): void {
  const row = data.kind * 4, results = RESULTS;
  const end = oi + n;
  ai *= 2;
  bi *= 2;
  as *= 2;
  bs *= 2;
  for (; oi < end; oi++) {
    const xh = a[ai + 1], yh = b[bi + 1];
    let c: number;
    if (xh !== yh) c = xh < yh ? 0 : 2;
    else {
      const xl = a[ai] >>> 0, yl = b[bi] >>> 0;
      c = xl < yl ? 0 : xl === yl ? 1 : 2;
    }
    out[oi] = results[row + c];
    ai += as;
    bi += bs;
  }
}

function scaledSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: BinaryMathData): void {
  const row = data.kind * 4, results = RESULTS;
  const r = data.record, at = data.at;
  const offset1 = r[at + Field.OFFSET1], m1 = r[at + Field.MULTIPLIER1], s1 = r[at + Field.SHIFT1];
  const offset2 = r[at + Field.OFFSET2], m2 = r[at + Field.MULTIPLIER2], s2 = r[at + Field.SHIFT2];
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = multiplyByQuantizedMultiplier((offset1 + a[ai]) * LEFT_SHIFT, m1, s1);
    const y = multiplyByQuantizedMultiplier((offset2 + b[bi]) * LEFT_SHIFT, m2, s2);
    out[oi] = results[row + (x < y ? 0 : x === y ? 1 : 2)];
    ai += as;
    bi += bs;
  }
}

/** QuantizeMultiplierSmallerThanOneExp of an input scale (TFLM aborts outside (0, 1)). */
function scaleMultiplier(ctx: PrepareContext, scale: number, which: string): { multiplier: number; shift: number } {
  if (!(scale > 0 && scale < 1)) ctx.fail(`input ${which} scale ${scale} must be in (0, 1) for a quantized comparison`);
  const q = quantizeMultiplier(scale);
  if (q.shift > 0) ctx.fail(`input ${which} scale ${scale} rounds to a multiplier of 1 or more`);
  return q;
}

/** A comparison kernel over `types` (TFLM's list for the operator). */
export function comparisonKernel(code: number, name: string, kind: Compare, types: readonly string[]): Kernel<BinaryMathData> {
  const prepare = (ctx: PrepareContext, node: Node): BinaryMathData => {
    const type = node.inputs[0]?.type;
    const quantized = type === TensorType.INT8 || type === TensorType.INT16;
    const segment = quantized ? scaledSegment : type === TensorType.INT64 ? int64Segment : plainSegment;
    const { input1, input2, data } = prepareBinaryMath(ctx, node, types, true, quantized ? Field.COUNT : 0, segment);
    data.kind = kind;
    if (quantized) {
      const q1 = scaleMultiplier(ctx, input1.scale, '1'), q2 = scaleMultiplier(ctx, input2.scale, '2');
      const r = data.record, at = data.at;
      r[at + Field.OFFSET1] = -input1.zeroPoint;
      r[at + Field.MULTIPLIER1] = q1.multiplier;
      r[at + Field.SHIFT1] = q1.shift;
      r[at + Field.OFFSET2] = -input2.zeroPoint;
      r[at + Field.MULTIPLIER2] = q2.multiplier;
      r[at + Field.SHIFT2] = q2.shift;
    }
    return data;
  };
  return binaryKernel(code, name, types, prepare);
}
