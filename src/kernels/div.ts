// DIV (TFLM div.cc, reference/div.h): float32 and int32 quotients (int32 truncating), int8 through
// a fixed-point reciprocal of the divisor (DivElementwise); broadcasting of any rank.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { runBroadcast, type BroadcastPlan, type Segment } from './internal/broadcast.js';
import { floatActivationBounds, int32ActivationBounds, prepareBinary, requireQuantized } from './internal/elementwise.js';
import { countLeadingSignBits, getReciprocal } from './internal/fixedpoint.js';
import {
  quantizeMultiplier, quantizedActivationRange, roundingDivideByPOT, saturatingRoundingDoublingHighMul, typeRange,
} from './internal/quantization.js';

export interface DivData {
  plan: BroadcastPlan;
  segment: Segment<DivData>;
  min: number;
  max: number;
  offset1: number;
  offset2: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
}

const TYPES = ['float32', 'int32', 'int8'];

function prepare(ctx: PrepareContext, node: Node): DivData {
  const { input1, input2, output, plan } = prepareBinary(ctx, node, TYPES);
  const activation = node.options.fusedActivationFunction as number;
  const data: DivData = {
    plan, segment: floatSegment, min: 0, max: 0, offset1: 0, offset2: 0, outputOffset: 0, multiplier: 0, shift: 0,
  };
  const type = output.type;
  if (type === TensorType.FLOAT32) {
    [data.min, data.max] = floatActivationBounds(activation);
    return data;
  }
  if (type === TensorType.INT32) {
    if (input1.quantization || input2.quantization) ctx.fail('int32 inputs must not be quantized');
    [data.min, data.max] = int32ActivationBounds(activation);
    data.segment = int32Segment;
    return data;
  }
  requireQuantized(ctx, input1, 'input 1');
  requireQuantized(ctx, input2, 'input 2');
  requireQuantized(ctx, output, 'output');
  // div.cc forms the ratio in float before widening.
  const f = Math.fround;
  const q = quantizeMultiplier(f(input1.scale / f(input2.scale * output.scale)));
  data.multiplier = q.multiplier;
  data.shift = q.shift;
  data.offset1 = -input1.zeroPoint;
  data.offset2 = -input2.zeroPoint;
  data.outputOffset = output.zeroPoint;
  const [qmin, qmax] = typeRange(type);
  [data.min, data.max] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  data.segment = int8Segment;
  return data;
}

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    const v = a[ai] / b[bi];
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function int32Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    // C's truncating division; a zero divisor (undefined in C) gives 0 here.
    const v = (a[ai] / b[bi]) | 0;
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

/**
 * RoundingDivideByPOT as TFLM's reference build (x86-64) runs it when DivElementwise's total
 * shift passes 31, which it does for quotients well under one output step (undefined in C): the
 * mask, formed in 64 bits, truncates to all ones while the shift count wraps modulo 32.
 */
function divideByPOTAsBuilt(x: number, exponent: number): number {
  if (exponent < 32) return roundingDivideByPOT(x, exponent);
  return (x >> (exponent & 31)) + (x >= 0 ? 1 : 0);
}

function int8Segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number,
  out: TensorData, oi: number, n: number, data: DivData): void {
  const offset1 = data.offset1, offset2 = data.offset2, outputOffset = data.outputOffset;
  const multiplier = data.multiplier, shift = data.shift, min = data.min, max = data.max;
  const end = oi + n;
  for (; oi < end; oi++) {
    let x = offset1 + a[ai];
    let y = offset2 + b[bi];
    // The reciprocal needs a positive divisor: move the sign to the dividend.
    if (y < 0) {
      x = -x;
      y = -y;
    }
    const reciprocalShift = 31 - Math.clz32(y);
    const reciprocal = getReciprocal(y);
    const headroom = countLeadingSignBits(x);
    const quotient = saturatingRoundingDoublingHighMul((x << headroom) | 0, reciprocal);
    const totalShift = shift - reciprocalShift - headroom;
    const v = outputOffset + divideByPOTAsBuilt(saturatingRoundingDoublingHighMul(quotient, multiplier), -totalShift);
    out[oi] = v < min ? min : v > max ? max : v;
    ai += as;
    bi += bs;
  }
}

function evalDiv(node: Node, data: DivData): void {
  runBroadcast(data.plan, node.inputs[0]!.data, node.inputs[1]!.data, node.outputs[0].data, data, data.segment);
}

export const DIV: Kernel<DivData> = {
  code: 42,
  name: 'DIV',
  options: 'DivOptions',
  types: TYPES,
  prepare,
  eval: evalDiv,
};
