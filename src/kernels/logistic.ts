// LOGISTIC (TFLM logistic.cc, logistic_common.cc). float32: reference_ops::Logistic's clamped
// formula in float. int8: reference_integer_ops::Logistic (gemmlowp's fixed-point logistic on
// Q4.27), run once per int8 value into a table. int16: the interpolated sigmoid table.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized, requireZeroPoint } from './internal/elementwise.js';
import { logistic } from './internal/fixedpoint.js';
import { applyInt8Table, int8Table, SIGMOID_TABLE_UINT16 } from './internal/lut.js';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from './internal/quantization.js';
import { int16SigmoidInput, int8SigmoidInput } from './internal/sigmoid.js';

export interface LogisticData {
  type: number;
  table: Int8Array | null;
  /** int16: input rescaling (x * multiplier + round) >> leftShift. */
  multiplier: number;
  leftShift: number;
  round: number;
}

/** float32 cut-offs of reference_ops::Logistic. */
const CUTOFF_UPPER = 16.619047164916992;
const CUTOFF_LOWER = -9;

function prepare(ctx: PrepareContext, node: Node): LogisticData {
  const { input, output } = prepareUnary(ctx, node, ['float32', 'int8', 'int16']);
  const data: LogisticData = { type: input.type, table: null, multiplier: 0, leftShift: 0, round: 0 };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  if (input.type === TensorType.INT8) {
    requireZeroPoint(ctx, output, 'output', -128);
    const { multiplier, leftShift, radius } = int8SigmoidInput(input);
    const zeroPoint = input.zeroPoint;
    data.table = int8Table(q => {
      const x = q - zeroPoint;
      if (x <= -radius) return -128;
      if (x >= radius) return 127;
      const inQ4 = multiplyByQuantizedMultiplier(x, multiplier, leftShift);
      // Q0.31 result to Q0.8 (of 256ths), then offset by the output zero point -128.
      return roundingDivideByPOT(logistic(inQ4, 4), 23) - 128;
    });
    return data;
  }
  const { multiplier, leftShift } = int16SigmoidInput(ctx, input, output, 0);
  data.multiplier = multiplier;
  data.leftShift = leftShift;
  data.round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
  return data;
}

function evalLogistic(node: Node, data: LogisticData): void {
  const input: TensorData = node.inputs[0]!.data, output: TensorData = node.outputs[0].data;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
  } else if (data.type === TensorType.FLOAT32) {
    const f = Math.fround;
    for (let i = 0; i < n; i++) {
      const v = input[i];
      if (v > CUTOFF_UPPER) output[i] = 1;
      else if (v < CUTOFF_LOWER) output[i] = Math.exp(v);
      else output[i] = 1 / f(1 + f(Math.exp(-v)));
    }
  } else {
    const table = SIGMOID_TABLE_UINT16;
    const multiplier = data.multiplier, leftShift = data.leftShift, round = data.round;
    for (let i = 0; i < n; i++) {
      // The table spans |x| < 255 * 2^9 in this scaling: sigmoid(i / 24) per 2^9 step.
      const x = (input[i] * multiplier + round) >> leftShift;
      const magnitude = x < 0 ? -x : x;
      const index = magnitude >> 9;
      let result: number;
      if (index >= 255) {
        result = 0x7fff << 10;
      } else {
        const low = table[index];
        result = (low << 9) + (magnitude & 0x1ff) * (table[index + 1] - low);
      }
      result = x >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
      output[i] = result >> 10;
    }
  }
}

export const LOGISTIC: Kernel<LogisticData> = {
  code: 14,
  name: 'LOGISTIC',
  types: ['float32', 'int8', 'int16'],
  prepare,
  eval: evalLogistic,
};
