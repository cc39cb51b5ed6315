// PAD and PADV2 (TFLM pad.cc, pad_common.cc, reference/pad.h): the output is the pad value
// everywhere outside the input's window. PAD pads quantized int8/uint8 with the output zero
// point (real 0); PADV2 takes the value from its third input.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';
import type { TensorData } from '../core/types.js';
import {
  COPY_TYPE_NAMES, COPY_TYPES, formatShape, planStridedCopy, readConstantInts, requireInput, requireInputOutput,
  requireSameType, runStridedCopy, storeCopies, stridesOf, wordsPerElement,
} from './internal/shape-util.js';

export interface PadData {
  copy: Int32Array;
  input: TensorData;
  output: TensorData;
  /** The constant_values input's data, or null: then padValue (already in the tensor's stored form). */
  value: TensorData | null;
  padValue: number;
  words: number;
}

function prepare(ctx: PrepareContext, node: Node): PadData {
  const inputs = node.inputs;
  const { input, output } = requireInputOutput(ctx, node, COPY_TYPES, 2, 3);
  const paddings = requireInput(ctx, inputs, 1, 'paddings');
  const values = inputs.length === 3 ? inputs[2] : null;
  const rank = input.rank;
  if (output.rank !== rank) ctx.fail(`output ${output.describe()} must have the input's rank ${rank}`);
  if (paddings.elementCount !== 2 * rank) {
    ctx.fail(`paddings ${paddings.describe()} must hold 2 values per output dimension (${2 * rank})`);
  }
  const pads = readConstantInts(ctx, paddings, 'paddings');
  for (let i = 0; i < rank; i++) {
    const before = pads[2 * i], after = pads[2 * i + 1];
    if (before < 0 || after < 0) ctx.fail(`paddings of dimension ${i} are negative (${before}, ${after})`);
    if (output.shape[i] !== input.shape[i] + before + after) {
      ctx.fail(`output ${output.describe()} does not match input ${formatShape(input.shape)} padded by ${formatShape(pads)}`);
    }
  }

  let padValue = 0;
  if (values) {
    requireSameType(ctx, input, values, 'constant_values');
    if (values.elementCount !== 1) ctx.fail(`constant_values ${values.describe()} must be a single value`);
    if ((input.type === TensorType.INT8 || input.type === TensorType.UINT8) &&
      (values.zeroPoint !== output.zeroPoint || values.scale !== output.scale)) {
      ctx.fail(`constant_values ${values.describe()} must have the output's scale and zero point`);
    }
  } else if (input.type === TensorType.INT8 || input.type === TensorType.UINT8) {
    // TFLM pads int8 with the output zero point (real 0), int16 with 0 (its zero point is 0).
    const [low, high] = input.type === TensorType.INT8 ? [-128, 127] : [0, 255];
    if (output.zeroPoint < low || output.zeroPoint > high) ctx.fail(`output zero point ${output.zeroPoint} is out of range`);
    padValue = output.zeroPoint;
  }

  const words = wordsPerElement(input.type);
  const outStrides = stridesOf(output.shape);
  let outStart = 0;
  for (let i = 0; i < rank; i++) outStart += pads[2 * i] * outStrides[i];
  const copy = storeCopies(ctx, [planStridedCopy(input.shape, stridesOf(input.shape), outStrides, 0, outStart, words)]);
  return { copy, input: input.data, output: output.data, value: values ? values.data : null, padValue, words };
}

function evalPad(data: PadData): void {
  const output = data.output;
  const n = output.length;
  const value = data.value;
  if (value !== null) {
    if (data.words === 2) {
      const low = value[0], high = value[1];
      for (let i = 0; i < n; i += 2) {
        output[i] = low;
        output[i + 1] = high;
      }
    } else {
      output.fill(value[0]);
    }
  } else {
    output.fill(data.padValue);
  }
  runStridedCopy(data.copy, 0, data.input, output);
}

export const PAD: Kernel<PadData> = Object.freeze({
  code: 34,
  name: 'PAD',
  options: 'PadOptions',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalPad,
});

export const PADV2: Kernel<PadData> = Object.freeze({
  code: 60,
  name: 'PADV2',
  options: 'PadV2Options',
  types: COPY_TYPE_NAMES,
  prepare,
  eval: evalPad,
});
