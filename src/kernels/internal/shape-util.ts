// Shared by the data-movement kernels (pad, slices, concatenation, split, pack, transpose, resize,
// reductions, ...): prepare-time checks of their tensors, reading of constant index tensors, and
// a strided copy planned once in prepare and run in eval as flat index arithmetic.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { constantData } from './constant-data.js';

/** The types of the kernels that only move elements (int64 as word pairs), and their names. */
export const COPY_TYPES: readonly number[] = Object.freeze([
  TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL,
]);
export const COPY_TYPE_NAMES: readonly string[] = Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']);

/** Typed-array words per element: int64 is held as (low, high) int32 pairs. */
export function wordsPerElement(type: number): number {
  return type === TensorType.INT64 ? 2 : 1;
}

/** Fails unless the tensor's type is one of `types`. */
export function requireType(ctx: PrepareContext, tensor: Tensor, types: readonly number[], what: string): void {
  for (let i = 0; i < types.length; i++) if (tensor.type === types[i]) return;
  ctx.fail(`${what} ${tensor.describe()} has type ${tensor.typeName}, which this kernel does not support`);
}

/** Fails unless both tensors have the same type. */
export function requireSameType(ctx: PrepareContext, a: Tensor, b: Tensor, what: string): void {
  if (a.type !== b.type) ctx.fail(`${what}: ${b.describe()} must have the type of ${a.describe()}`);
}

export function requireInputCount(ctx: PrepareContext, inputs: readonly (Tensor | null)[], low: number, high: number = low): void {
  if (inputs.length < low || inputs.length > high) {
    ctx.fail(`takes ${low === high ? low : `${low} to ${high}`} inputs, the model gives ${inputs.length}`);
  }
}

/** The input at `index`, failing when the model leaves it out. */
export function requireInput(ctx: PrepareContext, inputs: readonly (Tensor | null)[], index: number, what: string): Tensor {
  const t = index < inputs.length ? inputs[index] : null;
  if (!t) ctx.fail(`${what} (input ${index}) is missing`);
  return t as Tensor;
}

/**
 * Checks `low` to `high` inputs and one output. Returns input 0, of one of `types`, and the
 * output, of the input's type, or of one of `outputTypes` when given.
 */
export function requireInputOutput(
  ctx: PrepareContext, node: Node, types: readonly number[], low: number, high: number = low, outputTypes?: readonly number[],
): { input: Tensor; output: Tensor } {
  requireInputCount(ctx, node.inputs, low, high);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const output = node.outputs[0];
  requireType(ctx, input, types, 'input');
  if (outputTypes) requireType(ctx, output, outputTypes, 'output');
  else requireSameType(ctx, input, output, 'output');
  return { input, output };
}

/**
 * The one value of a constant axis tensor, made non-negative against `axes` axes (the input's
 * rank, or one more where an axis may be inserted); fails outside [0, axes).
 */
export function readAxis(ctx: PrepareContext, axisT: Tensor, input: Tensor, axes: number): number {
  if (axisT.elementCount !== 1) ctx.fail(`axis ${axisT.describe()} must hold one value`);
  const value = readConstantInts(ctx, axisT, 'axis')[0];
  const axis = value < 0 ? value + axes : value;
  if (axis < 0 || axis >= axes) ctx.fail(`axis ${value} is out of range for input ${input.describe()}`);
  return axis;
}

/**
 * The values of a constant int32 or int64 tensor as plain numbers (int64 must fit in 53 bits).
 * Kernels that need them to plan their loops require them at prepare time, as TFLM does.
 */
export function readConstantInts(ctx: PrepareContext, tensor: Tensor, what: string): number[] {
  if (!tensor.isConstant) ctx.fail(`${what} ${tensor.describe()} must be a constant tensor`);
  return readInts(ctx, tensor, what);
}

/** Values of an int32 / int64 tensor whose data is readable now (constant, or bound). */
function readInts(ctx: PrepareContext, tensor: Tensor, what: string): number[] {
  const out: number[] = [];
  const count = tensor.elementCount;
  if (tensor.type !== TensorType.INT32 && tensor.type !== TensorType.INT64) {
    ctx.fail(`${what} ${tensor.describe()} must be int32 or int64, not ${tensor.typeName}`);
  }
  const d = constantData(tensor) as Int32Array;
  if (tensor.type === TensorType.INT32) {
    for (let i = 0; i < count; i++) out.push(d[i]);
  } else {
    for (let i = 0; i < count; i++) {
      const low = d[2 * i] >>> 0, high = d[2 * i + 1];
      if (high < -2097152 || high > 2097151) ctx.fail(`${what} ${tensor.describe()} holds a value out of range`);
      out.push(high * 4294967296 + low);
    }
  }
  return out;
}

