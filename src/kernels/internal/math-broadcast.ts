// Broadcasting of two or three operands onto an output for the math group's kernels
// (comparisons, logical, FLOOR_DIV/FLOOR_MOD, POW, SELECT_V2), numpy rules as TFLM's
// Broadcast4DSlow / BroadcastSelect5DSlow. prepare turns the shapes into a loop nest kept in an
// Int32Array record from ctx.persistent: dimensions of extent 1 dropped, neighbouring dimensions
// fused where every operand stays contiguous across them, and an innermost run whose operand
// steps are 0 (broadcast) or 1. eval hands each innermost run to a kernel's segment function:
// no index table, no division per element, one call per run.
import type { PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { fuseBroadcast, type Segment } from './broadcast.js';

/** Record layout: a header, then per outer dimension (outermost first) DIM fields. */
export const enum Plan {
  INNER = 0,
  RUNS = 1,
  OUTER = 2,
  /** Operand steps along the innermost run, 3 slots (unused operands 0). */
  STEP = 3,
  HEADER = 6,
  DIM_EXTENT = 0,
  DIM_COUNTER = 1,
  /** Per operand stride (3 slots), then per operand rewind = stride * extent (3 slots). */
  DIM_STRIDE = 2,
  DIM_REWIND = 5,
  DIM_FIELDS = 8,
}

const show = (s: ArrayLike<number>) => `[${Array.from(s).join(', ')}]`;

/**
 * Plans the broadcast of `shapes` (2 or 3 operands) onto `outShape` into a record from the
 * arena with `extra` int32 fields after the plan (returned as `at`). Fails the prepare where the
 * shapes do not broadcast, or where broadcasting is needed above `maxRank` dimensions (TFLM's
 * Broadcast4DSlow/5DSlow handle no more).
 */
export function planBroadcastRecord(
  ctx: PrepareContext, shapes: readonly ArrayLike<number>[], outShape: ArrayLike<number>, maxRank: number, extra: number,
): { record: Int32Array; at: number } {
  const plan = fuseBroadcast(shapes, outShape);
  if (!plan) return ctx.fail(`shapes ${shapes.map(show).join(', ')} do not broadcast to the output shape ${show(outShape)}`);
  let same = true;
  for (let j = 0; j < shapes.length; j++) {
    const s = shapes[j];
    if (s.length !== outShape.length) same = false;
    for (let i = 0; same && i < s.length; i++) same = s[i] === outShape[i];
  }
  if (!same && outShape.length > maxRank) ctx.fail(`broadcasting is supported up to ${maxRank} dimensions, the output has ${outShape.length}`);
  for (let j = 0; j < shapes.length; j++) {
    if (!same && shapes[j].length > maxRank) ctx.fail(`broadcasting is supported up to ${maxRank} dimensions, input ${j + 1} has ${shapes[j].length}`);
  }
  const { ext, strides, empty } = plan;
  const outer = ext.length - 1;
  const at = Plan.HEADER + outer * Plan.DIM_FIELDS;
  const record = ctx.persistent(TensorType.INT32, at + extra) as Int32Array;
  let runs = 1;
  for (let d = 0; d < outer; d++) {
    const src = ext.length - 1 - d;
    const base = Plan.HEADER + d * Plan.DIM_FIELDS;
    record[base + Plan.DIM_EXTENT] = ext[src];
    for (let j = 0; j < shapes.length; j++) {
      record[base + Plan.DIM_STRIDE + j] = strides[src][j];
      record[base + Plan.DIM_REWIND + j] = strides[src][j] * ext[src];
    }
    runs *= ext[src];
  }
  record[Plan.INNER] = ext[0];
  record[Plan.RUNS] = empty ? 0 : runs;
  record[Plan.OUTER] = outer;
  for (let j = 0; j < shapes.length; j++) record[Plan.STEP + j] = strides[0][j] === 0 ? 0 : 1;
  return { record, at };
}

/** Runs `segment` over every innermost run of a two-operand plan. */
export function runBroadcast2<D>(record: Int32Array, a: TensorData, b: TensorData, out: TensorData, data: D, segment: Segment<D>): void {
  const runs = record[Plan.RUNS];
  if (runs === 0) return;
  const inner = record[Plan.INNER], outer = record[Plan.OUTER];
  const aStep = record[Plan.STEP], bStep = record[Plan.STEP + 1];
  if (outer === 0) {
    segment(a, 0, aStep, b, 0, bStep, out, 0, inner, data);
    return;
  }
  for (let d = 0; d < outer; d++) record[Plan.HEADER + d * Plan.DIM_FIELDS + Plan.DIM_COUNTER] = 0;
  let ai = 0, bi = 0, oi = 0;
  for (let r = 0; r < runs; r++) {
    segment(a, ai, aStep, b, bi, bStep, out, oi, inner, data);
    oi += inner;
    let d = outer - 1;
    while (d >= 0) {
      const base = Plan.HEADER + d * Plan.DIM_FIELDS;
      ai += record[base + Plan.DIM_STRIDE];
      bi += record[base + Plan.DIM_STRIDE + 1];
      const next = record[base + Plan.DIM_COUNTER] + 1;
      if (next < record[base + Plan.DIM_EXTENT]) {
        record[base + Plan.DIM_COUNTER] = next;
        break;
      }
      record[base + Plan.DIM_COUNTER] = 0;
      ai -= record[base + Plan.DIM_REWIND];
      bi -= record[base + Plan.DIM_REWIND + 1];
      d--;
    }
  }
}

/** SELECT_V2's loop: out = cond ? x : y over a three-operand plan (copying raw elements). */
export function runSelect(record: Int32Array, cond: TensorData, x: TensorData, y: TensorData, out: TensorData): void {
  const runs = record[Plan.RUNS];
  if (runs === 0) return;
  const inner = record[Plan.INNER], outer = record[Plan.OUTER];
  const cStep = record[Plan.STEP], xStep = record[Plan.STEP + 1], yStep = record[Plan.STEP + 2];
  for (let d = 0; d < outer; d++) record[Plan.HEADER + d * Plan.DIM_FIELDS + Plan.DIM_COUNTER] = 0;
  let ci = 0, xi = 0, yi = 0, oi = 0;
  for (let r = 0; r < runs; r++) {
    let c = ci, p = xi, q = yi;
    const end = oi + inner;
    for (; oi < end; oi++) {
      out[oi] = cond[c] !== 0 ? x[p] : y[q];
      c += cStep;
      p += xStep;
      q += yStep;
    }
    let d = outer - 1;
    while (d >= 0) {
      const base = Plan.HEADER + d * Plan.DIM_FIELDS;
      ci += record[base + Plan.DIM_STRIDE];
      xi += record[base + Plan.DIM_STRIDE + 1];
      yi += record[base + Plan.DIM_STRIDE + 2];
      const next = record[base + Plan.DIM_COUNTER] + 1;
      if (next < record[base + Plan.DIM_EXTENT]) {
        record[base + Plan.DIM_COUNTER] = next;
        break;
      }
      record[base + Plan.DIM_COUNTER] = 0;
      ci -= record[base + Plan.DIM_REWIND];
      xi -= record[base + Plan.DIM_REWIND + 1];
      yi -= record[base + Plan.DIM_REWIND + 2];
      d--;
    }
  }
}
