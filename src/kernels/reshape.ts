// RESHAPE (TFLM reshape.cc, reshape_common.cc): the same bytes under another shape. The output
// shape is the model's output tensor; the new shape (second input or new_shape option), when
// known at prepare, must agree with it.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';
import { constantData } from './internal/constant-data.js';
import { wholeBytes } from './internal/shape-util.js';

export interface ReshapeData {
  /**
   * Where the bytes go and come from. When input and output both live in the arena, both are
   * one view of the whole arena and the copy is a copyWithin from `from` to `to` (XS's
   * TypedArray.prototype.set allocates a temporary copy when source and target share a buffer);
   * otherwise they are the tensors' own byte views and the copy is a set().
   */
  source: Uint8Array;
  target: Uint8Array;
  from: number;
  to: number;
  byteLength: number;
}

/** Checks a requested shape (one -1 allowed) against the output's shape. */
function checkRequested(ctx: PrepareContext, requested: ArrayLike<number>, input: Tensor, output: Tensor): void {
  // Legacy models write [0] for a scalar.
  if (requested.length === 1 && requested[0] === 0 && output.rank === 0) return;
  if (requested.length !== output.rank) {
    ctx.fail(`new shape [${Array.from(requested).join(', ')}] does not match output ${output.describe()}`);
  }
  let known = 1, stretch = -1;
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i];
    if (d === -1) {
      if (stretch >= 0) ctx.fail(`new shape [${Array.from(requested).join(', ')}] has more than one -1`);
      stretch = i;
    } else {
      known *= d;
    }
  }
  for (let i = 0; i < requested.length; i++) {
    const want = i === stretch ? (known === 0 ? 0 : input.elementCount / known) : requested[i];
    if (want !== output.shape[i]) {
      ctx.fail(`new shape [${Array.from(requested).join(', ')}] does not match output ${output.describe()}`);
    }
  }
}

function prepare(ctx: PrepareContext, node: Node): ReshapeData {
  const inputs = node.inputs;
  if (inputs.length < 1 || inputs.length > 2) ctx.fail(`has ${inputs.length} inputs, expected 1 or 2`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  if (input.type !== output.type) ctx.fail(`input ${input.describe()} and output ${output.describe()} must have the same type`);
  if (input.elementCount !== output.elementCount) {
    ctx.fail(`input ${input.describe()} and output ${output.describe()} hold different numbers of elements`);
  }
  const shape = inputs.length > 1 ? inputs[1] : null;
  if (shape && shape.isConstant && shape.type === TensorType.INT32 && shape.rank === 1) {
    checkRequested(ctx, constantData(shape), input, output);
  } else if (!shape) {
    const newShape = (node.options as { newShape?: number[] | Int32Array | null }).newShape;
    if (newShape && newShape.length > 0) checkRequested(ctx, newShape, input, output);
  }
  // As TFLM: nothing to do when the output is the input's very bytes, else a copy.
  const source = input.bytes, target = output.bytes;
  if (source.buffer === target.buffer) {
    const arena = wholeBytes(ctx, target.buffer);
    return { source: arena, target: arena, from: source.byteOffset, to: target.byteOffset, byteLength: output.byteLength };
  }
  return { source, target, from: 0, to: 0, byteLength: output.byteLength };
}

function evalReshape(data: ReshapeData): void {
  const target = data.target;
  if (data.source !== target) {
    target.set(data.source);
    return;
  }
  const from = data.from;
  if (from !== data.to) target.copyWithin(data.to, from, from + data.byteLength);
}

export const RESHAPE: Kernel<ReshapeData> = Object.freeze({
  code: 22,
  name: 'RESHAPE',
  options: 'ReshapeOptions',
  types: Object.freeze(['any']),
  prepare,
  eval: evalReshape,
});
