// int8 × int8 dot products two rows at a time. XS meters every bytecode, so the cost of a
// multiply-add is mostly its loads and index arithmetic; packing the weights of two rows into
// one int32, w0 + w1 · 2^23, makes one multiply-add advance both sums. The sums share a double
// and are separated every PACK_CHUNK inputs, while the low sum still fits in 22 bits
// (PACK_CHUNK products of at most 2^14 each), so the result is exact. The packed copy costs
// 2 bytes of RAM per weight, in the arena's tail (granted by the interpreter's weightCacheBytes).
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

/** Int32 elements the packed copy of a [rows, depth] matrix takes. */
export function packedLength(rows: number, depth: number): number {
  return (rows >> 1) * depth;
}

/**
 * Packs rows (2p, 2p + 1) of a [rows, depth] int8 matrix into one int32 row per pair, pair p
 * at packed[at + p · depth] (an odd last row is left out).
 */
export function packInt8RowPairs(weights: ArrayLike<number>, rows: number, depth: number, packed: Int32Array, at: number): void {
  const pairs = rows >> 1;
  for (let p = 0; p < pairs; p++) {
    const low = 2 * p * depth, high = low + depth, start = at + p * depth;
    for (let d = 0; d < depth; d++) packed[start + d] = weights[low + d] + weights[high + d] * PACK_SCALE;
  }
}

/**
 * sums[0] = Σ x[xStart + d] · w0[d], sums[1] = Σ x[xStart + d] · w1[d] for d < depth, from the
 * packed pair row at packed[p]. `x` holds int8 values.
 */
export function dotPackedPair(x: TensorData, xStart: number, packed: Int32Array, p: number, depth: number, sums: Float64Array): void {
  let sumLow = 0, sumHigh = 0;
  let d = 0;
  const shift = p - xStart;
  let xi = xStart;
  const xEnd = xStart + depth;
  while (xi < xEnd) {
    let stop = xi + PACK_CHUNK;
    if (stop > xEnd) stop = xEnd;
    const stop4 = stop - ((stop - xi) & 3);
    let acc = 0;
    while (xi < stop4) {
      d = xi + shift;
      acc += x[xi] * packed[d] + x[xi + 1] * packed[d + 1] + x[xi + 2] * packed[d + 2] + x[xi + 3] * packed[d + 3];
      xi += 4;
    }
    while (xi < stop) {
      acc += x[xi] * packed[xi + shift];
      xi++;
    }
    // acc = low + high · 2^23 with |low| < 2^22: the rounded quotient is high.
    const high = Math.round(acc / PACK_SCALE);
    sumHigh += high;
    sumLow += acc - high * PACK_SCALE;
  }
  sums[0] = sumLow;
  sums[1] = sumHigh;
}
