// BATCH_MATMUL (TFLM batch_matmul.cc, batch_matmul_common.cc, reference/batch_matmul.h):
// output[..., m, n] = lhs[..., m, k] × rhs[..., k, n] with broadcast batch dimensions, adj_x /
// adj_y transposing the last two dimensions of an operand. As TFLM, the reference computes with
// rhs rows of k ([.., n, k]) and lhs rows of k ([.., m, k]): rhs is transposed unless adj_y, lhs
// when adj_x. The transposed copies are eval-only buffers from ctx.scratch() (TFLM keeps them in
// persistent memory and skips re-transposing a constant rhs; the arithmetic is the same).
// int8 accumulates in int32, int16 in int64 (zero points 0), both requantized as TFLM does.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import { formatShape, requireType } from './internal/shape-util.js';
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplier64, quantizeMultiplier } from './internal/quantization.js';
import { refuseHybrid } from './internal/ops-hybrid.js';
import { persistentInts, requireOperands } from './internal/shape-group.js';

/** Fields of BatchMatMulData.p. */
const enum P {
  BATCH0, BATCH1, BATCH2,
  /** Element steps of the reference's lhs (our transposed rhs) and rhs (our lhs) per batch index; 0 when broadcast. */
  A_EXT0, A_EXT1, A_EXT2, B_EXT0, B_EXT1, B_EXT2,
  ROWS, COLS, ACCUM,
  /** Transposes of lhs (adj_x) and rhs (!adj_y): matrices, rows, columns of the source. */
  L_COUNT, L_ROWS, L_COLS, R_COUNT, R_ROWS, R_COLS,
  SIZE,
}

export interface BatchMatMulData {
  lhs: TensorData;
  rhs: TensorData;
  output: TensorData;
  /** Transposed lhs (adj_x) / rhs (!adj_y) in scratch; null when the operand is used as it is. */
  lhsT: TensorData | null;
  rhsT: TensorData | null;
  p: Int32Array;
  type: number;
  /** Quantized: -lhs zero point, -rhs zero point, output zero point, multiplier, shift, bounds. */
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

const TYPES: readonly number[] = Object.freeze([TensorType.FLOAT32, TensorType.INT8, TensorType.INT16]);

/** `shape` with leading 1s to `rank` dimensions (RuntimeShape::ExtendedShape). */
function extended(shape: ArrayLike<number>, rank: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rank - shape.length; i++) out.push(1);
  for (let i = 0; i < shape.length; i++) out.push(shape[i]);
  return out;
}

/** Shape with its last two dimensions swapped. */
function swapped(shape: ArrayLike<number>): number[] {
  const out = Array.from(shape);
  const r = out.length;
  out[r - 2] = shape[r - 1];
  out[r - 1] = shape[r - 2];
  return out;
}

/** batch_matmul::extent: elements one step of dimension x moves, 0 when the dimension is 1 (broadcast). */
function extent(shape: number[], x: number): number {
  if (shape[x] === 1) return 0;
  let p = 1;
  for (let i = x + 1; i < shape.length; i++) p *= shape[i];
  return p;
}

