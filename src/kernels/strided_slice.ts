// STRIDED_SLICE (TFLM strided_slice.cc, reference/strided_slice.h, strided_slice_logic.h). The
// ellipsis and new-axis masks are expanded into an effective input shape and index range as
// TFLite's kernel does (TFLM drops them; models without them behave identically), then every
// axis becomes one start, step and count of a strided copy planned here.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import {
  COPY_TYPE_NAMES, COPY_TYPES, copyData, evalCopy, formatShape, planStridedCopy, readConstantInts, requireInput,
  requireInputOutput, stridesOf, wordsPerElement, type CopyData,
} from './internal/shape-util.js';

export type StridedSliceData = CopyData;

function clamp(v: number, low: number, high: number): number {
  return v > high ? high : v < low ? low : v;
}

/** The index ranges over the effective axes, with the masks already folded in. */
interface EffectiveSlice {
  shape: number[];
  begin: number[];
  end: number[];
  strides: number[];
  beginMask: number;
  endMask: number;
  shrinkMask: number;
}

function expandMasks(inputShape: ArrayLike<number>, begin: number[], end: number[], strides: number[], o: {
  beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number;
}): EffectiveSlice {
  const inputDims = inputShape.length;
  const count = begin.length;
  let addedAxes = 0;
  for (let i = 0; i < count; i++) {
    if (!((1 << i) & o.ellipsisMask) && ((1 << i) & o.newAxisMask)) addedAxes++;
  }
  const dims = inputDims + addedAxes;
  // An ellipsis stands for as many full-range axes as the spec leaves unnamed; a new axis at the
  // ellipsis's own position is ignored.
  let ellipsisAxes = 0, newAxes = 0, ellipsisStart = dims, expanded = 0;
  for (let i = 0; i < dims;) {
    if ((1 << i) & o.ellipsisMask) {
      ellipsisStart = i;
      const ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + addedAxes + inputDims - count, dims));
      expanded = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) ellipsisAxes |= 1 << i;
      continue;
    }
    if ((1 << (i - expanded)) & o.newAxisMask) newAxes |= 1 << i;
    i++;
  }
  const e: EffectiveSlice = {
    shape: [], begin: [], end: [], strides: [], beginMask: 0, endMask: 0, shrinkMask: 0,
  };
  let addedEllipsis = 0, added = 0;
  for (let i = 0; i < dims; i++) {
    if ((1 << i) & ellipsisAxes) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      e.beginMask |= 1 << i;
      e.endMask |= 1 << i;
      e.begin.push(0); e.end.push(0); e.strides.push(1);
      e.shape.push(inputShape[i - added]);
    } else if ((1 << i) & newAxes) {
      e.begin.push(0); e.end.push(1); e.strides.push(1);
      e.shape.push(1);
      added++;
    } else if (i >= count + expanded) {
      e.beginMask |= 1 << i;
      e.endMask |= 1 << i;
      e.begin.push(0); e.end.push(0); e.strides.push(1);
      e.shape.push(inputShape[i - added]);
    } else {
      const k = i - addedEllipsis;
      e.begin.push(begin[k]); e.end.push(end[k]); e.strides.push(strides[k]);
      if (o.beginMask & (1 << k)) e.beginMask |= 1 << i;
      if (o.endMask & (1 << k)) e.endMask |= 1 << i;
      if (o.shrinkAxisMask & (1 << k)) e.shrinkMask |= 1 << i;
      e.shape.push(inputShape[i - added]);
    }
  }
  return e;
}

function prepare(ctx: PrepareContext, node: Node): StridedSliceData {
  const inputs = node.inputs;
  const { input, output } = requireInputOutput(ctx, node, COPY_TYPES, 4);
  const begin = readConstantInts(ctx, requireInput(ctx, inputs, 1, 'begin'), 'begin');
  const end = readConstantInts(ctx, requireInput(ctx, inputs, 2, 'end'), 'end');
  const strides = readConstantInts(ctx, requireInput(ctx, inputs, 3, 'strides'), 'strides');
  if (end.length !== begin.length || strides.length !== begin.length) {
    ctx.fail(`begin, end and strides must have the same length (${begin.length}, ${end.length}, ${strides.length})`);
  }
  const o = node.options as { beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number; offset: number };
  const e = expandMasks(input.shape, begin, end, strides, o);
  if (begin.length > e.shape.length) {
    ctx.fail(`begin has ${begin.length} values for an input of rank ${input.rank} (${e.shape.length} with new axes)`);
  }
  const useOffset = !!o.offset;

  const dims = e.shape.length;
  const inStrides = stridesOf(e.shape);
  const counts: number[] = [], inSteps: number[] = [], outShape: number[] = [];
  let inStart = 0;
  for (let axis = 0; axis < dims; axis++) {
    const size = e.shape[axis];
    const stride = e.strides[axis];
    if (stride === 0) ctx.fail(`stride of axis ${axis} is 0`);
    // StridedSliceStartForAxis / StridedSliceEndForAxis.
    let start = e.begin[axis];
    if (start < 0) start += size;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (e.beginMask & (1 << axis)) start = stride > 0 ? 0 : size - 1;
    const shrink = (e.shrinkMask & (1 << axis)) !== 0;
    let stop: number;
    if (shrink) {
      stop = start >= size ? start : start + 1;
    } else {
      stop = e.end[axis];
      if (useOffset) stop += start;
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if (e.endMask & (1 << axis)) stop = stride > 0 ? size : -1;
    }
    let count = stride > 0 ? Math.ceil((stop - start) / stride) : Math.ceil((start - stop) / -stride);
    if (count < 0) count = 0;
    if (shrink) {
      // TF takes the element at begin whatever the stride's sign (TFLM's loop would skip it for a
      // negative stride and leave the output unwritten); an index outside the axis is an error.
      let at = e.begin[axis];
      if (at < 0) at += size;
      if (e.beginMask & (1 << axis)) at = stride > 0 ? 0 : size - 1;
      if (at < 0 || at >= size) ctx.fail(`axis ${axis} is shrunk but index ${e.begin[axis]} is outside its size ${size}`);
      start = at;
      count = 1;
    }
    if (!shrink) outShape.push(count);
    counts.push(count);
    inSteps.push(stride * inStrides[axis]);
    if (count > 0) inStart += start * inStrides[axis];
  }
  let outCount = 1;
  for (let i = 0; i < counts.length; i++) outCount *= counts[i];
  const matches = output.rank === outShape.length && outShape.every((d, i) => d === output.shape[i]);
  if (!matches) ctx.fail(`output ${output.describe()} does not match the slice's shape ${formatShape(outShape)}`);
  const outSteps = stridesOf(counts);
  const plan = planStridedCopy(counts, inSteps, outSteps, outCount === 0 ? 0 : inStart, 0, wordsPerElement(input.type));
  return copyData(ctx, plan, input, output);
}

export const STRIDED_SLICE: Kernel<StridedSliceData> = Object.freeze({
  code: 45,
  name: 'STRIDED_SLICE',
  options: 'StridedSliceOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalCopy,
});
