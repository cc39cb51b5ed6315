// TFLM's signal/src/circular_buffer.cc, as the Signal framer, stacker and delay kernels use it:
// int16 rings in the arena's persistent tail. Ring k of a kernel owns `capacity` samples of
// `buf` from k·capacity and three int32 of `st` from k·stride: read, write, empty (1 when
// empty, which tells a full ring from an empty one when read = write). TFLM keeps a mirrored
// second copy of each ring for contiguous peeks; the calls used here never read it, so the
// rings hold just the primary half, whose contents are the same.

/** CircularBufferReset: empty (the samples' values do not matter once nothing is available). */
export function cbReset(st: Int32Array, s: number): void {
  st[s] = 0; st[s + 1] = 0; st[s + 2] = 1;
}

/** CircularBufferAvailable. */
export function cbAvailable(st: Int32Array, s: number, capacity: number): number {
  const diff = st[s + 1] - st[s];
  if (diff > 0) return diff;
  if (diff < 0) return capacity + diff;
  return st[s + 2] === 1 ? 0 : capacity;
}

/** CircularBufferWrite of src[from, from + n); the caller has checked it fits. */
export function cbWrite(buf: Int16Array, base: number, capacity: number, st: Int32Array, s: number, src: Int16Array, from: number, n: number): void {
  if (n <= 0) return;
  let w = st[s + 1];
  for (let i = 0; i < n; i++) {
    buf[base + w] = src[from + i];
    if (++w === capacity) w = 0;
  }
  st[s + 1] = w; st[s + 2] = 0;
}

/** CircularBufferWriteZeros. */
export function cbWriteZeros(buf: Int16Array, base: number, capacity: number, st: Int32Array, s: number, n: number): void {
  if (n <= 0) return;
  let w = st[s + 1];
  for (let i = 0; i < n; i++) {
    buf[base + w] = 0;
    if (++w === capacity) w = 0;
  }
  st[s + 1] = w; st[s + 2] = 0;
}

/** CircularBufferGet: copies n available samples from the read position into dst[at, at + n). */
export function cbGet(buf: Int16Array, base: number, capacity: number, st: Int32Array, s: number, n: number, dst: Int16Array, at: number): void {
  let r = st[s];
  for (let i = 0; i < n; i++) {
    dst[at + i] = buf[base + r];
    if (++r === capacity) r = 0;
  }
}

/** CircularBufferDiscard (n > 0, at most the samples available). */
export function cbDiscard(st: Int32Array, s: number, capacity: number, n: number): void {
  let r = st[s] + n;
  if (r >= capacity) r -= capacity;
  st[s] = r;
  if (r === st[s + 1]) st[s + 2] = 1;
}

/** CircularBufferExtend: writes the last `count` samples written `n` more times. */
export function cbExtend(buf: Int16Array, base: number, capacity: number, st: Int32Array, s: number, count: number, n: number): void {
  if (n <= 0 || count <= 0) return;
  let w = st[s + 1];
  const start = count > w ? w + capacity - count : w - count;
  for (let k = 0; k < n; k++) {
    let from = start;
    for (let i = 0; i < count; i++) {
      buf[base + w] = buf[base + from];
      if (++w === capacity) w = 0;
      if (++from === capacity) from = 0;
    }
  }
  st[s + 1] = w;
}
