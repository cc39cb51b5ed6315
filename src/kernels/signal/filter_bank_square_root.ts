// SignalFilterBankSquareRoot (TFLM filter_bank_square_root.cc, signal/src/square_root_{32,64}.cc):
// the integer square root of each uint64 channel (TFLM's bit-by-bit Sqrt64, with its 32-bit
// shortcut and rounding), shifted right by the FFT's scale bits, as uint32.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { expectCounts, expectInput, expectOutput, msb32 } from '../internal/signal-common.js';

export interface FilterBankSquareRootData {
  input: Uint32Array;
  scaleBits: Int32Array;
  output: Uint32Array;
  channels: number;
}

function prepare(ctx: PrepareContext, node: Node): FilterBankSquareRootData {
  expectCounts(ctx, node, 2, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.UINT64, 1);
  const scaleBits = expectInput(ctx, node, 1, 'scale_bits', TensorType.INT32, 0);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.UINT32, 1);
  if (output.shape[0] < input.shape[0]) ctx.fail(`output ${output.describe()} must hold the ${input.shape[0]} channels of input`);
  return { input: input.data as Uint32Array, scaleBits: scaleBits.data as Int32Array, output: output.data as Uint32Array, channels: input.shape[0] };
}

/** Sqrt32 (uint32 in, uint16 out). */
export function sqrt32(num: number): number {
  if (num === 0) return 0;
  let res = 0;
  const maxBit = (32 - msb32(num)) | 1;
  let bit = (1 << (31 - maxBit)) >>> 0;
  for (let n = ((31 - maxBit) >> 1) + 1; n > 0; n--) {
    const sum = (res + bit) >>> 0;
    if (num >= sum) {
      num = (num - sum) >>> 0;
      res = ((res >>> 1) + bit) >>> 0;
    } else {
      res >>>= 1;
    }
    bit >>>= 2;
  }
  if (num > res && res !== 0xffff) res++;
  return res & 0xffff;
}

const TWO_32 = 4294967296;

/** Sqrt64 of (hi, lo), uint32 out. Values are kept as exact doubles below 2^64 split in two words. */
export function sqrt64(hi: number, lo: number): number {
  if (hi === 0) return sqrt32(lo);
  // Words of num, res and bit (bit is one power of two).
  let nh = hi, nl = lo, rh = 0, rl = 0;
  const maxBit = (64 - (32 + msb32(hi))) | 1;
  const bitPos0 = 63 - maxBit;
  let bh = bitPos0 >= 32 ? 2 ** (bitPos0 - 32) : 0, bl = bitPos0 >= 32 ? 0 : 2 ** bitPos0;
  for (let n = ((63 - maxBit) >> 1) + 1; n > 0; n--) {
    // sum = res + bit (cannot pass 2^64 here: res + bit <= num's bound).
    let sl = rl + bl, sh = rh + bh;
    if (sl >= TWO_32) { sl -= TWO_32; sh += 1; }
    if (nh > sh || (nh === sh && nl >= sl)) {
      nl -= sl;
      nh -= sh;
      if (nl < 0) { nl += TWO_32; nh -= 1; }
      // res = (res >> 1) + bit
      rl = (rl - (rl % 2)) / 2 + (rh % 2) * 2147483648;
      rh = (rh - (rh % 2)) / 2;
      rl += bl;
      rh += bh;
      if (rl >= TWO_32) { rl -= TWO_32; rh += 1; }
    } else {
      rl = (rl - (rl % 2)) / 2 + (rh % 2) * 2147483648;
      rh = (rh - (rh % 2)) / 2;
    }
    // bit >>= 2
    if (bh !== 0) {
      if (bh >= 4) bh /= 4;
      else { bl = bh * 1073741824; bh = 0; }
    } else {
      bl = bl >= 4 ? bl / 4 : 0;
    }
  }
  // if (num > res && res != 0xFFFFFFFF) ++res; the uint32 result is res's low word.
  if ((nh > rh || (nh === rh && nl > rl)) && !(rh === 0 && rl === 0xffffffff)) {
    rl += 1;
    if (rl >= TWO_32) rl -= TWO_32;
  }
  return rl >>> 0;
}

function evaluate(data: FilterBankSquareRootData): void {
  const input = data.input, output = data.output, channels = data.channels;
  const shift = data.scaleBits[0];
  for (let i = 0; i < channels; i++) output[i] = sqrt64(input[2 * i + 1], input[2 * i]) >>> shift;
}

export const SignalFilterBankSquareRoot: Kernel<FilterBankSquareRootData> = Object.freeze({
  code: 32, name: 'SignalFilterBankSquareRoot', types: Object.freeze(['uint64']), prepare, eval: evaluate,
});