function prepare(ctx: PrepareContext, node: Node): BatchMatMulData {
  const [lhs, rhs] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  refuseHybrid(ctx, lhs, rhs, 'rhs');
  requireType(ctx, lhs, TYPES, 'lhs');
  requireType(ctx, rhs, TYPES, 'rhs');
  if (rhs.type !== lhs.type) ctx.fail(`rhs ${rhs.describe()} must have the type of lhs ${lhs.describe()}`);
  if (output.type !== lhs.type) ctx.fail(`output ${output.describe()} must have the type of lhs ${lhs.describe()}`);
  const rl = lhs.rank, rr = rhs.rank;
  if (rl < 2 || rl > 5) ctx.fail(`lhs ${lhs.describe()} must have 2 to 5 dimensions`);
  if (rr < 2 || rr > 5) ctx.fail(`rhs ${rhs.describe()} must have 2 to 5 dimensions`);
  const o = node.options as { adjX: number | boolean; adjY: number | boolean };
  const adjX = !!o.adjX, adjY = !!o.adjY;
  const type = lhs.type;
  let inputOffset = 0, filterOffset = 0, outputOffset = 0, multiplier = 0, shift = 0, min = 0, max = 0;
  if (type !== TensorType.FLOAT32) {
    for (const t of [lhs, rhs, output] as Tensor[]) if (!t.quantization) ctx.fail(`${t.describe()} must be quantized`);
    const product = Math.fround(lhs.scale * rhs.scale);
    if (!(product >= 0)) ctx.fail('the product of the input scales must not be negative');
    const q = quantizeMultiplier(product / output.scale);
    multiplier = q.multiplier;
    shift = q.shift;
    if (type === TensorType.INT8) {
      min = -128;
      max = 127;
    } else {
      min = -32768;
      max = 32767;
      if (lhs.zeroPoint !== 0 || rhs.zeroPoint !== 0 || output.zeroPoint !== 0) ctx.fail('int16 tensors must have zero point 0');
    }
    inputOffset = -lhs.zeroPoint;
    filterOffset = -rhs.zeroPoint;
    outputOffset = output.zeroPoint;
  }
  const outRank = Math.max(rl, rr);
  const el = extended(lhs.shape, outRank), er = extended(rhs.shape, outRank);
  const outShape: number[] = [];
  for (let i = 0; i < outRank - 2; i++) {
    if (el[i] !== er[i] && el[i] !== 1 && er[i] !== 1) ctx.fail(`batch dimension ${i} of lhs ${formatShape(lhs.shape)} and rhs ${formatShape(rhs.shape)} do not broadcast`);
    outShape.push(el[i] === 1 ? er[i] : el[i]);
  }
  const accumL = adjX ? el[outRank - 2] : el[outRank - 1];
  const accumR = adjY ? er[outRank - 1] : er[outRank - 2];
  if (accumL !== accumR) ctx.fail(`lhs ${formatShape(lhs.shape)} and rhs ${formatShape(rhs.shape)} differ in depth (${accumL}, ${accumR})`);
  outShape.push(adjX ? el[outRank - 1] : el[outRank - 2], adjY ? er[outRank - 2] : er[outRank - 1]);
  // TFLM rewrites the output's dimensions and checks only its rank and element count.
  let outCount = 1;
  for (let i = 0; i < outShape.length; i++) outCount *= outShape[i];
  if (output.rank < outRank || output.elementCount !== outCount) {
    ctx.fail(`output ${output.describe()} does not hold the product's ${formatShape(outShape)}`);
  }

  // The shapes the reference sees (TFLM's SwapRowColumnDims and ReshapeToFlattenBatchDimsIfPossible).
  let a = adjY ? Array.from(rhs.shape) : swapped(rhs.shape);
  let b = adjX ? Array.from(lhs.shape) : swapped(lhs.shape);
  if (rr > 2 && rl > 2 && a[rr - 3] === 1) {
    b = [...b.slice(0, rl - 3), b[rl - 2], b[rl - 3] * b[rl - 1]];
    a = [...a.slice(0, rr - 3), a[rr - 2], a[rr - 1]];
  }
  const A = extended(a, 5), B = extended(b, 5);
  const p: number[] = new Array(P.SIZE).fill(0);
  for (let i = 0; i < 3; i++) {
    p[P.BATCH0 + i] = A[i] === B[i] ? A[i] : A[i] === 1 ? B[i] : A[i];
    p[P.A_EXT0 + i] = extent(A, i);
    p[P.B_EXT0 + i] = extent(B, i);
  }
  p[P.ROWS] = A[3];
  p[P.COLS] = B[4];
  p[P.ACCUM] = A[4];
  let lhsT: TensorData | null = null, rhsT: TensorData | null = null;
  if (adjX) {
    p[P.L_COUNT] = lhs.elementCount / (lhs.shape[rl - 2] * lhs.shape[rl - 1] || 1);
    p[P.L_ROWS] = lhs.shape[rl - 2];
    p[P.L_COLS] = lhs.shape[rl - 1];
    lhsT = ctx.scratch(type, lhs.elementCount);
  }
  if (!adjY) {
    p[P.R_COUNT] = rhs.elementCount / (rhs.shape[rr - 2] * rhs.shape[rr - 1] || 1);
    p[P.R_ROWS] = rhs.shape[rr - 2];
    p[P.R_COLS] = rhs.shape[rr - 1];
    rhsT = ctx.scratch(type, rhs.elementCount);
  }
  return {
    lhs: lhs.data, rhs: rhs.data, output: output.data, lhsT, rhsT, p: persistentInts(ctx, p), type,
    inputOffset, filterOffset, outputOffset, multiplier, shift, min, max,
  };
}