/** Row-major element strides of a shape. */
export function stridesOf(shape: ArrayLike<number>): number[] {
  const out: number[] = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

export function product(values: ArrayLike<number>, from = 0, to = values.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= values[i];
  return p;
}

export function sameShape(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: ArrayLike<number>): string {
  return `[${Array.from(shape).join(', ')}]`;
}

/** Fails unless `tensor` has exactly `shape`. */
export function requireShape(ctx: PrepareContext, tensor: Tensor, shape: ArrayLike<number>, what: string): void {
  if (!sameShape(tensor.shape, shape)) {
    ctx.fail(`${what} ${tensor.describe()} should have shape ${formatShape(shape)}`);
  }
}

/**
 * A copy laid out as nested loops: output word at `outStart + Σ i_k·outSteps[k]` takes input word
 * at `inStart + Σ i_k·inSteps[k]`. Axes are merged where both sides are contiguous so eval runs
 * as few loops as the layout allows. Planned in plain arrays, then stored with storeCopies().
 */
export interface CopyPlan {
  counts: number[];
  inSteps: number[];
  outSteps: number[];
  inStart: number;
  outStart: number;
  /** Words the copy moves; 0 means nothing to do. */
  total: number;
}

/**
 * Fields of one stored plan, from its offset in the record (RANK -1: nothing to copy); then
 * counts, inSteps and outSteps (rank each) and the loop counters of the outer axes (rank - 1).
 */
export const enum Copy { RANK = 0, IN_START = 1, OUT_START = 2, AXES = 3 }

/** Int32 entries of a stored plan of `rank` axes. */
function planLength(rank: number): number {
  return Copy.AXES + (rank > 0 ? 4 * rank - 1 : 0);
}

/**
 * Plans a strided copy over elements; `words` is wordsPerElement (2 for int64), applied as an
 * extra innermost axis so pairs move together.
 */
export function planStridedCopy(counts: ArrayLike<number>, inSteps: ArrayLike<number>, outSteps: ArrayLike<number>,
  inStart: number, outStart: number, words: number): CopyPlan {
  const c: number[] = [], si: number[] = [], so: number[] = [];
  let total = words;
  for (let k = 0; k < counts.length; k++) {
    total *= counts[k];
    if (counts[k] === 1) continue;
    c.push(counts[k]);
    si.push(inSteps[k] * words);
    so.push(outSteps[k] * words);
  }
  if (words !== 1) {
    c.push(words);
    si.push(1);
    so.push(1);
  }
  // Merge axis k into k-1 when stepping k's full range equals one step of k-1 on both sides.
  for (let k = c.length - 1; k > 0; k--) {
    if (si[k - 1] === si[k] * c[k] && so[k - 1] === so[k] * c[k]) {
      c[k - 1] *= c[k];
      si[k - 1] = si[k];
      so[k - 1] = so[k];
      c.splice(k, 1);
      si.splice(k, 1);
      so.splice(k, 1);
    }
  }
  if (total === 0) {
    // splice, not `length = 0`: an array's length is read-only on Espruino.
    c.splice(0, c.length);
    si.splice(0, si.length);
    so.splice(0, so.length);
  }
  return { counts: c, inSteps: si, outSteps: so, inStart: inStart * words, outStart: outStart * words, total };
}

/**
 * Stores plans in one persistent int32 record (the arena's tail): entry i is the offset of plan
 * i, whose fields (Copy) follow. The record's length depends on the shapes only, so both prepare
 * runs ask for the same; the loop counters in it are rewritten by every run of the copy.
 */
export function storeCopies(ctx: PrepareContext, plans: readonly CopyPlan[]): Int32Array {
  let length = plans.length;
  for (let i = 0; i < plans.length; i++) length += planLength(plans[i].counts.length);
  const record = ctx.persistent(TensorType.INT32, length) as Int32Array;
  if (ctx.sizing) return record;
  let at = plans.length;
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i], rank = p.counts.length;
    record[i] = at;
    record[at + Copy.RANK] = p.total === 0 ? -1 : rank;
    record[at + Copy.IN_START] = p.inStart;
    record[at + Copy.OUT_START] = p.outStart;
    for (let k = 0; k < rank; k++) {
      record[at + Copy.AXES + k] = p.counts[k];
      record[at + Copy.AXES + rank + k] = p.inSteps[k];
      record[at + Copy.AXES + 2 * rank + k] = p.outSteps[k];
    }
    at += planLength(rank);
  }
  return record;
}

