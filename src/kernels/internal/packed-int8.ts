// int8 × int8 dot products two rows at a time. XS meters every bytecode, so the cost of a
// multiply-add is mostly its loads and index arithmetic; packing the weights of two rows into
// one int32, w0 + w1 · 2^23, makes one multiply-add advance both sums. The sums share a double
// and are separated every PACK_CHUNK inputs, while the low sum still fits in 22 bits
// (PACK_CHUNK products of at most 2^14 each), so the result is exact. The packed copy costs
// 2 bytes of RAM per weight, outside the arena.
import type { TensorData } from '../../core/types.js';

/** The second row's weight is scaled by this in a packed weight. */
export const PACK_SCALE = 8388608; // 2^23
/** Inputs summed before the two packed sums are separated (keeps the low sum below 2^22). */
export const PACK_CHUNK = 128;
/**
 * Shorter rows are not worth their RAM: per pair of rows the packed pass pays a call and a
 * split that 8 rows a pass over weights in place (internal/int8-rows.ts) spread thinner; in XS
 * the two cost about the same at 32 values a row, and packing gains 10% at 64.
 */
export const PACK_MIN_DEPTH = 64;

/**
 * Packs rows (2p, 2p + 1) of a [rows, depth] int8 matrix into one int32 row per pair;
 * returns one view per pair (an odd last row is left out).
 */
export function packInt8RowPairs(weights: ArrayLike<number>, rows: number, depth: number): Int32Array[] {
  const pairs = rows >> 1;
  const packed = new Int32Array(pairs * depth);
  const views: Int32Array[] = [];
  for (let p = 0; p < pairs; p++) {
    const low = 2 * p * depth, high = low + depth, at = p * depth;
    for (let d = 0; d < depth; d++) packed[at + d] = weights[low + d] + weights[high + d] * PACK_SCALE;
    views.push(packed.subarray(at, at + depth));
  }
  return views;
}

/**
 * sums[0] = Σ x[d] · w0[d], sums[1] = Σ x[d] · w1[d] for d < depth, from a packed pair row.
 * `x` holds int8 values starting at index 0.
 */
export function dotPackedPair(x: TensorData, packed: Int32Array, depth: number, sums: Float64Array): void {
  let sumLow = 0, sumHigh = 0;
  let d = 0;
  while (d < depth) {
    let stop = d + PACK_CHUNK;
    if (stop > depth) stop = depth;
    const stop4 = stop - ((stop - d) & 3);
    let acc = 0;
    while (d < stop4) {
      acc += x[d] * packed[d] + x[d + 1] * packed[d + 1] + x[d + 2] * packed[d + 2] + x[d + 3] * packed[d + 3];
      d += 4;
    }
    while (d < stop) {
      acc += x[d] * packed[d];
      d++;
    }
    // acc = low + high · 2^23 with |low| < 2^22: the rounded quotient is high.
    const high = Math.round(acc / PACK_SCALE);
    sumHigh += high;
    sumLow += acc - high * PACK_SCALE;
  }
  sums[0] = sumLow;
  sums[1] = sumHigh;
}
