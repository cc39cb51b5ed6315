// SignalFilterBankLog (TFLM filter_bank_log.cc, signal/src/filter_bank_log.cc, log.cc): the
// natural log of each channel (shifted left by input_correction_bits), scaled by output_scale,
// as int16 saturated at 32767; 0 for values 0 and 1. Log32 is TFLM's fixed-point log2: integer
// part from the most significant bit, fraction plus a 128-segment correction table, times ln 2.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, expectRange, msb32, signalOptions } from '../internal/signal-common.js';

export interface FilterBankLogData {
  input: Uint32Array;
  output: Int16Array;
  channels: number;
  correctionBits: number;
  outputScale: number;
}

/**
 * round((log2(1 + i/128) - i/128) · 65536) for i = 0 .. 128, and a 0 of padding: the correction
 * from the linear fraction to log2 (the same values as TFLM's kLogLut; a test recomputes them).
 */
const LOG_LUT: readonly number[] = Object.freeze([
  0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797,
  2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633,
  4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
  5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586,
  5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000,
  4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
  3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207,
  2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963, 830, 695, 559, 421, 282, 142,
  0, 0,]);

/** ln(2) · 2^16. */
const LOG_COEFF = 45426;

function prepare(ctx: PrepareContext, node: Node): FilterBankLogData {
  const options = signalOptions(node);
  const correctionBits = expectRange(ctx, 'input_correction_bits', flexInt(options, 'input_correction_bits'), 0, 31);
  const outputScale = flexInt(options, 'output_scale') >>> 0;
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.UINT32, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, 1);
  if (output.shape[0] < input.shape[0]) ctx.fail(`output ${output.describe()} must hold the ${input.shape[0]} channels of input`);
  return { input: input.data as Uint32Array, output: output.data as Int16Array, channels: input.shape[0], correctionBits, outputScale };
}

/** Log32(x, outScale) for x > 1. */
export function log32(x: number, outScale: number): number {
  const integer = msb32(x) - 1;
  // Log2FractionPart32: the fraction below the top bit, on 16 bits.
  let frac = x - 2 ** integer;
  if (integer < 16) frac = frac << (16 - integer);
  else frac = frac >>> (integer - 16);
  const segment = frac >> 9;
  const c0 = LOG_LUT[segment], c1 = LOG_LUT[segment + 1];
  const relative = ((c1 - c0) * (frac - (segment << 9))) >> 16;
  const fraction = frac + c0 + relative;
  const log2 = integer * 65536 + fraction;
  const loge = Math.floor((LOG_COEFF * log2 + 32768) / 65536);
  return (((Math.imul(outScale, loge) >>> 0) + 32768) >>> 0) >>> 16;
}

function evaluate(data: FilterBankLogData): void {
  const input = data.input, output = data.output, channels = data.channels;
  const correctionBits = data.correctionBits, outputScale = data.outputScale;
  for (let i = 0; i < channels; i++) {
    const scaled = (input[i] << correctionBits) >>> 0;
    if (scaled > 1) {
      const value = log32(scaled, outputScale);
      output[i] = value < 32767 ? value : 32767;
    } else {
      output[i] = 0;
    }
  }
}

export const SignalFilterBankLog: Kernel<FilterBankLogData> = Object.freeze({
  code: 32, name: 'SignalFilterBankLog', types: Object.freeze(['uint32']), prepare, eval: evaluate,
});
