// TFLite's int16 sigmoid and tanh (reference_integer_ops::Logistic / Tanh for int16_t) as the
// LSTM calls them, on slices of its state arrays: the 256-entry sigmoid table (lut.ts) with
// linear interpolation, tanh(x) taken as 2*sigmoid(2x) - 1, on Q3.12 gate inputs and on the
// cell state.
import { SIGMOID_TABLE_UINT16 } from './lut.js';

/**
 * reference_integer_ops::Logistic for int16: `count` values from input[inputStart] to
 * output[outputStart] (the two may be the same array). A zero multiplier means a power-of-two
 * input scale: the input is multiplied by 3 << leftShift (3/4 of the table's 4x input scaling).
 */
export function logisticInt16(
  inputMultiplier: number, inputLeftShift: number, count: number,
  input: Int16Array, inputStart: number, output: Int16Array, outputStart: number,
): void {
  const table = SIGMOID_TABLE_UINT16;
  let multiplier = inputMultiplier, shift = inputLeftShift;
  if (multiplier === 0) {
    multiplier = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  for (let i = 0; i < count; i++) {
    const x = (input[inputStart + i] * multiplier + round) >> shift;
    const magnitude = x < 0 ? -x : x;
    const segment = magnitude >>> 9;
    let result: number;
    if (segment >= 255) {
      result = 0x7fff << 10;
    } else {
      const low = table[segment];
      result = (low << 9) + (magnitude & 0x1ff) * (table[segment + 1] - low);
    }
    // Negative inputs mirror: sigmoid(-x) = 1 - sigmoid(x), in the same 2^25 fixed point.
    result = x >= 0 ? result + 512 : 33554432 - result + 511;
    output[outputStart + i] = result >>> 10;
  }
}

/**
 * reference_integer_ops::Tanh for int16, same conventions as logisticInt16. The LSTM passes
 * multiplier 0 and a left shift of (15 + log2(input scale)) - 3, or multiplier 3 and the negated
 * shift when that is negative.
 */
export function tanhInt16(
  inputMultiplier: number, inputLeftShift: number, count: number,
  input: Int16Array, inputStart: number, output: Int16Array, outputStart: number,
): void {
  const table = SIGMOID_TABLE_UINT16;
  let multiplier = inputMultiplier, shift = inputLeftShift;
  if (multiplier === 0) {
    multiplier = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  for (let i = 0; i < count; i++) {
    const x = (input[inputStart + i] * multiplier + round) >> shift;
    const magnitude = x < 0 ? -x : x;
    const segment = magnitude >>> 8;
    let result: number;
    if (segment >= 255) {
      result = 0xffff << 8;
    } else {
      const low = table[segment];
      result = (low << 8) + (magnitude & 0xff) * (table[segment + 1] - low);
    }
    result = x >= 0 ? result - 8388608 + 128 : -result + 8388608 + 127;
    output[outputStart + i] = result >> 8;
  }
}
