// SPLIT and SPLIT_V (TFLM split.cc, split_v.cc): each output takes its slot of the input along
// the axis, one block copy per output. SPLIT's axis is input 0; SPLIT_V's is input 2 (its sizes,
// input 1, may hold one -1; the outputs' shapes are what counts, and they must add up).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, planStridedCopy, product, readConstantInts, requireInput, requireInputCount, requireSameType,
  requireType, runStridedCopy, storeCopies, wordsPerElement, type CopyPlan,
} from './internal/shape-util.js';

export interface SplitData {
  copies: Int32Array;
  input: TensorData;
  outputs: TensorData[];
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL]);

function planSplit(ctx: PrepareContext, node: Node, input: Tensor, axisTensor: Tensor, equal: boolean): SplitData {
  requireType(ctx, input, TYPES, 'input');
  const axisValues = readConstantInts(ctx, axisTensor, 'axis');
  if (axisValues.length !== 1) ctx.fail(`axis ${axisTensor.describe()} must hold one value`);
  const rank = input.rank;
  const axis = axisValues[0] < 0 ? axisValues[0] + rank : axisValues[0];
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${axisValues[0]} is out of range for input ${input.describe()}`);
  const outputs = node.outputs;
  if (outputs.length < 1) ctx.fail('has no outputs');
  const outerSize = product(input.shape, 0, axis);
  const innerSize = product(input.shape, axis + 1);
  const inBlock = input.shape[axis] * innerSize;
  const words = wordsPerElement(input.type);
  const plans: CopyPlan[] = [], views: TensorData[] = [];
  let along = 0;
  for (let i = 0; i < outputs.length; i++) {
    const out = outputs[i];
    requireSameType(ctx, input, out, `output ${i}`);
    if (out.rank !== rank) ctx.fail(`output ${i} ${out.describe()} must have the input's rank ${rank}`);
    for (let d = 0; d < rank; d++) {
      if (d !== axis && out.shape[d] !== input.shape[d]) {
        ctx.fail(`output ${i} ${out.describe()} does not fit input ${formatShape(input.shape)} on axis ${d}`);
      }
    }
    if (equal && out.shape[axis] * outputs.length !== input.shape[axis]) {
      ctx.fail(`input ${input.describe()} does not split into ${outputs.length} equal parts like ${out.describe()} on axis ${axis}`);
    }
    const block = out.shape[axis] * innerSize;
    plans.push(planStridedCopy([outerSize, block], [inBlock, 1], [block, 1], along * innerSize, 0, words));
    views.push(out.data);
    along += out.shape[axis];
  }
  if (along !== input.shape[axis]) {
    ctx.fail(`outputs add up to ${along} along axis ${axis}, input ${input.describe()} has ${input.shape[axis]}`);
  }
  return { copies: storeCopies(ctx, plans), input: input.data, outputs: views };
}

function prepareSplit(ctx: PrepareContext, node: Node): SplitData {
  requireInputCount(ctx, node.inputs, 2);
  const axis = requireInput(ctx, node.inputs, 0, 'axis');
  const input = requireInput(ctx, node.inputs, 1, 'input');
  const numSplits = (node.options as { numSplits: number }).numSplits;
  if (numSplits !== 0 && numSplits !== node.outputs.length) {
    ctx.fail(`num_splits is ${numSplits} but the model gives ${node.outputs.length} outputs`);
  }
  return planSplit(ctx, node, input, axis, true);
}

function prepareSplitV(ctx: PrepareContext, node: Node): SplitData {
  requireInputCount(ctx, node.inputs, 3);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  const sizes = requireInput(ctx, node.inputs, 1, 'size_splits');
  const axis = requireInput(ctx, node.inputs, 2, 'axis');
  const data = planSplit(ctx, node, input, axis, false);
  if (sizes.isConstant) {
    const values = readConstantInts(ctx, sizes, 'size_splits');
    if (values.length !== node.outputs.length) {
      ctx.fail(`size_splits ${sizes.describe()} has ${values.length} values for ${node.outputs.length} outputs`);
    }
    const axisValue = readConstantInts(ctx, axis, 'axis')[0];
    const a = axisValue < 0 ? axisValue + input.rank : axisValue;
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== -1 && values[i] !== node.outputs[i].shape[a]) {
        ctx.fail(`size_splits ${formatShape(values)} does not match output ${i} ${node.outputs[i].describe()}`);
      }
    }
  }
  return data;
}

function evalSplit(data: SplitData): void {
  const input = data.input, outputs = data.outputs, copies = data.copies;
  for (let i = 0; i < outputs.length; i++) runStridedCopy(copies, i, input, outputs[i]);
}

export const SPLIT: Kernel<SplitData> = Object.freeze({
  code: 49,
  name: 'SPLIT',
  options: 'SplitOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare: prepareSplit,
  eval: evalSplit,
});

export const SPLIT_V: Kernel<SplitData> = Object.freeze({
  code: 102,
  name: 'SPLIT_V',
  options: 'SplitVOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare: prepareSplitV,
  eval: evalSplit,
});
