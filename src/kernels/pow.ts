// POW: TFLM registers no POW; this follows TFLite's pow.cc (reference_ops::Pow / BroadcastPow4DSlow):
// float32 std::pow (powf), int32 std::pow in double assigned to int32, and TFLite's eval error
// for a negative int32 exponent.
import type { Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { binaryKernel, evalBinaryMath, prepareBinaryMath, type BinaryMathData } from './internal/math-binary.js';

const TYPES: readonly string[] = Object.freeze(['float32', 'int32']);

function floatSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number, out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const x = a[ai], y = b[bi];
    // C's pow gives 1 for pow(1, y) and pow(-1, ±inf), where JavaScript gives NaN.
    out[oi] = x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y);
    ai += as;
    bi += bs;
  }
}

function intSegment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number, out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    out[oi] = intPow(a[ai], b[bi]);
    ai += as;
    bi += bs;
  }
}

/**
 * std::pow(int, int) assigned to int32 (TFLite's reference Pow): the double power, exact while it
 * fits an int32; a power out of int32 range converts as x86 does, to INT32_MIN. `exponent` >= 0.
 */
function intPow(base: number, exponent: number): number {
  if (exponent === 0 || base === 1) return 1;
  if (base === 0) return 0;
  if (base === -1) return (exponent & 1) === 0 ? 1 : -1;
  // |base| >= 2: anything past 2^31 needs an exponent of at most 31 to be caught below.
  if (exponent > 31) return -2147483648;
  let result = 1;
  for (let i = 0; i < exponent; i++) {
    result *= base;
    if (result >= 2147483648 || result < -2147483648) return -2147483648;
  }
  return result;
}

function evalPow(data: BinaryMathData): void {
  if (data.kind === 1) {
    const b = data.b, n = b.length;
    for (let i = 0; i < n; i++) {
      if (b[i] < 0) throw new OpError('POW', data.opIndex, `POW does not support negative value for int32 (exponent element ${i} is ${b[i]})`);
    }
  }
  evalBinaryMath(data);
}

function prepare(ctx: PrepareContext, node: Node): BinaryMathData {
  const int = node.inputs[0]?.type === TensorType.INT32;
  const data = prepareBinaryMath(ctx, node, TYPES, false, 0, int ? intSegment : floatSegment).data;
  data.kind = int ? 1 : 0;
  return data;
}

export const POW = binaryKernel(78, 'POW', TYPES, prepare, evalPow);
