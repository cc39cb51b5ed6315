// SignalFilterBank (TFLM filter_bank.cc, signal/src/filter_bank.cc): mel filter bank channels as
// uint64 sums of uint32 energies times int16 weights; each frequency bin feeds one channel with
// its weight and the next with its unweight (channel 0 is scratch and dropped). The uint64 sums
// are kept exact as two double accumulators (energy bits 0-15 and 16-31) and written as
// (low, high) uint32 pairs, wrapping mod 2^64 as the C code would.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { OpError } from '../../core/errors.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';

export interface FilterBankData {
  input: Uint32Array;
  weights: Int16Array;
  unweights: Int16Array;
  freqStarts: Int16Array;
  weightStarts: Int16Array;
  widths: Int16Array;
  output: Uint32Array;
  channels: number;
  /** Checked in eval when a table is not constant. */
  checkAtEval: boolean;
  opIndex: number;
}

/** '' when every channel's bins and weights lie within their tensors, else what does not. */
function checkTables(data: FilterBankData): string {
  const inputLength = data.input.length, weightLength = data.weights.length;
  if (data.unweights.length !== weightLength) return `weights (${weightLength}) and unweights (${data.unweights.length}) differ in length`;
  for (let i = 0; i <= data.channels; i++) {
    const f = data.freqStarts[i], w = data.weightStarts[i], width = data.widths[i];
    if (width <= 0) continue;
    if (f < 0 || f + width > inputLength) return `channel ${i} reads bins ${f} .. ${f + width - 1} of an input of ${inputLength}`;
    if (w < 0 || w + width > weightLength) return `channel ${i} reads weights ${w} .. ${w + width - 1} of ${weightLength}`;
  }
  return '';
}

function prepare(ctx: PrepareContext, node: Node): FilterBankData {
  const channels = flexInt(signalOptions(node), 'num_channels');
  expectCounts(ctx, node, 6, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.UINT32, 1);
  const weights = expectInput(ctx, node, 1, 'weights', TensorType.INT16, 1);
  const unweights = expectInput(ctx, node, 2, 'unweights', TensorType.INT16, 1);
  const tables = [3, 4, 5].map((i, k) => expectInput(ctx, node, i, ['channel_frequency_starts', 'channel_weight_starts', 'channel_widths'][k], TensorType.INT16, 1));
  const output = expectOutput(ctx, node, 0, 'output', TensorType.UINT64, 1);
  if (channels < 1) ctx.fail(`num_channels ${channels} must be positive`);
  for (const t of tables) if (t.shape[0] < channels + 1) ctx.fail(`${t.describe()} must hold num_channels + 1 = ${channels + 1} values`);
  if (output.shape[0] !== channels) ctx.fail(`output ${output.describe()} must hold num_channels = ${channels} values`);
  const data: FilterBankData = {
    input: input.data as Uint32Array, weights: weights.data as Int16Array, unweights: unweights.data as Int16Array,
    freqStarts: tables[0].data as Int16Array, weightStarts: tables[1].data as Int16Array, widths: tables[2].data as Int16Array,
    output: output.data as Uint32Array, channels, checkAtEval: false, opIndex: node.index,
  };
  const constant = weights.isConstant && unweights.isConstant && tables.every(t => t.isConstant);
  if (constant) {
    // input's view is empty in the sizing run: check against its length from the shape.
    const why = checkTables({ ...data, input: { length: input.shape[0] } as Uint32Array });
    if (why) ctx.fail(why);
  } else {
    data.checkAtEval = true;
  }
  return data;
}

const TWO_16 = 65536, TWO_32 = 4294967296;

function evaluate(data: FilterBankData): void {
  if (data.checkAtEval) {
    const why = checkTables(data);
    if (why) throw new OpError('SignalFilterBank', data.opIndex, why);
  }
  const input = data.input, weights = data.weights, unweights = data.unweights;
  const freqStarts = data.freqStarts, weightStarts = data.weightStarts, widths = data.widths, output = data.output;
  const channels = data.channels;
  let weightLow = 0, weightHigh = 0, unweightLow = 0, unweightHigh = 0;
  for (let i = 0; i <= channels; i++) {
    const f = freqStarts[i], w = weightStarts[i], width = widths[i];
    for (let j = 0; j < width; j++) {
      const x = input[f + j], xl = x & 0xffff, xh = x >>> 16;
      const wt = weights[w + j], uw = unweights[w + j];
      weightLow += wt * xl;
      weightHigh += wt * xh;
      unweightLow += uw * xl;
      unweightHigh += uw * xh;
    }
    if (i > 0) {
      // weightHigh·2^16 + weightLow, mod 2^64, as (low, high).
      const highLow = (weightHigh >>> 0) & 0xffff;
      const highHigh = (weightHigh - highLow) / TWO_16;
      const t = highLow * TWO_16 + weightLow;
      const low = t >>> 0;
      output[2 * (i - 1)] = low;
      output[2 * (i - 1) + 1] = (highHigh + (t - low) / TWO_32) >>> 0;
    }
    weightLow = unweightLow;
    weightHigh = unweightHigh;
    unweightLow = 0;
    unweightHigh = 0;
  }
}

export const SignalFilterBank: Kernel<FilterBankData> = Object.freeze({
  code: 32, name: 'SignalFilterBank', types: Object.freeze(['uint32']), prepare, eval: evaluate,
});
