// TANH (TFLM tanh.cc). float32: std::tanh in float. int8: reference_integer_ops::Tanh
// (gemmlowp's fixed-point tanh on Q4.27), run once per int8 value into a table. int16: the
// sigmoid table, as tanh(x) = 2 * sigmoid(2x) - 1.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized } from './internal/elementwise.js';
import { tanh } from './internal/fixedpoint.js';
import { applyInt8Table, int8Table, SIGMOID_TABLE_UINT16 } from './internal/lut.js';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from './internal/quantization.js';
import { int16SigmoidInput, int8SigmoidInput } from './internal/sigmoid.js';

export interface TanhData {
  type: number;
  table: Int8Array | null;
  multiplier: number;
  leftShift: number;
  round: number;
}

function prepare(ctx: PrepareContext, node: Node): TanhData {
  const { input, output } = prepareUnary(ctx, node, ['float32', 'int8', 'int16']);
  const data: TanhData = { type: input.type, table: null, multiplier: 0, leftShift: 0, round: 0 };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  if (input.type === TensorType.INT8) {
    // TFLM ignores the int8 output's zero point here (it is 0 for tanh's symmetric range).
    const { multiplier, leftShift, radius } = int8SigmoidInput(input);
    const zeroPoint = input.zeroPoint;
    data.table = int8Table(q => {
      const x = q - zeroPoint;
      if (x <= -radius) return -128;
      if (x >= radius) return 127;
      const inQ4 = multiplyByQuantizedMultiplier(x, multiplier, leftShift);
      return roundingDivideByPOT(tanh(inQ4, 4), 24);
    });
    return data;
  }
  const { multiplier, leftShift } = int16SigmoidInput(ctx, input, output, 1);
  data.multiplier = multiplier;
  data.leftShift = leftShift;
  data.round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
  return data;
}

function evalTanh(node: Node, data: TanhData): void {
  const input: TensorData = node.inputs[0]!.data, output: TensorData = node.outputs[0].data;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
  } else if (data.type === TensorType.FLOAT32) {
    for (let i = 0; i < n; i++) output[i] = Math.tanh(input[i]);
  } else {
    const table = SIGMOID_TABLE_UINT16;
    const multiplier = data.multiplier, leftShift = data.leftShift, round = data.round;
    for (let i = 0; i < n; i++) {
      const x = (input[i] * multiplier + round) >> leftShift;
      const magnitude = x < 0 ? -x : x;
      // Twice the sigmoid's argument: the table is stepped per 2^8 here.
      const index = magnitude >> 8;
      let result: number;
      if (index >= 255) {
        result = 0xffff << 8;
      } else {
        const low = table[index];
        result = (low << 8) + (magnitude & 0xff) * (table[index + 1] - low);
      }
      result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
      output[i] = result >> 8;
    }
  }
}

export const TANH: Kernel<TanhData> = {
  code: 28,
  name: 'TANH',
  types: ['float32', 'int8', 'int16'],
  prepare,
  eval: evalTanh,
};