/** Transposes the last two dimensions: `count` matrices of rows × cols. */
function transposeRowsColumns(src: TensorData, dst: TensorData, count: number, rows: number, cols: number): void {
  const size = rows * cols;
  for (let m = 0; m < count; m++) {
    const base = m * size;
    let q = base;
    for (let c = 0; c < cols; c++) {
      let s = base + c;
      for (let r = 0; r < rows; r++, s += cols) dst[q++] = src[s];
    }
  }
}

function evalBatchMatMul(d: BatchMatMulData): void {
  const p = d.p;
  let bData = d.lhs, aData = d.rhs;
  if (d.lhsT) {
    transposeRowsColumns(d.lhs, d.lhsT, p[P.L_COUNT], p[P.L_ROWS], p[P.L_COLS]);
    bData = d.lhsT;
  }
  if (d.rhsT) {
    transposeRowsColumns(d.rhs, d.rhsT, p[P.R_COUNT], p[P.R_ROWS], p[P.R_COLS]);
    aData = d.rhsT;
  }
  const batch0 = p[P.BATCH0], batch1 = p[P.BATCH1], batch2 = p[P.BATCH2];
  const ae0 = p[P.A_EXT0], ae1 = p[P.A_EXT1], ae2 = p[P.A_EXT2];
  const be0 = p[P.B_EXT0], be1 = p[P.B_EXT1], be2 = p[P.B_EXT2];
  const rows = p[P.ROWS], cols = p[P.COLS], accum = p[P.ACCUM];
  const out = d.output, type = d.type;
  const fOff = d.filterOffset, iOff = d.inputOffset, oOff = d.outputOffset;
  const mult = d.multiplier, shift = d.shift, min = d.min, max = d.max;
  const fround = Math.fround;
  for (let b0 = 0; b0 < batch0; b0++) {
    for (let b1 = 0; b1 < batch1; b1++) {
      for (let b2 = 0; b2 < batch2; b2++) {
        const aBase = b0 * ae0 + b1 * ae1 + b2 * ae2, bBase = b0 * be0 + b1 * be1 + b2 * be2;
        const outBase = ((b0 * batch1 + b1) * batch2 + b2) * rows * cols;
        for (let j = 0; j < cols; j++) {
          const bRow = bBase + j * accum;
          for (let i = 0; i < rows; i++) {
            const aRow = aBase + accum * i;
            let total = 0;
            if (type === TensorType.FLOAT32) {
              for (let k = 0; k < accum; k++) total = fround(total + fround(aData[aRow + k] * bData[bRow + k]));
              out[outBase + rows * j + i] = total;
              continue;
            }
            for (let k = 0; k < accum; k++) total += (aData[aRow + k] + fOff) * (bData[bRow + k] + iOff);
            let v = type === TensorType.INT8 ? multiplyByQuantizedMultiplier(total | 0, mult, shift) : multiplyByQuantizedMultiplier64(total, mult, shift);
            v += oOff;
            out[outBase + rows * j + i] = v < min ? min : v > max ? max : v;
          }
        }
      }
    }
  }
}

export const BATCH_MATMUL: Kernel<BatchMatMulData> = Object.freeze({
  code: 126,
  name: 'BATCH_MATMUL',
  options: 'BatchMatMulOptions',
  types: Object.freeze(['float32', 'int8', 'int16']),
  prepare,
  eval: evalBatchMatMul,
});
