// TFLite's int16 sigmoid and tanh (reference_integer_ops::Logistic / Tanh for int16_t) as the
// LSTM calls them: sigmoid.ts's interpolation, shared with the LOGISTIC and TANH kernels, with
// the input rescaling the LSTM gives it. Gate pre-activations are Q3.12, so the gates pass a
// multiplier of 3 and no shift; the cell state's tanh takes its rescaling from the cell scale.
import type { Int16SigmoidInput } from './sigmoid.js';
import { checkedLog2 } from './lut.js';

/** Input rescaling of the int16 activations of Q3.12 gate pre-activations. */
export const GATE_ACTIVATION_MULTIPLIER = 3;
export const GATE_ACTIVATION_SHIFT = 0;

/**
 * The tanh input rescaling of the cell state: a left shift of (15 + log2(cell scale)) - 3 taken
 * as a multiplier of 3 << shift, or, when that shift is negative, a multiplier of 3 and the
 * negated shift. TFLM ignores whether the scale is an exact power of two; so does this.
 */
export function cellTanhInput(cellScale: number): Int16SigmoidInput {
  const shift = 15 + checkedLog2(cellScale).log2 - 3;
  return shift < 0 ? { multiplier: 3, leftShift: -shift } : { multiplier: 3 << shift, leftShift: 0 };
}
