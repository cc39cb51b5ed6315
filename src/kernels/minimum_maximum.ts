// MAXIMUM and MINIMUM (TFLM maximum_minimum.cc/.h): elementwise larger / smaller value with
// broadcasting, on stored values (quantized inputs are compared as stored, as TFLM does: the
// converter gives inputs and output one scale). The comparison order is TFLM's, so a NaN in
// the first input loses and one in the second wins.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { Binary, binaryData, evalBroadcast, prepareBinary, type BroadcastData } from './internal/elementwise.js';

export type MinMaxData = BroadcastData<MinMaxData>;

/** The record's one field: 1 for MAXIMUM, 0 for MINIMUM (read by the int64 segment). */
const MAXIMUM_FIELD = Binary.FIRST;

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16', 'int32', 'int64']);

function maximumSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = a[ai], y = b[bi];
    out[oi] = x > y ? x : y;
    ai += as;
    bi += bs;
  }
}

function minimumSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = a[ai], y = b[bi];
    out[oi] = x < y ? x : y;
    ai += as;
    bi += bs;
  }
}

/**
 * int64 values as (low, high) int32 pairs. MAXIMUM keeps a where a > b, MINIMUM where a <= b
 * (TFLM's b > a: the two differ only on equal pairs, which are the same bits).
 */
function select64Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: MinMaxData): void {
  const maximum = data.record[MAXIMUM_FIELD] !== 0;
  const end = oi + n;
  for (; oi < end; oi++) {
    const ah = a[2 * ai + 1], bh = b[2 * bi + 1];
    const greater = ah !== bh ? ah > bh : (a[2 * ai] >>> 0) > (b[2 * bi] >>> 0);
    if (greater === maximum) {
      out[2 * oi] = a[2 * ai];
      out[2 * oi + 1] = ah;
    } else {
      out[2 * oi] = b[2 * bi];
      out[2 * oi + 1] = bh;
    }
    ai += as;
    bi += bs;
  }
}

function prepareWith(ctx: PrepareContext, node: Node, maximum: boolean): MinMaxData {
  const tensors = prepareBinary(ctx, node, TYPES);
  const segment = tensors.input1.type === TensorType.INT64 ? select64Segment : maximum ? maximumSegment : minimumSegment;
  const data = binaryData(ctx, tensors, 1, segment);
  data.record[MAXIMUM_FIELD] = maximum ? 1 : 0;
  return data;
}

export const MAXIMUM: Kernel<MinMaxData> = Object.freeze<Kernel<MinMaxData>>({
  code: 55,
  name: 'MAXIMUM',
  types: TYPES,
  prepare: (ctx, node) => prepareWith(ctx, node, true),
  eval: evalBroadcast,
});

export const MINIMUM: Kernel<MinMaxData> = Object.freeze<Kernel<MinMaxData>>({
  code: 57,
  name: 'MINIMUM',
  types: TYPES,
  prepare: (ctx, node) => prepareWith(ctx, node, false),
  eval: evalBroadcast,
});