/** Runs stored plan `plan` of `record` between typed arrays of the same kind. Allocates nothing. */
export function runStridedCopy(record: Int32Array, plan: number, input: TensorData, output: TensorData): void {
  const at = record[plan];
  const rank = record[at + Copy.RANK];
  if (rank < 0) return;
  let inBase = record[at + Copy.IN_START], outBase = record[at + Copy.OUT_START];
  if (rank === 0) {
    output[outBase] = input[inBase];
    return;
  }
  if (rank === 1) {
    // One run of elements: the usual case once contiguous axes are merged.
    const n = record[at + Copy.AXES], si = record[at + Copy.AXES + 1], so = record[at + Copy.AXES + 2];
    if (si === 1 && so === 1) {
      for (let j = 0; j < n; j++) output[outBase + j] = input[inBase + j];
    } else {
      for (let j = 0; j < n; j++, inBase += si, outBase += so) output[outBase] = input[inBase];
    }
    return;
  }
  const counts = at + Copy.AXES, inSteps = counts + rank, outSteps = inSteps + rank, index = outSteps + rank;
  const last = rank - 1;
  const n = record[counts + last], si = record[inSteps + last], so = record[outSteps + last];
  // The next axis out steps once per row: kept in locals; the outer ones' counters in the record.
  const rows = record[counts + last - 1], rowIn = record[inSteps + last - 1], rowOut = record[outSteps + last - 1];
  for (let a = 0; a < last - 1; a++) record[index + a] = 0;
  let row = 0;
  for (;;) {
    if (si === 1 && so === 1) {
      for (let j = 0; j < n; j++) output[outBase + j] = input[inBase + j];
    } else {
      for (let j = 0, p = inBase, q = outBase; j < n; j++, p += si, q += so) output[q] = input[p];
    }
    inBase += rowIn;
    outBase += rowOut;
    if (++row < rows) continue;
    inBase -= rowIn * rows;
    outBase -= rowOut * rows;
    row = 0;
    let a = last - 2;
    for (; a >= 0; a--) {
      inBase += record[inSteps + a];
      outBase += record[outSteps + a];
      if (++record[index + a] < record[counts + a]) break;
      inBase -= record[inSteps + a] * record[counts + a];
      outBase -= record[outSteps + a] * record[counts + a];
      record[index + a] = 0;
    }
    if (a < 0) return;
  }
}

/** Op data of the kernels whose whole work is one stored copy of input 0 into the output. */
export interface CopyData {
  copy: Int32Array;
  input: TensorData;
  output: TensorData;
}

/** Op data for one planned copy between `input` and `output`. */
export function copyData(ctx: PrepareContext, plan: CopyPlan, input: Tensor, output: Tensor): CopyData {
  return { copy: storeCopies(ctx, [plan]), input: input.data, output: output.data };
}

/** eval of the kernels whose whole work is one stored copy. */
export function evalCopy(data: CopyData): void {
  runStridedCopy(data.copy, 0, data.input, data.output);
}

/** RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR's input, output, sizes and options. */
export interface ResizeShape {
  input: Tensor;
  output: Tensor;
  batches: number;
  inHeight: number;
  inWidth: number;
  depth: number;
  outHeight: number;
  outWidth: number;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/**
 * Checks a resize: a 4-D input of one of `types`, a constant int32 size (height, width), an
 * output of the input's batches and depth at that size.
 */
export function prepareResize(ctx: PrepareContext, node: Node, types: readonly number[]): ResizeShape {
  const { input, output } = requireInputOutput(ctx, node, types, 2);
  const sizeT = requireInput(ctx, node.inputs, 1, 'size');
  if (input.rank !== 4) ctx.fail(`input ${input.describe()} must have 4 dimensions`);
  requireType(ctx, sizeT, [TensorType.INT32], 'size');
  if (sizeT.rank !== 1 || sizeT.elementCount !== 2) ctx.fail(`size ${sizeT.describe()} must hold 2 values`);
  const [outHeight, outWidth] = readConstantInts(ctx, sizeT, 'size');
  const [batches, inHeight, inWidth, depth] = Array.from(input.shape);
  requireShape(ctx, output, [batches, outHeight, outWidth, depth], 'output');
  const o = node.options as { alignCorners: number; halfPixelCenters: number };
  return {
    input, output, batches, inHeight, inWidth, depth, outHeight, outWidth,
    alignCorners: o.alignCorners !== 0, halfPixelCenters: o.halfPixelCenters !== 0,
  };
}

/**
 * One byte view of the whole of `buffer` (the arena, in the binding run), shared by every
 * operator of a prepare run that asks (through ctx.shared), so each costs no view of its own.
 */
export function wholeBytes(ctx: PrepareContext, buffer: ArrayBufferLike): Uint8Array {
  const cached = ctx.shared.get(WHOLE_BYTES) as Uint8Array | undefined;
  if (cached && cached.buffer === buffer) return cached;
  const view = new Uint8Array(buffer);
  if (!cached) ctx.shared.set(WHOLE_BYTES, view);
  return view;
}

const WHOLE_BYTES = 'whole-arena-bytes';

/** Plans a copy of a whole tensor into an equally sized one (reshape-like ops). */
export function planFlatCopy(elementCount: number, words: number): CopyPlan {
  return planStridedCopy([elementCount], [1], [1], 0, 0, words);
}
