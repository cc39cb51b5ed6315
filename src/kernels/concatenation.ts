// CONCATENATION (TFLM concatenation.cc, reference/concatenation.h). Each input becomes a block
// copy into its slot along the axis. int8 and int16 inputs must share the output's
// quantization, as TFLM requires; uint8 inputs with other parameters are requantized the way
// TFLite's ConcatenationWithScaling does (float scale and bias, round half away from zero).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, planStridedCopy, product, requireInput, requireSameType, requireType, runStridedCopy, storeCopies,
  wordsPerElement, type CopyPlan,
} from './internal/shape-util.js';

export interface ConcatenationData {
  copies: Int32Array;
  inputs: TensorData[];
  output: TensorData;
  /**
   * uint8 output only (else null): per input, float32 scale and bias of its requantization, or
   * NaN for a plain copy, as (scale, bias) pairs.
   */
  scales: Float32Array | null;
  outputZeroPoint: number;
  outerSize: number;
  outBlock: number;
  /** Elements per outer step of input i (its slice of the axis times the inner size), from copies' plans. */
  blockSizes: Int32Array | null;
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.INT64, TensorType.BOOL, TensorType.UINT8]);

function prepare(ctx: PrepareContext, node: Node): ConcatenationData {
  const inputs = node.inputs;
  if (inputs.length < 1) ctx.fail('has no inputs');
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const output = node.outputs[0];
  const o = node.options as { axis: number; fusedActivationFunction: number };
  if (o.fusedActivationFunction !== 0) ctx.fail('fused activations are not supported (TFLM accepts none)');
  const rank = output.rank;
  const axis = o.axis < 0 ? o.axis + rank : o.axis;
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${o.axis} is out of range for output ${output.describe()}`);
  requireType(ctx, output, TYPES, 'output');
  const outerSize = product(output.shape, 0, axis);
  const innerSize = product(output.shape, axis + 1);
  const outBlock = output.shape[axis] * innerSize;
  const words = wordsPerElement(output.type);
  const plans: CopyPlan[] = [], views: TensorData[] = [];
  // Only uint8 ever requantizes: the tables exist for it alone.
  const uint8 = output.type === TensorType.UINT8;
  const scales = uint8 ? ctx.persistent(TensorType.FLOAT32, 2 * inputs.length) as Float32Array : null;
  const blockSizes = uint8 ? ctx.persistent(TensorType.INT32, inputs.length) as Int32Array : null;
  let offset = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = requireInput(ctx, inputs, i, `input ${i}`);
    requireSameType(ctx, output, input, `input ${i}`);
    if (input.rank !== rank) ctx.fail(`input ${i} ${input.describe()} must have the output's rank ${rank}`);
    for (let d = 0; d < rank; d++) {
      if (d !== axis && input.shape[d] !== output.shape[d]) {
        ctx.fail(`input ${i} ${input.describe()} does not fit output ${formatShape(output.shape)} on axis ${d}`);
      }
    }
    if (scales) scales[2 * i] = NaN;
    if (output.type === TensorType.INT8) {
      if (input.scale !== output.scale || input.zeroPoint !== output.zeroPoint) {
        ctx.fail(`input ${i} ${input.describe()} must have the output's scale and zero point (TFLM does not requantize int8)`);
      }
    } else if (output.type === TensorType.INT16) {
      if (input.zeroPoint !== 0) ctx.fail(`input ${i} ${input.describe()} must have zero point 0`);
    } else if (output.type === TensorType.UINT8) {
      if (input.scale !== output.scale || input.zeroPoint !== output.zeroPoint) {
        const scale = Math.fround(input.scale * Math.fround(1 / output.scale));
        scales![2 * i] = scale;
        scales![2 * i + 1] = Math.fround(-input.zeroPoint * scale);
      }
    }
    const block = input.shape[axis] * innerSize;
    if (blockSizes) blockSizes[i] = block;
    plans.push(planStridedCopy([outerSize, block], [block, 1], [outBlock, 1], 0, offset, words));
    views.push(input.data);
    offset += block;
  }
  if (offset !== outBlock) {
    ctx.fail(`inputs add up to ${offset / (innerSize || 1)} along axis ${axis}, output ${output.describe()} has ${output.shape[axis]}`);
  }
  if (output.type === TensorType.INT16 && output.zeroPoint !== 0) ctx.fail(`output ${output.describe()} must have zero point 0`);
  return {
    copies: storeCopies(ctx, plans), inputs: views, output: output.data,
    scales, outputZeroPoint: output.zeroPoint, outerSize, outBlock, blockSizes,
  };
}

function requantize(input: Uint8Array, output: Uint8Array, data: ConcatenationData, i: number, outOffset: number): void {
  const scale = data.scales![2 * i], bias = data.scales![2 * i + 1], zeroPoint = data.outputZeroPoint;
  const block = data.blockSizes![i], outer = data.outerSize, outBlock = data.outBlock;
  const fround = Math.fround;
  for (let k = 0; k < outer; k++) {
    const inBase = k * block, outBase = k * outBlock + outOffset;
    for (let j = 0; j < block; j++) {
      const x = fround(fround(input[inBase + j] * scale) + bias);
      let v = (x < 0 ? -Math.round(-x) : Math.round(x)) + zeroPoint;
      v = v > 255 ? 255 : v < 0 ? 0 : v;
      output[outBase + j] = v;
    }
  }
}

function evalConcatenation(data: ConcatenationData): void {
  const inputs = data.inputs, output = data.output, copies = data.copies, scales = data.scales;
  if (scales === null) {
    for (let i = 0; i < inputs.length; i++) runStridedCopy(copies, i, inputs[i], output);
    return;
  }
  const blockSizes = data.blockSizes!;
  let outOffset = 0;
  for (let i = 0; i < inputs.length; i++) {
    const scale = scales[2 * i];
    if (scale === scale) requantize(inputs[i] as Uint8Array, output as Uint8Array, data, i, outOffset);
    else runStridedCopy(copies, i, inputs[i], output);
    outOffset += blockSizes[i];
  }
}

export const CONCATENATION: Kernel<ConcatenationData> = Object.freeze({
  code: 2,
  name: 'CONCATENATION',
  options: 'ConcatenationOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'int64', 'bool', 'uint8']),
  prepare,
  eval: evalConcatenation,
});
