// SignalPCAN (TFLM pcan.cc, signal/src/pcan_argc_fixed.cc): per-channel automatic gain control
// from the noise estimate: a gain from the wide-dynamic-range lookup table, the signal-to-noise
// ratio (uint64 product >> snr_shift) and the "shrink" curve into 6 fractional bits.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, expectRange, msb32, mulAddShiftU64, signalOptions } from '../internal/signal-common.js';

export interface PcanData {
  input: Uint32Array;
  noise: Uint32Array;
  lut: Int16Array;
  output: Uint32Array;
  channels: number;
  snrShift: number;
}

/** WideDynamicFunction reads lut[4·msb − 6 + 2] for msb up to 32. */
const LUT_LENGTH = 4 * 32 - 6 + 3;

function prepare(ctx: PrepareContext, node: Node): PcanData {
  const snrShift = expectRange(ctx, 'snr_shift', flexInt(signalOptions(node), 'snr_shift'), 0, 63);
  expectCounts(ctx, node, 3, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.UINT32, 1);
  const noise = expectInput(ctx, node, 1, 'noise_estimate', TensorType.UINT32, 1);
  const lut = expectInput(ctx, node, 2, 'gain_lut', TensorType.INT16, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.UINT32, 1);
  const channels = input.shape[0];
  if (output.shape[0] !== channels) ctx.fail(`output ${output.describe()} must hold the ${channels} channels of input`);
  if (noise.shape[0] < channels) ctx.fail(`noise_estimate ${noise.describe()} must hold ${channels} channels`);
  if (lut.shape[0] < LUT_LENGTH) ctx.fail(`gain_lut ${lut.describe()} must hold ${LUT_LENGTH} values`);
  return { input: input.data as Uint32Array, noise: noise.data as Uint32Array, lut: lut.data as Int16Array, output: output.data as Uint32Array, channels, snrShift };
}

function wideDynamicFunction(x: number, lut: Int16Array): number {
  if (x <= 2) return lut[x];
  const interval = msb32(x);
  const at = 4 * interval - 6;
  const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff;
  let result = (lut[at + 2] * frac) >> 5;
  result = (result + (lut[at + 1] << 5)) | 0;
  result = Math.imul(result, frac);
  result = ((result + 16384) | 0) >> 15;
  result += lut[at];
  return result << 16 >> 16;
}

function evaluate(data: PcanData): void {
  const input = data.input, noise = data.noise, lut = data.lut, output = data.output;
  const channels = data.channels, snrShift = data.snrShift;
  for (let i = 0; i < channels; i++) {
    const gain = wideDynamicFunction(noise[i], lut) >>> 0;
    const snr = mulAddShiftU64(input[i], gain, 0, 0, snrShift);
    // PcanShrink with 12 SNR bits, 6 output bits.
    output[i] = snr < 8192 ? (snr * snr) >>> 20 : (snr >>> 6) - 64;
  }
}

export const SignalPCAN: Kernel<PcanData> = Object.freeze({
  code: 32, name: 'SignalPCAN', types: Object.freeze(['uint32']), prepare, eval: evaluate,
});
