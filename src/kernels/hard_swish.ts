// HARD_SWISH (TFLM hard_swish.cc, hard_swish_common.cc, reference/hard_swish.h):
// x * relu6(x + 3) / 6. int8 follows the reference's 16-bit fixed-point recipe (a "relu-ish"
// multiplier in [0, 1] times x on a high-resolution scale), run once per int8 value into a table.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized } from './internal/elementwise.js';
import { saturatingRoundingDoublingHighMul16 } from './internal/fixedpoint.js';
import { applyInt8Table, int8Table } from './internal/lut.js';
import { quantizeMultiplier } from './internal/quantization.js';

export interface HardSwishData {
  input: TensorData;
  output: TensorData;
  /** int8: the table (256 bytes in the arena); float32: null. */
  table: Int8Array | null;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8']);

/** int16 wrap, as a C cast to int16_t. */
function toInt16(x: number): number {
  return (x << 16) >> 16;
}

/** gemmlowp's RoundingDivideByPOT on int16 values (mask and threshold in int16). */
function roundingDivideByPOT16(x: number, exponent: number): number {
  const mask = toInt16(exponent >= 31 ? -1 : (1 << exponent) - 1);
  const remainder = toInt16(x & mask);
  const threshold = toInt16((mask >> 1) + (x < 0 ? 1 : 0));
  return toInt16((x >> exponent) + (remainder > threshold ? 1 : 0));
}

/** The reference's SaturatingLeftShift: value * 2^amount saturated to int16. */
function saturatingLeftShift16(value: number, amount: number): number {
  const v = value * Math.pow(2, amount);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** The reference's SaturatingDoublingHighMul: like the rounding one, but truncating. */
function saturatingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return toInt16((a * b / 32768) | 0);
}

/** DownScaleInt32ToInt16Multiplier. */
function downScaleMultiplier(multiplier: number): number {
  if (multiplier >= 2147483647 - 32768) return 32767;
  return (multiplier + 32768) >> 16;
}

function prepare(ctx: PrepareContext, node: Node): HardSwishData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  const data: HardSwishData = { input: input.data, output: output.data, table: null };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  const f = Math.fround;
  const hiresInputScale = f(f(1 / 128) * input.scale);
  const reluishScale = f(3 / 32768);
  const outQ = quantizeMultiplier(f(hiresInputScale / output.scale));
  const outputMultiplier = downScaleMultiplier(outQ.multiplier);
  const outputExponent = outQ.shift;
  if (outputExponent > 0) ctx.fail(`output scale ${output.scale} is too small for input scale ${input.scale}`);
  const reluishQ = quantizeMultiplier(f(hiresInputScale / reluishScale));
  const reluishMultiplier = downScaleMultiplier(reluishQ.multiplier);
  const reluishExponent = reluishQ.shift;
  const inZero = input.zeroPoint, outZero = output.zeroPoint;
  data.table = int8Table(ctx, q => {
    const x = toInt16(q - inZero);
    const hires = toInt16(x * 128);
    const preshiftOutput = saturatingRoundingDoublingHighMul16(hires, outputMultiplier);
    let reluish = hires;
    if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, reluishExponent - 1);
    reluish = saturatingRoundingDoublingHighMul16(reluish, reluishMultiplier);
    if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
    if (reluishExponent < 0) reluish = roundingDivideByPOT16(reluish, -reluishExponent);
    // From [-1, 1] to [0, 1] in Q0.15.
    reluish = toInt16((reluish + 32768) >> 1);
    const preshift = saturatingDoublingHighMul16(reluish, preshiftOutput);
    return toInt16(roundingDivideByPOT16(preshift, -outputExponent) + outZero);
  });
  return data;
}

function evalHardSwish(data: HardSwishData): void {
  const input = data.input, output = data.output;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
    return;
  }
  const f = Math.fround;
  const n = output.length;
  for (let i = 0; i < n; i++) {
    const v = input[i];
    const shifted = f(v + 3);
    // std::max(0, v + 3) and std::min(6, ...) in that argument order (NaN gives 0).
    const relu6 = 0 < shifted ? (shifted < 6 ? shifted : 6) : 0;
    output[i] = f(v * relu6) / 6;
  }
}

export const HARD_SWISH: Kernel<HardSwishData> = Object.freeze<Kernel<HardSwishData>>({
  code: 117,
  name: 'HARD_SWISH',
  types: TYPES,
  prepare,
  eval: evalHardSwish,
});
