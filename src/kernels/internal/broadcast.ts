// Broadcasting of two operands onto an output (numpy rules, as TFLM's BroadcastBinaryOpSimple).
// prepare turns the three shapes into a loop nest: dimensions of extent 1 dropped, neighbouring
// dimensions fused where both operands stay contiguous across them, an innermost run whose
// operand steps are 0 (broadcast) or 1. eval walks the outer dimensions and hands each innermost
// run to a kernel's segment function: no index table, no division per element, one call per run.
//
// The plan lives in the kernel's Int32Array record (from ctx.persistent), from index `at` on:
// a header, then per outer dimension its extent, operand strides, their rewinds and its loop
// counter. Most real operators (same shapes, or a scalar / per-channel operand) have no outer
// dimension at all, so the plan is the header alone.
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

/** Header fields of a plan in a record (offsets from the plan's start). */
export const enum Plan {
  /** Length of each innermost run. */
  INNER = 0,
  /** Step of each operand along the innermost run: 0 (broadcast) or 1. */
  A_STEP = 1,
  B_STEP = 2,
  /** Number of innermost runs (0 for an empty output). */
  RUNS = 3,
  /** Number of fused outer dimensions. */
  OUTER = 4,
  /** Then per outer dimension, outermost first: the DIM_* fields. */
  HEADER = 5,
  DIM_EXTENT = 0,
  DIM_A_STRIDE = 1,
  DIM_B_STRIDE = 2,
  /** stride * extent: what a finished dimension takes back. */
  DIM_A_REWIND = 3,
  DIM_B_REWIND = 4,
  /** eval's loop counter. */
  DIM_COUNTER = 5,
  DIM_FIELDS = 6,
}

/** A loop nest as prepare computes it (plain numbers; written into the record by writePlan). */
export interface BroadcastPlan {
  readonly inner: number;
  readonly aStep: number;
  readonly bStep: number;
  readonly runs: number;
  /** Per outer dimension, outermost first: extent, a stride, b stride. */
  readonly dims: readonly number[];
}

/** Record entries a plan takes. */
export function planLength(plan: BroadcastPlan): number {
  return Plan.HEADER + (plan.dims.length / 3) * Plan.DIM_FIELDS;
}

/** Writes `plan` into `record` from index `at` (a no-op on the sizing run's empty view). */
export function writePlan(record: Int32Array, at: number, plan: BroadcastPlan): void {
  record[at + Plan.INNER] = plan.inner;
  record[at + Plan.A_STEP] = plan.aStep;
  record[at + Plan.B_STEP] = plan.bStep;
  record[at + Plan.RUNS] = plan.runs;
  const dims = plan.dims, outer = dims.length / 3;
  record[at + Plan.OUTER] = outer;
  for (let d = 0; d < outer; d++) {
    const k = at + Plan.HEADER + d * Plan.DIM_FIELDS;
    const extent = dims[3 * d], aStride = dims[3 * d + 1], bStride = dims[3 * d + 2];
    record[k + Plan.DIM_EXTENT] = extent;
    record[k + Plan.DIM_A_STRIDE] = aStride;
    record[k + Plan.DIM_B_STRIDE] = bStride;
    record[k + Plan.DIM_A_REWIND] = aStride * extent;
    record[k + Plan.DIM_B_REWIND] = bStride * extent;
    record[k + Plan.DIM_COUNTER] = 0;
  }
}

/** Fused loop dimensions, innermost first (at least one, of extent 1 for a single element). */
export interface FusedBroadcast {
  ext: number[];
  /** Per dimension, each operand's element stride (0 where it is broadcast). */
  strides: number[][];
  /** Whether the output has no element. */
  empty: boolean;
}

/**
 * The loop nest for `out = f(operands...)` (numpy rules): dimensions of extent 1 dropped,
 * neighbouring ones fused where every operand stays contiguous across them (stride = inner stride
 * * inner extent, which also covers broadcast 0 = 0); null where the shapes do not broadcast to
 * `outShape`.
 */
