// MAXIMUM and MINIMUM (TFLM maximum_minimum.cc/.h): elementwise larger / smaller value with
// broadcasting, on stored values (quantized inputs are compared as stored, as TFLM does: the
// converter gives inputs and output one scale). The comparison order is TFLM's, so a NaN in
// the first input loses and one in the second wins.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { runBroadcast, type BroadcastPlan, type Segment } from './internal/broadcast.js';
import { prepareBinary } from './internal/elementwise.js';

export interface MinMaxData {
  plan: BroadcastPlan;
  segment: Segment<MinMaxData>;
}

const TYPES = ['float32', 'int8', 'int16', 'int32', 'int64'];

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

/** a > b for int64 values stored as (low, high) int32 pairs at element indices ai, bi. */
function greater64(a: TensorData, ai: number, b: TensorData, bi: number): boolean {
  const ah = a[2 * ai + 1], bh = b[2 * bi + 1];
  if (ah !== bh) return ah > bh;
  return (a[2 * ai] >>> 0) > (b[2 * bi] >>> 0);
}

function maximum64Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    if (greater64(a, ai, b, bi)) {
      out[2 * oi] = a[2 * ai];
      out[2 * oi + 1] = a[2 * ai + 1];
    } else {
      out[2 * oi] = b[2 * bi];
      out[2 * oi + 1] = b[2 * bi + 1];
    }
    ai += as;
    bi += bs;
  }
}

function minimum64Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    if (greater64(b, bi, a, ai)) {
      out[2 * oi] = a[2 * ai];
      out[2 * oi + 1] = a[2 * ai + 1];
    } else {
      out[2 * oi] = b[2 * bi];
      out[2 * oi + 1] = b[2 * bi + 1];
    }
    ai += as;
    bi += bs;
  }
}

function prepareWith(ctx: PrepareContext, node: Node, maximum: boolean): MinMaxData {
  const { input1, plan } = prepareBinary(ctx, node, TYPES);
  const wide = input1.type === TensorType.INT64;
  const segment = maximum ? (wide ? maximum64Segment : maximumSegment) : (wide ? minimum64Segment : minimumSegment);
  return { plan, segment };
}

function evalMinMax(node: Node, data: MinMaxData): void {
  runBroadcast(data.plan, node.inputs[0]!.data, node.inputs[1]!.data, node.outputs[0].data, data, data.segment);
}

export const MAXIMUM: Kernel<MinMaxData> = {
  code: 55,
  name: 'MAXIMUM',
  types: TYPES,
  prepare: (ctx, node) => prepareWith(ctx, node, true),
  eval: evalMinMax,
};

export const MINIMUM: Kernel<MinMaxData> = {
  code: 57,
  name: 'MINIMUM',
  types: TYPES,
  prepare: (ctx, node) => prepareWith(ctx, node, false),
  eval: evalMinMax,
};
