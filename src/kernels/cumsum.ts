// CUMSUM (TFLM cumsum.cc, reference/cumsum.h): running sums along one axis, float32 and int8,
// optionally exclusive and/or reversed. The axis is an input TFLM reads at eval (a constant one
// is checked at prepare here too). int8 follows TFLM's integer path to the bit: each value,
// offset by the input zero point, is shifted left by 20 and scaled by 1/2 (a Q31 multiplier),
// the accumulator starts from the input offset treated the same way (as TFLM's does), and every
// sum is requantized to the output and clamped. Sums wrap as int32.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './internal/quantization.js';
import { requireSameType, requireShape, requireType } from './internal/shape-util.js';
import { persistentInts, requireOperands } from './internal/shape-group.js';

/** TFLM's kCumSumIntegerShift. */
const LEFT_SHIFT = 20;

/** Fields of the int32 record. */
const enum Rec {
  FLOAT = 0, EXCLUSIVE, REVERSE, INPUT_OFFSET, OUTPUT_OFFSET, IN_MULT, IN_SHIFT, OUT_MULT, OUT_SHIFT,
  /** The dimensions follow. */
  DIMS,
}

export interface CumsumData {
  input: TensorData;
  axis: Int32Array;
  output: TensorData;
  r: Int32Array;
  index: number;
}

/** QuantizeMultiplierSmallerThanOneExp: the multiplier must be in (0, 1). */
function smallerThanOne(ctx: PrepareContext, real: number, what: string): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) ctx.fail(`${what} multiplier ${real} must be in (0, 1)`);
  return quantizeMultiplier(real);
}

function prepare(ctx: PrepareContext, node: Node): CumsumData {
  const [input, axis] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  requireType(ctx, input, [TensorType.FLOAT32, TensorType.INT8], 'input');
  requireType(ctx, axis, [TensorType.INT32], 'axis');
  if (axis.elementCount !== 1) ctx.fail(`axis ${axis.describe()} must hold 1 element`);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  requireSameType(ctx, input, output, 'output');
  requireShape(ctx, output, input.shape, 'output');
  if (axis.isConstant) {
    const a = (axis.data as Int32Array)[0];
    const adjusted = a < 0 ? a + input.rank : a;
    if (adjusted < 0 || adjusted >= input.rank) ctx.fail(`CUMSUM Invalid axis: ${a}`);
  }
  const opts = node.options;
  const values = [input.type === TensorType.FLOAT32 ? 1 : 0, opts.exclusive ? 1 : 0, opts.reverse ? 1 : 0, 0, 0, 0, 0, 0, 0];
  if (input.type === TensorType.INT8) {
    if (!input.quantization || !output.quantization) ctx.fail('int8 CUMSUM needs input and output quantization');
    const inScale = input.scale, outScale = output.scale;
    if (!(inScale > 0) || !(outScale > 0)) ctx.fail(`scales ${inScale}, ${outScale} must be positive`);
    const twiceMax = 2 * inScale;
    const qIn = smallerThanOne(ctx, inScale / twiceMax, 'input');
    const qOut = smallerThanOne(ctx, twiceMax / ((1 << LEFT_SHIFT) * outScale), 'output');
    values[Rec.INPUT_OFFSET] = -input.zeroPoint;
    values[Rec.OUTPUT_OFFSET] = output.zeroPoint;
    values[Rec.IN_MULT] = qIn.multiplier;
    values[Rec.IN_SHIFT] = qIn.shift;
    values[Rec.OUT_MULT] = qOut.multiplier;
    values[Rec.OUT_SHIFT] = qOut.shift;
  }
  for (let i = 0; i < input.rank; i++) values.push(input.shape[i]);
  return { input: input.data, axis: axis.data as Int32Array, output: output.data, r: persistentInts(ctx, values), index: node.index };
}

function evalCumsum(d: CumsumData): void {
  const r = d.r, rank = r.length - Rec.DIMS;
  let axis = d.axis[0];
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) throw new OpError('CUMSUM', d.index, `CUMSUM Invalid axis: ${d.axis[0]}`);
  let inner = 1, outer = 1, depth = 1;
  for (let i = 0; i < rank; i++) {
    const size = r[Rec.DIMS + i];
    if (i < axis) inner *= size;
    else if (i > axis) outer *= size;
    else depth = size;
  }
  const exclusive = r[Rec.EXCLUSIVE] === 1, reverse = r[Rec.REVERSE] === 1;
  const input = d.input, output = d.output;
  if (r[Rec.FLOAT] === 1) {
    const fround = Math.fround;
    for (let oi = 0; oi < outer; oi++) {
      const o = reverse ? outer - 1 - oi : oi;
      for (let ii = 0; ii < inner; ii++) {
        const base = o + (reverse ? inner - 1 - ii : ii) * depth * outer;
        let acc = 0;
        for (let di = 0; di < depth; di++) {
          const index = base + (reverse ? depth - 1 - di : di) * outer;
          if (exclusive) {
            output[index] = acc;
            acc = fround(acc + input[index]);
          } else {
            acc = fround(acc + input[index]);
            output[index] = acc;
          }
        }
      }
    }
    return;
  }
  const inOffset = r[Rec.INPUT_OFFSET], outOffset = r[Rec.OUTPUT_OFFSET];
  const inMult = r[Rec.IN_MULT], inShift = r[Rec.IN_SHIFT], outMult = r[Rec.OUT_MULT], outShift = r[Rec.OUT_SHIFT];
  const scale = 1 << LEFT_SHIFT;
  for (let oi = 0; oi < outer; oi++) {
    const o = reverse ? outer - 1 - oi : oi;
    for (let ii = 0; ii < inner; ii++) {
      const base = o + (reverse ? inner - 1 - ii : ii) * depth * outer;
      let acc = multiplyByQuantizedMultiplier(inOffset * scale, inMult, inShift);
      for (let di = 0; di < depth; di++) {
        const index = base + (reverse ? depth - 1 - di : di) * outer;
        const scaled = multiplyByQuantizedMultiplier((inOffset + input[index]) * scale, inMult, inShift);
        let sum: number;
        if (exclusive) {
          sum = acc;
          acc = (acc + scaled) | 0;
        } else {
          acc = (acc + scaled) | 0;
          sum = acc;
        }
        const v = (multiplyByQuantizedMultiplier(sum, outMult, outShift) + outOffset) | 0;
        output[index] = v < -128 ? -128 : v > 127 ? 127 : v;
      }
    }
  }
}

export const CUMSUM: Kernel<CumsumData> = Object.freeze({
  code: 128,
  name: 'CUMSUM',
  options: 'CumsumOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalCumsum,
});
