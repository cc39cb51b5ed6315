// Broadcasting of two operands onto an output (numpy rules, as TFLM's BroadcastBinaryOpSimple).
// prepare turns the three shapes into a loop nest: dimensions of extent 1 dropped, neighbouring
// dimensions fused where both operands stay contiguous across them, an innermost run whose
// operand steps are 0 (broadcast) or 1. eval walks the outer dimensions with counters kept in the
// plan and hands each innermost run to a kernel's segment function: no division per element,
// one call per run.
import type { TensorData } from '../../core/types.js';

/**
 * Computes `count` outputs from a run of operands: operand `a` at aOffset, aOffset + aStep, ...;
 * `b` likewise; results at outOffset, outOffset + 1, .... Steps are 0 or 1.
 */
export type Segment<D> = (
  a: TensorData, aOffset: number, aStep: number,
  b: TensorData, bOffset: number, bStep: number,
  out: TensorData, outOffset: number, count: number, data: D,
) => void;

export interface BroadcastPlan {
  /** Length of each innermost run. */
  readonly inner: number;
  /** Step of each operand along the innermost run: 0 (broadcast) or 1. */
  readonly aStep: number;
  readonly bStep: number;
  /** Number of innermost runs (0 for an empty output). */
  readonly runs: number;
  /** Number of fused outer dimensions. */
  readonly outer: number;
  /** Per outer dimension, outermost first: extent, operand strides, and stride * extent. */
  readonly extents: Int32Array;
  readonly aStrides: Int32Array;
  readonly bStrides: Int32Array;
  readonly aRewind: Int32Array;
  readonly bRewind: Int32Array;
  /** Loop counters for eval (per operator, so no module state). */
  readonly counters: Int32Array;
  /** True when both operands have the output's shape (no broadcasting at all). */
  readonly elementwise: boolean;
}

/**
 * The loop nest for `out = op(a, b)`, or a message saying why the shapes do not broadcast to
 * `outShape`.
 */
export function planBroadcast(aShape: ArrayLike<number>, bShape: ArrayLike<number>, outShape: ArrayLike<number>): BroadcastPlan | string {
  const rank = Math.max(aShape.length, bShape.length, outShape.length);
  const show = (s: ArrayLike<number>) => `[${Array.from(s).join(', ')}]`;
  const dimOf = (s: ArrayLike<number>, i: number) => {
    const k = i - (rank - s.length);
    return k < 0 ? 1 : s[k];
  };
  let empty = false;
  for (let i = 0; i < rank; i++) {
    const da = dimOf(aShape, i), db = dimOf(bShape, i), dOut = dimOf(outShape, i);
    const expected = da === 1 ? db : da;
    if ((da !== 1 && db !== 1 && da !== db) || dOut !== expected) {
      return `shapes ${show(aShape)} and ${show(bShape)} do not broadcast to the output shape ${show(outShape)}`;
    }
    if (dOut === 0) empty = true;
  }
  // The dimensions that loop (extent > 1), innermost first, with each operand's element stride
  // (0 where it is broadcast).
  const loopExtent: number[] = [], loopA: number[] = [], loopB: number[] = [];
  let aAccum = 1, bAccum = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const da = dimOf(aShape, i), db = dimOf(bShape, i), dOut = dimOf(outShape, i);
    if (dOut > 1) {
      loopExtent.push(dOut);
      loopA.push(da === 1 ? 0 : aAccum);
      loopB.push(db === 1 ? 0 : bAccum);
    }
    aAccum *= da;
    bAccum *= db;
  }
  // Fuse a dimension into the one inside it when both operands continue contiguously across
  // them (stride = inner stride * inner extent, which also covers broadcast 0 = 0).
  const ext: number[] = [], as: number[] = [], bs: number[] = [];
  for (let k = 0; k < loopExtent.length; k++) {
    const last = ext.length - 1;
    if (last >= 0 && loopA[k] === as[last] * ext[last] && loopB[k] === bs[last] * ext[last]) {
      ext[last] *= loopExtent[k];
    } else {
      ext.push(loopExtent[k]);
      as.push(loopA[k]);
      bs.push(loopB[k]);
    }
  }
  let elementwise = true;
  for (let i = 0; i < rank; i++) {
    if (dimOf(aShape, i) !== dimOf(outShape, i) || dimOf(bShape, i) !== dimOf(outShape, i)) elementwise = false;
  }
  if (ext.length === 0) {
    // Every dimension is 1: a single element.
    ext.push(1);
    as.push(0);
    bs.push(0);
  }
  const outer = ext.length - 1;
  const extents = new Int32Array(outer), aStrides = new Int32Array(outer), bStrides = new Int32Array(outer);
  const aRewind = new Int32Array(outer), bRewind = new Int32Array(outer);
  let runs = 1;
  for (let d = 0; d < outer; d++) {
    // Outer dimensions outermost first: ext[] runs innermost first.
    const k = ext.length - 1 - d;
    extents[d] = ext[k];
    aStrides[d] = as[k];
    bStrides[d] = bs[k];
    aRewind[d] = as[k] * ext[k];
    bRewind[d] = bs[k] * ext[k];
    runs *= ext[k];
  }
  return {
    inner: ext[0], aStep: as[0] === 0 ? 0 : 1, bStep: bs[0] === 0 ? 0 : 1,
    runs: empty ? 0 : runs, outer, extents, aStrides, bStrides, aRewind, bRewind,
    counters: new Int32Array(outer), elementwise,
  };
}

/** Runs `segment` over every innermost run of the plan. */
export function runBroadcast<D>(plan: BroadcastPlan, a: TensorData, b: TensorData, out: TensorData, data: D, segment: Segment<D>): void {
  const runs = plan.runs;
  if (runs === 0) return;
  const inner = plan.inner, aStep = plan.aStep, bStep = plan.bStep, outer = plan.outer;
  if (outer === 0) {
    segment(a, 0, aStep, b, 0, bStep, out, 0, inner, data);
    return;
  }
  const extents = plan.extents, aStrides = plan.aStrides, bStrides = plan.bStrides;
  const aRewind = plan.aRewind, bRewind = plan.bRewind, counters = plan.counters;
  for (let d = 0; d < outer; d++) counters[d] = 0;
  let aOffset = 0, bOffset = 0, outOffset = 0;
  for (let r = 0; r < runs; r++) {
    segment(a, aOffset, aStep, b, bOffset, bStep, out, outOffset, inner, data);
    outOffset += inner;
    let d = outer - 1;
    while (d >= 0) {
      aOffset += aStrides[d];
      bOffset += bStrides[d];
      const next = counters[d] + 1;
      if (next < extents[d]) {
        counters[d] = next;
        break;
      }
      counters[d] = 0;
      aOffset -= aRewind[d];
      bOffset -= bRewind[d];
      d--;
    }
  }
}