export function fuseBroadcast(shapes: readonly ArrayLike<number>[], outShape: ArrayLike<number>): FusedBroadcast | null {
  const k = shapes.length;
  let rank = outShape.length;
  for (let j = 0; j < k; j++) rank = Math.max(rank, shapes[j].length);
  const dimOf = (s: ArrayLike<number>, i: number) => {
    const at = i - (rank - s.length);
    return at < 0 ? 1 : s[at];
  };
  let empty = false;
  for (let i = 0; i < rank; i++) {
    let expected = 1;
    for (let j = 0; j < k; j++) {
      const d = dimOf(shapes[j], i);
      if (d === 1) continue;
      if (expected !== 1 && d !== expected) expected = -1;
      else if (expected !== -1) expected = d;
    }
    const dOut = dimOf(outShape, i);
    if (expected === -1 || dOut !== expected) {
      return null;
    }
    if (dOut === 0) empty = true;
  }
  const ext: number[] = [];
  const strides: number[][] = [];
  const accum: number[] = [];
  for (let j = 0; j < k; j++) accum.push(1);
  for (let i = rank - 1; i >= 0; i--) {
    const dOut = dimOf(outShape, i);
    const s: number[] = [];
    for (let j = 0; j < k; j++) {
      const d = dimOf(shapes[j], i);
      s.push(d === 1 ? 0 : accum[j]);
      accum[j] *= d;
    }
    if (dOut <= 1) continue;
    const last = ext.length - 1;
    let fusable = last >= 0;
    for (let j = 0; fusable && j < k; j++) fusable = s[j] === strides[last][j] * ext[last];
    if (fusable) ext[last] *= dOut;
    else {
      ext.push(dOut);
      strides.push(s);
    }
  }
  if (ext.length === 0) {
    ext.push(1);
    strides.push(shapes.map(() => 0));
  }
  return { ext, strides, empty };
}

/**
 * The loop nest for `out = op(a, b)`, or a message saying why the shapes do not broadcast to
 * `outShape`.
 */
export function planBroadcast(aShape: ArrayLike<number>, bShape: ArrayLike<number>, outShape: ArrayLike<number>): BroadcastPlan | string {
  const fused = fuseBroadcast([aShape, bShape], outShape);
  if (!fused) {
    const show = (s: ArrayLike<number>) => `[${Array.from(s).join(', ')}]`;
    return `shapes ${show(aShape)} and ${show(bShape)} do not broadcast to the output shape ${show(outShape)}`;
  }
  const { ext, strides, empty } = fused;
  const dims: number[] = [];
  let runs = 1;
  // Outer dimensions outermost first: ext[] runs innermost first.
  for (let k = ext.length - 1; k >= 1; k--) {
    dims.push(ext[k], strides[k][0], strides[k][1]);
    runs *= ext[k];
  }
  return { inner: ext[0], aStep: strides[0][0] === 0 ? 0 : 1, bStep: strides[0][1] === 0 ? 0 : 1, runs: empty ? 0 : runs, dims };
}

/** Runs `segment` over every innermost run of the plan at `record[at...]`. */
export function runBroadcast<D>(record: Int32Array, at: number, a: TensorData, b: TensorData, out: TensorData, data: D, segment: Segment<D>): void {
  const runs = record[at + Plan.RUNS];
  if (runs === 0) return;
  const inner = record[at + Plan.INNER], aStep = record[at + Plan.A_STEP], bStep = record[at + Plan.B_STEP];
  const outer = record[at + Plan.OUTER];
  if (outer === 0) {
    segment(a, 0, aStep, b, 0, bStep, out, 0, inner, data);
    return;
  }
  const first = at + Plan.HEADER, last = first + (outer - 1) * Plan.DIM_FIELDS;
  for (let k = first; k <= last; k += Plan.DIM_FIELDS) record[k + Plan.DIM_COUNTER] = 0;
  let aOffset = 0, bOffset = 0, outOffset = 0;
  for (let r = 0; r < runs; r++) {
    segment(a, aOffset, aStep, b, bOffset, bStep, out, outOffset, inner, data);
    outOffset += inner;
    let k = last;
    while (k >= first) {
      aOffset += record[k + Plan.DIM_A_STRIDE];
      bOffset += record[k + Plan.DIM_B_STRIDE];
      const next = record[k + Plan.DIM_COUNTER] + 1;
      if (next < record[k + Plan.DIM_EXTENT]) {
        record[k + Plan.DIM_COUNTER] = next;
        break;
      }
      record[k + Plan.DIM_COUNTER] = 0;
      aOffset -= record[k + Plan.DIM_A_REWIND];
      bOffset -= record[k + Plan.DIM_B_REWIND];
      k -= Plan.DIM_FIELDS;
    }
  }
}
