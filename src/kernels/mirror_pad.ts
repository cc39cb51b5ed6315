// MIRROR_PAD (TFLM mirror_pad.cc): pads by mirroring the input at its edges, REFLECT (the edge
// is not repeated) or SYMMETRIC (it is). Every output element's source is found as TFLM finds
// it. The paddings are an input TFLM reads at eval; here they must give the output's shape and
// stay within what mirroring can reach (at prepare when constant, else at every eval), so no
// read falls outside the input.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireSameType, requireType, stridesOf, wordsPerElement } from './internal/shape-util.js';
import { indexAt, persistentInts, requireOperands } from './internal/shape-group.js';

export interface MirrorPadData {
  input: TensorData;
  paddings: TensorData;
  output: TensorData;
  /** Per dimension: input size, input stride, output stride, output size (4 × rank). */
  dims: Int32Array;
  /** 1 for REFLECT, 0 for SYMMETRIC. */
  offset: number;
  /** Words per padding value (2 for int64). */
  words: number;
  outputSize: number;
  index: number;
}

/** Whether the paddings fit the input and give the output; an error message, or null. */
function check(pads: TensorData, words: number, dims: ArrayLike<number>, rank: number, offset: number): string | null {
  for (let i = 0; i < rank; i++) {
    const left = indexAt(pads, 2 * i, words), right = indexAt(pads, 2 * i + 1, words), size = dims[4 * i];
    if (left < 0 || right < 0 || left > size - offset || right > size - offset) {
      return `paddings (${left}, ${right}) of dimension ${i} do not fit its size ${size} in ${offset ? 'REFLECT' : 'SYMMETRIC'} mode`;
    }
    if (dims[4 * i + 3] !== size + left + right) return `paddings (${left}, ${right}) of dimension ${i} do not give the output's size ${dims[4 * i + 3]}`;
  }
  return null;
}

function prepare(ctx: PrepareContext, node: Node): MirrorPadData {
  const [input, paddings] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  requireType(ctx, input, [TensorType.FLOAT32, TensorType.INT8], 'input');
  requireSameType(ctx, input, output, 'output');
  requireType(ctx, paddings, [TensorType.INT32, TensorType.INT64], 'paddings');
  const rank = input.rank;
  if (paddings.rank !== 2 || paddings.shape[0] !== rank || paddings.shape[1] !== 2) {
    ctx.fail(`paddings ${paddings.describe()} must be [${rank}, 2]`);
  }
  if (output.rank !== rank) ctx.fail(`output ${output.describe()} must have the input's rank`);
  const mode = (node.options as { mode: number }).mode;
  if (mode !== 0 && mode !== 1) ctx.fail(`mode ${mode} is neither REFLECT nor SYMMETRIC`);
  const offset = mode === 0 ? 1 : 0;
  const inStrides = stridesOf(input.shape), outStrides = stridesOf(output.shape);
  const values: number[] = [];
  for (let i = 0; i < rank; i++) values.push(input.shape[i], inStrides[i], outStrides[i], output.shape[i]);
  const words = wordsPerElement(paddings.type);
  if (paddings.isConstant) {
    const error = check(paddings.data, words, values, rank, offset);
    if (error) ctx.fail(error);
  }
  return {
    input: input.data, paddings: paddings.data, output: output.data, dims: persistentInts(ctx, values),
    offset, words, outputSize: output.elementCount, index: node.index,
  };
}

function evalMirrorPad(d: MirrorPadData): void {
  const dims = d.dims, rank = dims.length >> 2, pads = d.paddings, words = d.words, offset = d.offset;
  const input = d.input, output = d.output, n = d.outputSize;
  const error = check(pads, words, dims, rank, offset);
  if (error) throw new OpError('MIRROR_PAD', d.index, error);
  for (let o = 0; o < n; o++) {
    let rest = o, from = 0;
    for (let i = 0; i < rank; i++) {
      const size = dims[4 * i], outStride = dims[4 * i + 2];
      const left = words === 1 ? pads[2 * i] : pads[4 * i];
      let p = (rest / outStride) | 0;
      rest -= p * outStride;
      // TFLM's GetInputDimension.
      if (p < left) {
        const original = left + offset - 1;
        p = original - (p < original - offset ? p : original - offset);
      } else {
        p -= left;
        if (p >= size) {
          p -= size;
          const original = size - (1 + offset);
          p = original - (p < original ? p : original);
        }
      }
      from += p * dims[4 * i + 1];
    }
    output[o] = input[from];
  }
}

export const MIRROR_PAD: Kernel<MirrorPadData> = Object.freeze({
  code: 100,
  name: 'MIRROR_PAD',
  options: 'MirrorPadOptions',
  types: Object.freeze(['float32', 'int8']),
  prepare,
  eval: evalMirrorPad,
});
