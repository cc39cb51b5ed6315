// LOG_SOFTMAX (TFLM log_softmax.cc; reference log_softmax.h) over the last dimension.
//  - float32: x - max - log(Σ exp(x - max)), in float32 arithmetic.
//  - int8: gemmlowp fixed point: exps of the beta-scaled differences (Q5.26) summed in Q12.19,
//    their log in Q5.26 subtracted, the result in Q4.27 rounded onto the output's fixed scale
//    16/256 with zero point 127. The difference of two int8 values takes one of 256 values, so
//    prepare tabulates its scaled form and exp (the same routines, once per value).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, typeName, type TensorData } from '../core/types.js';
import { expOnNegativeValues, logXForXGreaterThanOrEqualTo1, roundingDivideByPOT } from './internal/fixedpoint.js';
import { LOWEST_FLOAT, multiplyByQuantizedMultiplier, quantizeMultiplier, INT32_MIN } from './internal/quantization.js';
import { calculateInputRadius, softmaxInputMultiplier } from './softmax.js';

export interface LogSoftmaxData {
  integer: boolean;
  input: TensorData;
  output: TensorData;
  outer: number;
  depth: number;
  inputMultiplier: number;
  inputShift: number;
  reverseScalingDivisor: number;
  /** Shift for multiplyByQuantizedMultiplier (negative: right). */
  reverseScalingShift: number;
  diffMin: number;
  /** For a difference -i, i in 0..255: the difference in Q5.26 at 2i, and its exp in Q0.31 at 2i + 1 (in the arena). */
  table: Int32Array | null;
}

const INPUT_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;
const OUTPUT_INTEGER_BITS = 4;

function prepare(ctx: PrepareContext, node: Node): LogSoftmaxData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0];
  if (!input) return ctx.fail('input 0 is missing');
  const output = node.outputs[0];
  if (input.type !== output.type) ctx.fail(`input ${input.describe()} and output ${output.describe()} must have the same type`);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (output.rank !== input.rank || input.shape.some((d, i) => d !== output.shape[i])) {
    ctx.fail(`output ${output.describe()} must have the input's shape`);
  }
  const depth = input.dim(-1);
  const data: LogSoftmaxData = {
    integer: false, input: input.data, output: output.data, outer: depth === 0 ? 0 : input.elementCount / depth, depth,
    inputMultiplier: 0, inputShift: 0, reverseScalingDivisor: 0, reverseScalingShift: 0, diffMin: 0,
    table: null,
  };
  if (input.type === TensorType.FLOAT32) return data;
  if (input.type !== TensorType.INT8) ctx.fail(`input type ${typeName(input.type)} is not supported (float32, int8)`);
  if (!input.quantization || !output.quantization) ctx.fail('int8 input and output need scales and zero points');
  if (output.scale !== 16 / 256) ctx.fail(`int8 output scale must be 16/256, got ${output.scale}`);
  if (output.zeroPoint !== 127) ctx.fail(`int8 output zero point must be 127, got ${output.zeroPoint}`);
  // PreprocessLogSoftmaxScalingExp with beta 1.
  const m = softmaxInputMultiplier(1, input.scale, INPUT_INTEGER_BITS);
  if (m.shift < 0) ctx.fail(`input scale ${input.scale} is too small`);
  const reverse = quantizeMultiplier(Math.pow(2, 31 - m.shift) / m.multiplier);
  if (!(reverse.shift <= 0)) ctx.fail(`input scale ${input.scale} is out of range`);
  data.integer = true;
  data.inputMultiplier = m.multiplier;
  data.inputShift = m.shift;
  data.reverseScalingDivisor = reverse.multiplier;
  data.reverseScalingShift = reverse.shift;
  data.diffMin = -calculateInputRadius(INPUT_INTEGER_BITS, m.shift);
  const table = ctx.persistent(TensorType.INT32, 512) as Int32Array;
  if (!ctx.sizing) {
    for (let i = 0; i < 256; i++) {
      const scaled = multiplyByQuantizedMultiplier(-i, m.multiplier, m.shift);
      table[2 * i] = scaled;
      table[2 * i + 1] = -i >= data.diffMin ? expOnNegativeValues(scaled, INPUT_INTEGER_BITS) : 0;
    }
  }
  data.table = table;
  return data;
}

function evalFloat(data: LogSoftmaxData): void {
  const fround = Math.fround, exp = Math.exp;
  const input = data.input;
  const output = data.output;
  const outer = data.outer, depth = data.depth;
  for (let i = 0; i < outer; i++) {
    const start = i * depth, end = start + depth;
    let max = LOWEST_FLOAT;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    let sum = 0;
    for (let c = start; c < end; c++) sum = fround(sum + fround(exp(fround(input[c] - max))));
    const logSum = fround(Math.log(sum));
    for (let c = start; c < end; c++) output[c] = fround(input[c] - max) - logSum;
  }
}

function evalInt8(data: LogSoftmaxData): void {
  const input = data.input;
  const output = data.output;
  const outer = data.outer, depth = data.depth;
  const table = data.table!;
  const diffMin = data.diffMin;
  const reverseDivisor = data.reverseScalingDivisor, reverseShift = data.reverseScalingShift;
  const outputShift = 31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS;
  for (let i = 0; i < outer; i++) {
    const start = i * depth, end = start + depth;
    let max = -128;
    for (let c = start; c < end; c++) if (input[c] > max) max = input[c];
    let sumOfExps = 0;
    for (let c = start; c < end; c++) {
      // The table holds 0 for differences below diffMin, which the reference skips.
      sumOfExps = (sumOfExps + roundingDivideByPOT(table[2 * (max - input[c]) + 1], ACCUMULATION_INTEGER_BITS)) | 0;
    }
    const logSum = logXForXGreaterThanOrEqualTo1(sumOfExps, ACCUMULATION_INTEGER_BITS, INPUT_INTEGER_BITS);
    // The smallest Q5.26 value plus the log: differences at or below it saturate to -128.
    const shiftedLogSum = (logSum + INT32_MIN) | 0;
    const rescaledMin = multiplyByQuantizedMultiplier(shiftedLogSum, reverseDivisor, reverseShift);
    const adjustedDiffMin = diffMin - 1 > rescaledMin ? diffMin - 1 : rescaledMin;
    for (let c = start; c < end; c++) {
      const diff = input[c] - max;
      if (diff > adjustedDiffMin) {
        let value = roundingDivideByPOT((table[-2 * diff] - logSum) | 0, outputShift) + 127;
        value = value > 127 ? 127 : value < -128 ? -128 : value;
        output[c] = value;
      } else {
        output[c] = -128;
      }
    }
  }
}

function evalLogSoftmax(data: LogSoftmaxData): void {
  if (data.integer) evalInt8(data);
  else evalFloat(data);
}

export const LOG_SOFTMAX: Kernel<LogSoftmaxData> = Object.freeze<Kernel<LogSoftmaxData>>({
  code: 50,
  name: 'LOG_SOFTMAX',
  options: 'LogSoftmaxOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalLogSoftmax,
});
