// UNPACK (TFLM unpack.cc): the inverse of PACK, one output per index along the axis, which
// disappears from the outputs' shape.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, planStridedCopy, product, requireInput, requireInputCount, requireSameType, requireType,
  runStridedCopy, storeCopies, wordsPerElement, type CopyPlan,
} from './internal/shape-util.js';

export interface UnpackData {
  copies: Int32Array;
  input: TensorData;
  outputs: TensorData[];
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8, TensorType.INT64, TensorType.BOOL]);

function prepare(ctx: PrepareContext, node: Node): UnpackData {
  requireInputCount(ctx, node.inputs, 1);
  const input = requireInput(ctx, node.inputs, 0, 'input');
  requireType(ctx, input, TYPES, 'input');
  const o = node.options as { num: number; axis: number };
  const rank = input.rank;
  const axis = o.axis < 0 ? o.axis + rank : o.axis;
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${o.axis} is out of range for input ${input.describe()}`);
  const count = input.shape[axis];
  const outputs = node.outputs;
  if (outputs.length !== count || (o.num !== 0 && o.num !== count)) {
    ctx.fail(`input ${input.describe()} unpacks into ${count} outputs on axis ${axis}; num is ${o.num} and the model gives ${outputs.length}`);
  }
  const outerSize = product(input.shape, 0, axis);
  const copySize = product(input.shape, axis + 1);
  const words = wordsPerElement(input.type);
  const plans: CopyPlan[] = [], views: TensorData[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const out = outputs[i];
    requireSameType(ctx, input, out, `output ${i}`);
    const ok = out.rank === rank - 1 && out.shape.every((v, d) => v === input.shape[d < axis ? d : d + 1]);
    if (!ok) ctx.fail(`output ${i} ${out.describe()} is not input ${formatShape(input.shape)} without axis ${axis}`);
    plans.push(planStridedCopy([outerSize, copySize], [count * copySize, 1], [copySize, 1], i * copySize, 0, words));
    views.push(out.data);
  }
  return { copies: storeCopies(ctx, plans), input: input.data, outputs: views };
}

function evalUnpack(data: UnpackData): void {
  const input = data.input, outputs = data.outputs, copies = data.copies;
  for (let i = 0; i < outputs.length; i++) runStridedCopy(copies, i, input, outputs[i]);
}

export const UNPACK: Kernel<UnpackData> = Object.freeze({
  code: 88,
  name: 'UNPACK',
  options: 'UnpackOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8', 'int64', 'bool']),
  prepare,
  eval: evalUnpack,
});
