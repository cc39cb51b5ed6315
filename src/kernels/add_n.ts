// ADD_N (TFLM add_n.cc, reference/add_n.h): the elementwise sum of two or more inputs of one
// shape and type. float32 sums in float from 0 in input order; int8 (all inputs sharing one scale
// and zero point) follows TFLM's recipe to the bit, including its start value: the sum begins at
// the rescaled input offset, not at 0.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';

export interface AddNData {
  inputs: TensorData[];
  output: TensorData;
  /** int8: [input offset, input multiplier, input shift, output offset, output multiplier, output shift]; float32: null. */
  params: Int32Array | null;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8']);
const LEFT_SHIFT = 1 << 20;

/** QuantizeMultiplierSmallerThanOneExp (TFLM aborts outside (0, 1)). */
function smallerThanOne(ctx: PrepareContext, real: number, what: string): { multiplier: number; shift: number } {
  const q = quantizeMultiplier(real);
  if (!(real > 0 && real < 1) || q.shift > 0) ctx.fail(`${what} multiplier ${real} is outside (0, 1)`);
  return q;
}

function prepare(ctx: PrepareContext, node: Node): AddNData {
  const count = node.inputs.length;
  if (count < 2) ctx.fail(`takes at least 2 inputs, the model gives ${count}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const first = node.inputs[0], output = node.outputs[0];
  if (!first) return ctx.fail('input 1 is required');
  if (!TYPES.includes(first.typeName)) ctx.fail(`input type ${first.typeName} is not supported (supported: ${TYPES.join(', ')})`);
  if (output.type !== first.type) ctx.fail(`output type ${output.typeName} differs from the input type ${first.typeName}`);
  if (output.elementCount !== first.elementCount) ctx.fail(`output shape [${output.dims().join(', ')}] differs from the input shape [${first.dims().join(', ')}]`);
  const inputs: TensorData[] = [];
  for (let i = 0; i < count; i++) {
    const input = node.inputs[i];
    if (!input) return ctx.fail(`input ${i + 1} is required`);
    if (input.shape.length !== first.shape.length || input.elementCount !== first.elementCount || input.dims().some((d, k) => d !== first.dim(k))) {
      ctx.fail(`input ${i + 1} shape [${input.dims().join(', ')}] differs from input 1's [${first.dims().join(', ')}]`);
    }
    if (input.type !== first.type) ctx.fail(`input ${i + 1} type ${input.typeName} differs from input 1's ${first.typeName}`);
    if (first.type === TensorType.INT8 && (input.zeroPoint !== first.zeroPoint || input.scale !== first.scale)) {
      ctx.fail(`input ${i + 1} quantization (scale ${input.scale}, zero point ${input.zeroPoint}) differs from input 1's`);
    }
    inputs.push(input.data);
  }
  const data: AddNData = { inputs, output: output.data, params: null };
  if (first.type === TensorType.FLOAT32) return data;
  if (!first.quantization || !(first.scale > 0)) ctx.fail(`input ${first.describe()} needs a positive quantization scale`);
  if (!output.quantization || !(output.scale > 0)) ctx.fail(`output ${output.describe()} needs a positive quantization scale`);
  // In double, as add_n.cc: twice the input scale, the input's share of it (1/2) and the output's.
  const twiceMax = 2 * first.scale;
  const qi = smallerThanOne(ctx, first.scale / twiceMax, 'input');
  const qo = smallerThanOne(ctx, twiceMax / ((1 << 20) * output.scale), 'output');
  const params = ctx.persistent(TensorType.INT32, 6) as Int32Array;
  params[0] = -first.zeroPoint;
  params[1] = qi.multiplier;
  params[2] = qi.shift;
  params[3] = output.zeroPoint;
  params[4] = qo.multiplier;
  params[5] = qo.shift;
  data.params = params;
  return data;
}

function evalAddN(data: AddNData): void {
  const inputs = data.inputs, output = data.output, count = inputs.length, n = output.length;
  const params = data.params;
  if (params === null) {
    const f = Math.fround;
    for (let i = 0; i < n; i++) {
      let x = 0;
      for (let j = 0; j < count; j++) x = f(x + inputs[j][i]);
      output[i] = x;
    }
    return;
  }
  const offset = params[0], mi = params[1], si = params[2], outOffset = params[3], mo = params[4], so = params[5];
  const start = multiplyByQuantizedMultiplier(offset * LEFT_SHIFT, mi, si);
  for (let i = 0; i < n; i++) {
    let x = start;
    for (let j = 0; j < count; j++) x = (x + multiplyByQuantizedMultiplier((offset + inputs[j][i]) * LEFT_SHIFT, mi, si)) | 0;
    const v = multiplyByQuantizedMultiplier(x, mo, so) + outOffset;
    output[i] = v < -128 ? -128 : v > 127 ? 127 : v;
  }
}

export const ADD_N: Kernel<AddNData> = Object.freeze({
  code: 106,
  name: 'ADD_N',
  types: TYPES,
  prepare,
  eval: evalAddN,
});
