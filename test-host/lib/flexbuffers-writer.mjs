// A small flexbuffers encoder for tests: one root map of scalars and int vectors, written with a
// chosen byte width, so the reader can be checked on hand-made options of every width.
// Entries: [key, value] with value {int}, {uint}, {bool}, {float}, {float64}, {indirectInt},
// {intVector: [...]}, {untypedVector: [...]}, {fixedInt: [...] (2..4)}.
const TYPE = { INT: 1, UINT: 2, FLOAT: 3, INDIRECT_INT: 6, MAP: 9, VECTOR: 10, VECTOR_INT: 11, VECTOR_INT2: 16, BOOL: 26 };
const LOG2 = { 1: 0, 2: 1, 4: 2, 8: 3 };

export function flexbuffersMap(entries, { width = 1, keyWidth = 1, rootWidth = 1 } = {}) {
  const out = [];
  const put = (value, w) => {
    let v = BigInt.asUintN(w * 8, BigInt(value));
    for (let i = 0; i < w; i++) { out.push(Number(v & 0xffn)); v >>= 8n; }
  };
  const putFloat = (value, w) => {
    const b = new DataView(new ArrayBuffer(w));
    if (w === 4) b.setFloat32(0, value, true); else b.setFloat64(0, value, true);
    for (let i = 0; i < w; i++) out.push(b.getUint8(i));
  };
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const keyPos = sorted.map(([key]) => {
    const at = out.length;
    for (const c of key) out.push(c.charCodeAt(0));
    out.push(0);
    return at;
  });
  // Out-of-line data first (flexbuffers offsets point backwards).
  const targets = sorted.map(([, v]) => {
    if (v.intVector || v.untypedVector) {
      const list = v.intVector ?? v.untypedVector;
      put(list.length, width);
      const at = out.length;
      for (const x of list) put(x, width);
      if (v.untypedVector) for (let i = 0; i < list.length; i++) out.push(TYPE.INT << 2 | LOG2[width]);
      return at;
    }
    if (v.fixedInt) { const at = out.length; for (const x of v.fixedInt) put(x, width); return at; }
    if (v.indirectInt !== undefined) { const at = out.length; put(v.indirectInt, 8); return at; }
    return -1;
  });
  put(sorted.length, keyWidth);
  const keysAt = out.length;
  keyPos.forEach(k => put(out.length - k, keyWidth));
  const headerAt = out.length;
  put(0, width); // keys offset, patched below
  put(keyWidth, width);
  put(sorted.length, width);
  const valuesAt = out.length;
  let offset = headerAt - keysAt;
  let v = BigInt.asUintN(width * 8, BigInt(offset));
  for (let i = 0; i < width; i++) { out[headerAt + i] = Number(v & 0xffn); v >>= 8n; }
  const types = [];
  sorted.forEach(([, value], i) => {
    const here = out.length;
    if (value.int !== undefined) { put(value.int, width); types.push(TYPE.INT << 2); }
    else if (value.uint !== undefined) { put(value.uint, width); types.push(TYPE.UINT << 2); }
    else if (value.bool !== undefined) { put(value.bool ? 1 : 0, width); types.push(TYPE.BOOL << 2); }
    else if (value.float !== undefined) { putFloat(value.float, width); types.push(TYPE.FLOAT << 2); }
    else if (value.indirectInt !== undefined) { put(here - targets[i], width); types.push(TYPE.INDIRECT_INT << 2 | 3); }
    else if (value.intVector) { put(here - targets[i], width); types.push(TYPE.VECTOR_INT << 2 | LOG2[width]); }
    else if (value.untypedVector) { put(here - targets[i], width); types.push(TYPE.VECTOR << 2 | LOG2[width]); }
    else if (value.fixedInt) { put(here - targets[i], width); types.push((TYPE.VECTOR_INT2 + 3 * (value.fixedInt.length - 2)) << 2 | LOG2[width]); }
    else throw new Error(`unknown value ${JSON.stringify(value)}`);
  });
  out.push(...types);
  const rootAt = out.length;
  put(rootAt - valuesAt, rootWidth);
  out.push(TYPE.MAP << 2 | LOG2[width], rootWidth);
  return new Uint8Array(out);
}
