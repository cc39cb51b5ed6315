// What LOGISTIC and TANH share (TFLM logistic_common.cc, tanh.cc): the int8 input rescaling
// into gemmlowp's Q4.27 with its saturation radius, and the int16 input rescaling for the
// interpolated sigmoid table (reference/integer_ops/logistic.h and tanh.h).
import type { PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { requireZeroPoint } from './elementwise.js';
import { checkedLog2 } from './lut.js';
import { frexp, roundHalfAway } from './quantization.js';

export interface Int8SigmoidInput {
  multiplier: number;
  leftShift: number;
  /** Inputs (minus zero point) at or beyond ±radius saturate. */
  radius: number;
}

/** The int8 path's input multiplier: scale * 2^27 as a Q31 multiplier and a left shift. */
export function int8SigmoidInput(input: Tensor): Int8SigmoidInput {
  const inputIntegerBits = 4;
  const real = input.scale * Math.pow(2, 31 - inputIntegerBits);
  const [q, leftShift] = frexp(real);
  // A plain static_cast<int32_t> (no renormalisation at 2^31, unlike QuantizeMultiplier); x86
  // gives INT32_MIN for that one case, as `| 0` does.
  const multiplier = roundHalfAway(q * 2147483648) | 0;
  // CalculateInputRadius(4, left_shift, 31), in double.
  const radius = Math.floor(15 * Math.pow(2, 31 - inputIntegerBits) / Math.pow(2, leftShift));
  return { multiplier, leftShift, radius };
}

export interface Int16SigmoidInput {
  /** Applied as (x * multiplier + round) >> leftShift. */
  multiplier: number;
  leftShift: number;
}

/**
 * The int16 path's input rescaling. Power-of-two input scales (left shift 0, or 0 and 1 for
 * TANH) multiply by 3 << shift; others by round-down(scale * 3 * 4096 * 2^k) >> k. Both zero
 * points must be 0 and the output scale 2^-15.
 */
export function int16SigmoidInput(ctx: PrepareContext, input: Tensor, output: Tensor, maxPotShift: number): Int16SigmoidInput {
  const inputIntegerBits = 3;
  requireZeroPoint(ctx, input, 'input');
  requireZeroPoint(ctx, output, 'output');
  const log2 = checkedLog2(input.scale);
  let leftShift = 15 - inputIntegerBits + log2.log2;
  let multiplier: number;
  if (log2.exact && leftShift >= 0 && leftShift <= maxPotShift) {
    multiplier = 3 << leftShift;
    leftShift = 0;
  } else {
    let real = input.scale * 4096 * 3;
    leftShift = 0;
    while (real <= 32767 / 2 && leftShift <= 30) {
      leftShift++;
      real *= 2;
    }
    multiplier = Math.trunc(real);
  }
  if (multiplier > 32767) ctx.fail(`input scale ${input.scale} is too large for the int16 path`);
  const outLog2 = checkedLog2(output.scale);
  if (!outLog2.exact || outLog2.log2 !== -15) ctx.fail(`output scale must be 2^-15, got ${output.scale}`);
  return { multiplier, leftShift };
}
