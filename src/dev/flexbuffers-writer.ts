// A small flexbuffers encoder for host tools: one root map of int, bool and float scalars at one
// byte width, as TFLite's converter writes custom options (detection post-processing, circular
// buffer, the Signal ops). Differential tests and the fuzzer's synthetic models use it; device
// code only reads flexbuffers (core/flexbuffers.ts).

export type FlexScalar = { int: number } | { bool: boolean } | { float: number };

const INT = 1, FLOAT = 3, MAP = 9, BOOL = 26;
const LOG2: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

/** The flexbuffers bytes of a map of `entries` (keys sorted as flexbuffers requires), values `width` bytes wide. */
export function flexbuffersMap(entries: readonly (readonly [string, FlexScalar])[], width: 4 | 8 = 4): Uint8Array {
  const out: number[] = [];
  const put = (value: number, w: number) => {
    let v = BigInt.asUintN(w * 8, BigInt(Math.trunc(value)));
    for (let i = 0; i < w; i++) { out.push(Number(v & 0xffn)); v >>= 8n; }
  };
  const putFloat = (value: number, w: number) => {
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
  put(sorted.length, 1);
  const keysAt = out.length;
  for (const at of keyAt) put(out.length - at, 1);
  const headerAt = out.length;
  put(headerAt - keysAt, width);
  put(1, width);
  put(sorted.length, width);
  const valuesAt = out.length;
  const types: number[] = [];
  for (const [, value] of sorted) {
    if ('int' in value) { put(value.int, width); types.push(INT << 2); }
    else if ('bool' in value) { put(value.bool ? 1 : 0, width); types.push(BOOL << 2); }
    else { putFloat(value.float, width); types.push(FLOAT << 2); }
  }
  out.push(...types);
  const rootAt = out.length;
  put(rootAt - valuesAt, 1);
  out.push(MAP << 2 | LOG2[width], 1);
  return new Uint8Array(out);
}
