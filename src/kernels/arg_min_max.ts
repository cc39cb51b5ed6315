// ARG_MAX and ARG_MIN (TFLM arg_min_max.cc, reference/arg_min_max.h): the index of the first
// largest (smallest) value along an axis, compared with plain > (<) as TFLM's GreaterFn and
// LessFn do, so a NaN never wins and a leading NaN is never replaced.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import {
  formatShape, product, readAxis, requireInput, requireInputOutput, requireShape,
} from './internal/shape-util.js';

export interface ArgMinMaxData {
  outerSize: number;
  axisSize: number;
  innerSize: number;
  /** 2 when the output is int64 (index, 0) pairs. */
  outWords: number;
  input: TensorData;
  output: Int32Array;
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.UINT8]);

function prepare(ctx: PrepareContext, node: Node): ArgMinMaxData {
  const { input, output } = requireInputOutput(ctx, node, TYPES, 2, 2, [TensorType.INT32, TensorType.INT64]);
  const axisT = requireInput(ctx, node.inputs, 1, 'axis');
  const outputType = (node.options as { outputType: number }).outputType;
  if (outputType !== 0 && outputType !== output.type) ctx.fail(`output_type ${outputType} does not match output ${output.describe()}`);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least one dimension`);
  const axis = readAxis(ctx, axisT, input, input.rank);
  const outShape = Array.from(input.shape);
  outShape.splice(axis, 1);
  requireShape(ctx, output, outShape, 'output');
  if (input.shape[axis] === 0 && output.elementCount > 0) ctx.fail(`axis ${axis} of input ${formatShape(input.shape)} is empty`);
  return {
    outerSize: product(input.shape, 0, axis),
    axisSize: input.shape[axis],
    innerSize: product(input.shape, axis + 1),
    outWords: output.type === TensorType.INT64 ? 2 : 1,
    input: input.data, output: output.data as Int32Array,
  };
}

function argMinMax(data: ArgMinMaxData, isMax: boolean): void {
  const input = data.input, output = data.output;
  const outerSize = data.outerSize, axisSize = data.axisSize, innerSize = data.innerSize, ow = data.outWords;
  let out = 0;
  for (let outer = 0; outer < outerSize; outer++) {
    const base = outer * axisSize * innerSize;
    for (let inner = 0; inner < innerSize; inner++) {
      let best = input[base + inner];
      let bestIndex = 0;
      for (let i = 1, p = base + innerSize + inner; i < axisSize; i++, p += innerSize) {
        const v = input[p];
        if (isMax ? v > best : v < best) {
          best = v;
          bestIndex = i;
        }
      }
      output[out] = bestIndex;
      if (ow === 2) output[out + 1] = 0;
      out += ow;
    }
  }
}

export const ARG_MAX: Kernel<ArgMinMaxData> = Object.freeze({
  code: 56,
  name: 'ARG_MAX',
  options: 'ArgMaxOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8']),
  prepare,
  eval: (data: ArgMinMaxData) => argMinMax(data, true),
});

export const ARG_MIN: Kernel<ArgMinMaxData> = Object.freeze({
  code: 79,
  name: 'ARG_MIN',
  options: 'ArgMinOptions',
  types: Object.freeze(['float32', 'int8', 'int16', 'int32', 'uint8']),
  prepare,
  eval: (data: ArgMinMaxData) => argMinMax(data, false),
});
