// L2_NORMALIZATION (TFLM l2norm.cc, reference/l2normalization.h and integer_ops/l2normalization.h):
// each innermost row divided by its L2 norm. float32 sums squares in float and divides by
// max(sqrt, 1e-6f); int8 takes 1/sqrt of the int32 sum of squares as GetInvSqrtQuantizedMultiplierExp
// and writes the result at scale 1/128 (the output's quantization is not read, as in TFLM).
// Input rank at most 4; no fused activation.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { invSqrtMultiplier, invSqrtShift } from './internal/math-invsqrt.js';
import { prepareUnaryMath } from './internal/math-unary.js';
import { multiplyByQuantizedMultiplier } from './internal/quantization.js';

export interface L2NormData {
  input: TensorData;
  output: TensorData;
  depth: number;
  outer: number;
  /** int8: the input zero point; float32: NaN. */
  zeroPoint: number;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8']);
const EPSILON = Math.fround(1e-6);
const OUTPUT_SCALE_SHIFT = 7;

function prepare(ctx: PrepareContext, node: Node): L2NormData {
  const { input, output } = prepareUnaryMath(ctx, node, TYPES);
  const rank = input.rank;
  if (rank < 1 || rank > 4) ctx.fail(`input rank must be 1 to 4, got ${rank}`);
  if (output.rank < 1 || output.dim(output.rank - 1) !== input.dim(rank - 1)) {
    ctx.fail(`output shape [${output.dims().join(', ')}] differs from the input shape [${input.dims().join(', ')}] in its last dimension`);
  }
  if (node.options.fusedActivationFunction !== 0) ctx.fail(`fused activation ${String(node.options.fusedActivationFunction)} is not supported (only NONE)`);
  const depth = input.dim(rank - 1);
  const outer = depth === 0 ? 0 : input.elementCount / depth;
  const zeroPoint = input.type === TensorType.INT8 ? input.zeroPoint : NaN;
  return { input: input.data, output: output.data, depth, outer, zeroPoint };
}

function evalL2Norm(data: L2NormData): void {
  const input = data.input, output = data.output, depth = data.depth, outer = data.outer, zero = data.zeroPoint;
  if (zero !== zero) {
    const f = Math.fround;
    for (let i = 0, base = 0; i < outer; i++, base += depth) {
      let squared = 0;
      for (let c = 0; c < depth; c++) {
        const v = input[base + c];
        squared = f(squared + f(v * v));
      }
      // std::max(norm, epsilon) keeps a NaN norm.
      const root = f(Math.sqrt(squared));
      const norm = root < EPSILON ? EPSILON : root;
      for (let c = 0; c < depth; c++) output[base + c] = input[base + c] / norm;
    }
    return;
  }
  for (let i = 0, base = 0; i < outer; i++, base += depth) {
    let acc = 0;
    for (let c = 0; c < depth; c++) {
      const v = input[base + c] - zero;
      acc = (acc + v * v) | 0;
    }
    const multiplier = invSqrtMultiplier(acc), shift = invSqrtShift(acc) + OUTPUT_SCALE_SHIFT;
    for (let c = 0; c < depth; c++) {
      const v = multiplyByQuantizedMultiplier(input[base + c] - zero, multiplier, shift);
      output[base + c] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
}

export const L2_NORMALIZATION: Kernel<L2NormData> = Object.freeze({
  code: 11,
  name: 'L2_NORMALIZATION',
  options: 'L2NormOptions',
  types: TYPES,
  prepare,
  eval: evalL2Norm,
});
