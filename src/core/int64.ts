// int64 tensors are held as Int32Array (low, high) pairs (types.ts): reading one as a double is
// exact for |v| < 2^53, the only form the engine's int64 values (biases, accumulators) take.

/** Element `i` of an int64 tensor's (low, high) pair view, as a double. */
export function int64At(data: ArrayLike<number>, i: number): number {
  return (data[2 * i] >>> 0) + data[2 * i + 1] * 4294967296;
}

/** Writes `value` (an integer, |value| < 2^53) as element `i` of an int64 pair view. */
export function setInt64At(data: { [k: number]: number }, i: number, value: number): void {
  const high = Math.floor(value / 4294967296);
  data[2 * i] = (value - high * 4294967296) | 0;
  data[2 * i + 1] = high | 0;
}
