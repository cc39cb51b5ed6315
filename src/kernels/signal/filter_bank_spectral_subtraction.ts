// SignalFilterBankSpectralSubtraction (TFLM filter_bank_spectral_subtraction.cc and
// signal/src/filter_bank_spectral_subtraction.cc): a per-channel noise estimate (state kept
// across invokes, reset to 0 by resetVariables()) low-pass filtered from the signal, subtracted
// from it with a floor; outputs the result and a copy of the estimate. The uint64 products are
// computed exactly (mulAddShiftU64).
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexBool, flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, expectRange, mulAddShiftU64, signalOptions } from '../internal/signal-common.js';

export interface SpectralSubtractionData {
  input: Uint32Array;
  output: Uint32Array;
  noiseOutput: Uint32Array;
  /** The noise estimate, in the arena's persistent tail. */
  noise: Uint32Array;
  channels: number;
  noiseOutputCount: number;
  smoothing: number;
  oneMinusSmoothing: number;
  alternateSmoothing: number;
  alternateOneMinusSmoothing: number;
  minSignalRemaining: number;
  smoothingBits: number;
  spectralSubtractionBits: number;
  clamping: boolean;
}

function prepare(ctx: PrepareContext, node: Node): SpectralSubtractionData {
  const o = signalOptions(node);
  const u32 = (key: string) => flexInt(o, key) >>> 0;
  const channels = flexInt(o, 'num_channels');
  const smoothing = u32('smoothing'), oneMinusSmoothing = u32('one_minus_smoothing');
  const alternateSmoothing = u32('alternate_smoothing'), alternateOneMinusSmoothing = u32('alternate_one_minus_smoothing');
  const minSignalRemaining = u32('min_signal_remaining');
  const smoothingBits = expectRange(ctx, 'smoothing_bits', flexInt(o, 'smoothing_bits'), 0, 31);
  const spectralSubtractionBits = expectRange(ctx, 'spectral_subtraction_bits', flexInt(o, 'spectral_subtraction_bits'), 0, 63);
  const clamping = flexBool(o, 'clamping');
  expectCounts(ctx, node, 1, 2);
  const input = expectInput(ctx, node, 0, 'input', TensorType.UINT32, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.UINT32, 1);
  const noiseOutput = expectOutput(ctx, node, 1, 'noise_estimate', TensorType.UINT32, 1);
  if (channels < 1) ctx.fail(`num_channels ${channels} must be positive`);
  if (input.shape[0] < channels || output.shape[0] < channels) ctx.fail(`input ${input.describe()} and output ${output.describe()} must hold num_channels = ${channels} values`);
  // TFLM copies noise_estimate's byte size out of a num_channels buffer.
  if (noiseOutput.shape[0] > channels) ctx.fail(`noise_estimate ${noiseOutput.describe()} holds more than num_channels = ${channels} values`);
  const noise = ctx.persistent(TensorType.UINT32, channels) as Uint32Array;
  return {
    input: input.data as Uint32Array, output: output.data as Uint32Array, noiseOutput: noiseOutput.data as Uint32Array, noise,
    channels, noiseOutputCount: noiseOutput.shape[0], smoothing, oneMinusSmoothing, alternateSmoothing, alternateOneMinusSmoothing,
    minSignalRemaining, smoothingBits, spectralSubtractionBits, clamping,
  };
}

function evaluate(data: SpectralSubtractionData): void {
  const input = data.input, output = data.output, noise = data.noise, channels = data.channels;
  const smoothingBits = data.smoothingBits, bits = data.spectralSubtractionBits, clamping = data.clamping;
  const minSignalRemaining = data.minSignalRemaining;
  for (let i = 0; i < channels; i++) {
    const odd = (i & 1) !== 0;
    const smoothing = odd ? data.alternateSmoothing : data.smoothing;
    const oneMinusSmoothing = odd ? data.alternateOneMinusSmoothing : data.oneMinusSmoothing;
    const x = input[i];
    const signalScaledUp = (x << smoothingBits) >>> 0;
    noise[i] = mulAddShiftU64(signalScaledUp, smoothing, noise[i], oneMinusSmoothing, bits);
    let estimateScaledUp = noise[i];
    if (estimateScaledUp > signalScaledUp) {
      estimateScaledUp = signalScaledUp;
      if (clamping) noise[i] = estimateScaledUp;
    }
    const floor = mulAddShiftU64(x, minSignalRemaining, 0, 0, bits);
    const subtracted = (signalScaledUp - estimateScaledUp) >>> smoothingBits;
    output[i] = subtracted > floor ? subtracted : floor;
  }
  const noiseOutput = data.noiseOutput;
  for (let i = 0; i < data.noiseOutputCount; i++) noiseOutput[i] = noise[i];
}

function reset(data: SpectralSubtractionData): void {
  data.noise.fill(0);
}

export const SignalFilterBankSpectralSubtraction: Kernel<SpectralSubtractionData> = Object.freeze({
  code: 32, name: 'SignalFilterBankSpectralSubtraction', types: Object.freeze(['uint32']), prepare, eval: evaluate, reset,
});
