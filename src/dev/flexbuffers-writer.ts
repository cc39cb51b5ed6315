// A small flexbuffers encoder for host tools and tests: one root map of scalars and int vectors,
// written at a chosen byte width, as TFLite's converter writes custom options (detection
// post-processing, circular buffer, the Signal ops). Differential tests, the fuzzer's synthetic
// models and the reader's tests (every width, every offset) use it; device code only reads
// flexbuffers (core/flexbuffers.ts).

export type FlexValue =
  | { int: number } | { uint: number } | { bool: boolean } | { float: number } | { indirectInt: number }
  | { intVector: readonly number[] } | { untypedVector: readonly number[] } | { fixedInt: readonly number[] };
/** The scalars a converter writes; kept as a name for callers that write only those. */
export type FlexScalar = { int: number } | { bool: boolean } | { float: number };

export interface FlexWidths {
  /** Bytes per value in the map and its vectors (floats need 4 or 8). */
  width?: 1 | 2 | 4 | 8;
  /** Bytes per key offset. */
  keyWidth?: 1 | 2 | 4 | 8;
  /** Bytes of the root offset and its type byte's width. */
  rootWidth?: 1 | 2 | 4 | 8;
}

const TYPE = { INT: 1, UINT: 2, FLOAT: 3, INDIRECT_INT: 6, MAP: 9, VECTOR: 10, VECTOR_INT: 11, VECTOR_INT2: 16, BOOL: 26 } as const;
const LOG2: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };

/** The flexbuffers bytes of a map of `entries` (keys sorted as flexbuffers requires). */
export function flexbuffersMap(entries: readonly (readonly [string, FlexValue])[], widths: FlexWidths = {}): Uint8Array {
  const { width = 1, keyWidth = 1, rootWidth = 1 } = widths;
  const out: number[] = [];
  const put = (value: number, w: number) => {
    let v = BigInt.asUintN(w * 8, BigInt(Math.trunc(value)));
    for (let i = 0; i < w; i++) { out.push(Number(v & 0xffn)); v >>= 8n; }
  };
  const putAt = (at: number, value: number, w: number) => {
    let v = BigInt.asUintN(w * 8, BigInt(value));
    for (let i = 0; i < w; i++) { out[at + i] = Number(v & 0xffn); v >>= 8n; }
  };
  const putFloat = (value: number, w: number) => {
    if (w !== 4 && w !== 8) throw new Error(`a float needs width 4 or 8, not ${w}`);
    const view = new DataView(new ArrayBuffer(w));
    if (w === 4) view.setFloat32(0, value, true); else view.setFloat64(0, value, true);
    for (let i = 0; i < w; i++) out.push(view.getUint8(i));
  };
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const keyAt = sorted.map(([key]) => {
    const at = out.length;
    for (const c of key) out.push(c.charCodeAt(0) & 0x7f);
    out.push(0);
    return at;
  });
  // Out-of-line data first: flexbuffers offsets point backwards.
  const targets = sorted.map(([, value]) => {
    if ('intVector' in value || 'untypedVector' in value) {
      const list = 'intVector' in value ? value.intVector : value.untypedVector;
      put(list.length, width);
      const at = out.length;
      for (const x of list) put(x, width);
      if ('untypedVector' in value) for (let i = 0; i < list.length; i++) out.push(TYPE.INT << 2 | LOG2[width]);
      return at;
    }
    if ('fixedInt' in value) { const at = out.length; for (const x of value.fixedInt) put(x, width); return at; }
    if ('indirectInt' in value) { const at = out.length; put(value.indirectInt, 8); return at; }
    return -1;
  });
  put(sorted.length, keyWidth);
  const keysAt = out.length;
  for (const at of keyAt) put(out.length - at, keyWidth);
  const headerAt = out.length;
  put(0, width);
  put(keyWidth, width);
  put(sorted.length, width);
  putAt(headerAt, headerAt - keysAt, width);
  const valuesAt = out.length;
  const types: number[] = [];
  sorted.forEach(([, value], i) => {
    const here = out.length;
    if ('int' in value) { put(value.int, width); types.push(TYPE.INT << 2); }
    else if ('uint' in value) { put(value.uint, width); types.push(TYPE.UINT << 2); }
    else if ('bool' in value) { put(value.bool ? 1 : 0, width); types.push(TYPE.BOOL << 2); }
    else if ('float' in value) { putFloat(value.float, width); types.push(TYPE.FLOAT << 2); }
    else if ('indirectInt' in value) { put(here - targets[i], width); types.push(TYPE.INDIRECT_INT << 2 | 3); }
    else if ('intVector' in value) { put(here - targets[i], width); types.push(TYPE.VECTOR_INT << 2 | LOG2[width]); }
    else if ('untypedVector' in value) { put(here - targets[i], width); types.push(TYPE.VECTOR << 2 | LOG2[width]); }
    else if ('fixedInt' in value) { put(here - targets[i], width); types.push((TYPE.VECTOR_INT2 + 3 * (value.fixedInt.length - 2)) << 2 | LOG2[width]); }
    else throw new Error(`unknown flexbuffers value ${JSON.stringify(value)}`);
  });
  out.push(...types);
  const rootAt = out.length;
  put(rootAt - valuesAt, rootWidth);
  out.push(TYPE.MAP << 2 | LOG2[width], rootWidth);
  return new Uint8Array(out);
}
