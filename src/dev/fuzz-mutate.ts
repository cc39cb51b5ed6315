// Seeded, structure-aware mutations of .tflite files for the fuzzer. A map of where each kind of
// field sits in a valid model (offsets, vector lengths, vtables, tensor indices, shape dims,
// option scalars...) lets most mutations hit the fields a verifier must police, instead of
// flipping bits the reader never looks at.
import { FlatReader } from '../core/flatbuffer.js';
import { BUILTIN_OPTIONS, BUILTIN_OPTIONS_2, BUILTIN_OPERATOR_NAMES } from '../core/schema.js';

/** sfc32: small, fast, and the same sequence on every engine for a given seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = 1;
    for (const s of seeds) {
      this.a ^= s >>> 0;
      this.b ^= Math.floor(s / 4294967296) >>> 0;
      for (let i = 0; i < 12; i++) this.u32();
    }
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** 0 <= n < bound. */
  below(bound: number): number {
    return bound <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * bound);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)];
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
}

/** FNV-1a over bytes: names a mutated file and seeds its inputs, so the file alone replays. */
export function hashBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

interface Scalar { pos: number; size: number }

export interface FieldMap {
  /** uoffset_t fields: table and vector references. */
  offsets: number[];
  vectorLengths: { pos: number; elementSize: number }[];
  /** Table starts (their soffset to the vtable) and vtable starts. */
  tables: number[];
  vtables: number[];
  tensorIndices: { pos: number; count: number }[];
  shapeDims: number[];
  tensorTypes: number[];
  bufferIndices: { pos: number; count: number }[];
  opcodeIndices: { pos: number; count: number }[];
  builtinCodes: Scalar[];
  optionScalars: Scalar[];
  scales: number[];
  zeroPoints: number[];
  quantizedDims: number[];
}

const SIZE_OF: Record<string, number> = { b: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, i64: 8, u64: 8, f32: 4, f64: 8 };

/**
 * Walks a valid model the way the reader does and records field positions. A model the walk
 * cannot finish still yields what was found up to that point.
 */
export function mapModel(bytes: Uint8Array): FieldMap {
  const map: FieldMap = {
    offsets: [0], vectorLengths: [], tables: [], vtables: [], tensorIndices: [], shapeDims: [], tensorTypes: [],
    bufferIndices: [], opcodeIndices: [], builtinCodes: [], optionScalars: [], scales: [], zeroPoints: [], quantizedDims: [],
  };
  const r = new FlatReader(bytes);
  const seenTables = new Set<number>();
  const table = (t: number) => {
    if (seenTables.has(t)) return;
    seenTables.add(t);
    map.tables.push(t);
    map.vtables.push(t - r.i32(t));
  };
  const fieldPos = (t: number, slot: number) => r.field(t, slot, 'map');
  const child = (t: number, slot: number): number => {
    const p = fieldPos(t, slot);
    if (!p) return 0;
    map.offsets.push(p);
    const c = r.indirect(p, 'map');
    table(c);
    return c;
  };
  /** Element start and count of a vector field (-1 when absent); records its offset and length. */
  const vector = (t: number, slot: number, elementSize: number): [number, number] => {
    const p = fieldPos(t, slot);
    if (!p) return [-1, 0];
    map.offsets.push(p);
    const start = r.vector(t, slot, elementSize, 'map');
    map.vectorLengths.push({ pos: start - 4, elementSize });
    return [start, r.lastLength];
  };
  const tables = (t: number, slot: number): number[] => {
    const [start, n] = vector(t, slot, 4);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      map.offsets.push(start + 4 * i);
      const c = r.indirect(start + 4 * i, 'map');
      table(c);
      out.push(c);
    }
    return out;
  };
  const indices = (t: number, slot: number, count: number, into: { pos: number; count: number }[]) => {
    const [start, n] = vector(t, slot, 4);
    for (let i = 0; i < n; i++) into.push({ pos: start + 4 * i, count });
  };
  try {
    const root = r.root('TFL3');
    table(root);
    const codes = tables(root, 1);
    for (const c of codes) {
      const p0 = fieldPos(c, 0);
      if (p0) map.builtinCodes.push({ pos: p0, size: 1 });
      const p3 = fieldPos(c, 3);
      if (p3) map.builtinCodes.push({ pos: p3, size: 4 });
      vector(c, 1, 1);
    }
    const buffers = tables(root, 4);
    for (const b of buffers) vector(b, 0, 1);
    for (const sg of tables(root, 2)) {
      const tensors = tables(sg, 0);
      for (const t of tensors) {
        const [shapeStart, rank] = vector(t, 0, 4);
        for (let i = 0; i < rank; i++) map.shapeDims.push(shapeStart + 4 * i);
        const typePos = fieldPos(t, 1);
        if (typePos) map.tensorTypes.push(typePos);
        const bufferPos = fieldPos(t, 2);
        if (bufferPos) map.bufferIndices.push({ pos: bufferPos, count: buffers.length });
        vector(t, 3, 1);
        const q = child(t, 4);
        if (q) {
          const [scaleStart, scales] = vector(q, 2, 4);
          for (let i = 0; i < scales; i++) map.scales.push(scaleStart + 4 * i);
          const [zpStart, zps] = vector(q, 3, 8);
          for (let i = 0; i < zps; i++) map.zeroPoints.push(zpStart + 8 * i);
          const qd = fieldPos(q, 6);
          if (qd) map.quantizedDims.push(qd);
        }
      }
      indices(sg, 1, tensors.length, map.tensorIndices);
      indices(sg, 2, tensors.length, map.tensorIndices);
      for (const op of tables(sg, 3)) {
        const opcodePos = fieldPos(op, 0);
        if (opcodePos) map.opcodeIndices.push({ pos: opcodePos, count: codes.length });
        indices(op, 1, tensors.length, map.tensorIndices);
        indices(op, 2, tensors.length, map.tensorIndices);
        indices(op, 8, tensors.length, map.tensorIndices);
        const optionsType = r.scalar(op, 3, 'u8', 0, 'map');
        const options2Type = r.scalar(op, 11, 'u8', 0, 'map');
        const optionsTypePos = fieldPos(op, 3);
        if (optionsTypePos) map.optionScalars.push({ pos: optionsTypePos, size: 1 });
        for (const [type, slot, list] of [[optionsType, 4, BUILTIN_OPTIONS], [options2Type, 12, BUILTIN_OPTIONS_2]] as const) {
          if (!type || !list[type - 1]) continue;
          const o = child(op, slot);
          if (!o) continue;
          const fields = list[type - 1][1];
          for (let s = 0; s < fields.length; s++) {
            const f = fields[s];
            if (!f) continue;
            if (f[1] === 'vi32') {
              const [start, n] = vector(o, s, 4);
              for (let i = 0; i < n; i++) map.optionScalars.push({ pos: start + 4 * i, size: 4 });
            } else if (SIZE_OF[f[1]]) {
              const p = fieldPos(o, s);
              if (p) map.optionScalars.push({ pos: p, size: SIZE_OF[f[1]] });
            }
          }
        }
      }
    }
  } catch {
    // A partial map is still useful.
  }
  return map;
}

export interface Mutation {
  bytes: Uint8Array;
  /** What was done, for the failure report. */
  steps: string[];
}

const INT32_EDGES = [0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
  0x7fffffff, -0x80000000, 0x40000000, 0x3fffffff, 0x10000000, 1 << 20, 1 << 24, -2, -128];

type Mutator = (bytes: Uint8Array, map: FieldMap, rng: Rng) => { bytes: Uint8Array; step: string } | null;

/** Little-endian, two's complement; 8-byte fields get the sign-extended high word. */
function writeInt(bytes: Uint8Array, pos: number, size: number, value: number): void {
  const low = value >>> 0, high = Math.floor(value / 4294967296) >>> 0;
  for (let i = 0; i < size && pos + i < bytes.length; i++) {
    bytes[pos + i] = i < 4 ? (low >>> (8 * i)) & 255 : (high >>> (8 * (i - 4))) & 255;
  }
}

function readInt32(bytes: Uint8Array, pos: number): number {
  return bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24);
}

function edgeFor(size: number, rng: Rng, near?: number): number {
  const choices: number[] = size === 1 ? [0, 1, 2, 3, 5, 6, 7, 127, -128, -1, 255, 100]
    : size === 2 ? [0, 1, 2, 3, 4, 0xffff, 0x7fff, 0x8000, 0xfffe, 5]
      : INT32_EDGES;
  if (near !== undefined && rng.chance(0.3)) return near + rng.pick([-2, -1, 1, 2, 4, -4]);
  return rng.chance(0.15) ? rng.u32() | 0 : rng.pick(choices);
}

const bitFlip: Mutator = (bytes, _map, rng) => {
  const n = 1 + rng.below(8);
  const out = bytes.slice();
  for (let i = 0; i < n; i++) out[rng.below(out.length)] ^= 1 << rng.below(8);
  return { bytes: out, step: `flip ${n} bits` };
};

const byteRun: Mutator = (bytes, _map, rng) => {
  const length = rng.pick([1, 2, 3, 4, 8, 16, 64, 256]);
  const at = rng.below(bytes.length);
  const value = rng.pick([0, 0xff, 0x7f, 0x80, -1]);
  const out = bytes.slice();
  for (let i = at; i < Math.min(out.length, at + length); i++) out[i] = value < 0 ? rng.below(256) : value;
  return { bytes: out, step: `run of ${length} x ${value < 0 ? 'random' : value} at ${at}` };
};

const truncate: Mutator = (bytes, map, rng) => {
  const n = bytes.length;
  const sizeClass = rng.below(6);
  let size: number;
  if (sizeClass === 0) size = rng.below(Math.min(n, 8));
  else if (sizeClass === 1) size = 8 + rng.below(Math.max(1, Math.min(n, 64) - 8));
  else if (sizeClass === 2) size = rng.below(n);
  else if (sizeClass === 3) size = n - 1 - rng.below(Math.min(n, 16));
  else if (sizeClass === 4 && map.offsets.length) size = rng.pick(map.offsets) + rng.below(5);
  else size = (map.vectorLengths.length ? rng.pick(map.vectorLengths).pos : n >> 1) + rng.below(8);
  size = Math.max(0, Math.min(n - 1, size));
  return { bytes: bytes.slice(0, size), step: `truncate to ${size} of ${n}` };
};

const offsetEdge: Mutator = (bytes, map, rng) => {
  if (!map.offsets.length) return null;
  const pos = rng.pick(map.offsets);
  const n = bytes.length;
  const current = readInt32(bytes, pos) >>> 0;
  const value = rng.pick([0, 1, 2, 3, 4, n - pos, n - pos - 1, n - pos - 2, n - pos - 3, n - pos - 4, n - pos - 8, n - pos + 1,
    0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, current + 4, current - 4, current + 1, current + 2, rng.below(n)]);
  const out = bytes.slice();
  writeInt(out, pos, 4, value);
  return { bytes: out, step: `offset at ${pos}: ${current} -> ${value >>> 0}` };
};

const lengthEdge: Mutator = (bytes, map, rng) => {
  if (!map.vectorLengths.length) return null;
  const { pos, elementSize } = rng.pick(map.vectorLengths);
  const current = readInt32(bytes, pos) >>> 0;
  const room = Math.floor((bytes.length - pos - 4) / elementSize);
  const value = rng.pick([0, 1, 2, current + 1, current - 1, current * 2, room, room + 1, 0xffffffff, 0x7fffffff,
    0x40000000, 0x20000000, 0x80000000, rng.below(65536)]);
  const out = bytes.slice();
  writeInt(out, pos, 4, value);
  return { bytes: out, step: `vector length at ${pos}: ${current} -> ${value >>> 0}` };
};

const vtableCorrupt: Mutator = (bytes, map, rng) => {
  if (!map.tables.length) return null;
  const out = bytes.slice();
  const kind = rng.below(4);
  if (kind === 0) {
    const t = rng.pick(map.tables);
    const current = readInt32(bytes, t);
    const value = rng.pick([0, 4, -4, 1, current + 2, current - 2, current + 4, t, t + 1, t - bytes.length, -bytes.length,
      0x7fffffff, -0x80000000, rng.u32() | 0]);
    writeInt(out, t, 4, value);
    return { bytes: out, step: `table soffset at ${t}: ${current} -> ${value}` };
  }
  const v = rng.pick(map.vtables);
  if (v < 0 || v + 4 > bytes.length) return null;
  const vtableSize = bytes[v] | (bytes[v + 1] << 8);
  const tableSize = bytes[v + 2] | (bytes[v + 3] << 8);
  if (kind === 1) {
    const value = rng.pick([0, 1, 2, 3, 5, vtableSize + 2, vtableSize - 2, vtableSize + 1, 0xffff, 0xfffe, 4]);
    writeInt(out, v, 2, value);
    return { bytes: out, step: `vtable size at ${v}: ${vtableSize} -> ${value}` };
  }
  if (kind === 2) {
    const value = rng.pick([0, 1, 2, 3, 4, tableSize - 1, tableSize + 4, 0xffff, 0x8000]);
    writeInt(out, v + 2, 2, value);
    return { bytes: out, step: `table size at ${v + 2}: ${tableSize} -> ${value}` };
  }
  const slots = Math.max(1, (vtableSize - 4) >> 1);
  const at = v + 4 + 2 * rng.below(slots);
  const value = rng.pick([0, 1, 2, 3, 4, tableSize, tableSize - 1, tableSize - 2, tableSize - 3, 0xffff, 0x8000, rng.below(65536)]);
  writeInt(out, at, 2, value);
  return { bytes: out, step: `vtable entry at ${at} -> ${value}` };
};

const tensorIndex: Mutator = (bytes, map, rng) => {
  const list = map.tensorIndices;
  if (!list.length) return null;
  const out = bytes.slice();
  if (list.length > 1 && rng.chance(0.5)) {
    const a = rng.pick(list), b = rng.pick(list);
    if (Math.max(a.pos, b.pos) + 4 > out.length) return null;
    out.set(bytes.subarray(b.pos, b.pos + 4), a.pos);
    out.set(bytes.subarray(a.pos, a.pos + 4), b.pos);
    return { bytes: out, step: `swap tensor indices at ${a.pos} and ${b.pos}` };
  }
  const e = rng.pick(list);
  const value = rng.pick([-1, -2, e.count, e.count - 1, e.count + 1, 0, 0x7fffffff, -0x80000000, rng.below(e.count)]);
  writeInt(out, e.pos, 4, value);
  return { bytes: out, step: `tensor index at ${e.pos} -> ${value}` };
};

const shapeOrType: Mutator = (bytes, map, rng) => {
  const out = bytes.slice();
  if (map.tensorTypes.length && (rng.chance(0.3) || !map.shapeDims.length)) {
    const pos = rng.pick(map.tensorTypes);
    const value = rng.chance(0.8) ? rng.below(25) : rng.pick([-1, 127, -128, 100]);
    writeInt(out, pos, 1, value);
    return { bytes: out, step: `tensor type at ${pos}: ${bytes[pos]} -> ${value}` };
  }
  if (!map.shapeDims.length) return null;
  const pos = rng.pick(map.shapeDims);
  const current = readInt32(bytes, pos);
  const value = rng.pick([0, 1, -1, 2, current + 1, current - 1, current * 2, current * 1000, 65535, 65536, 1 << 20, 1 << 24,
    0x7fffffff, -0x80000000, 46341, 0x10000]);
  writeInt(out, pos, 4, value);
  return { bytes: out, step: `shape dim at ${pos}: ${current} -> ${value}` };
};

const indexField: Mutator = (bytes, map, rng) => {
  const out = bytes.slice();
  const kind = rng.below(3);
  if (kind === 0 && map.bufferIndices.length) {
    const e = rng.pick(map.bufferIndices);
    const value = rng.pick([0, e.count, e.count - 1, 0xffffffff, rng.below(e.count)]);
    writeInt(out, e.pos, 4, value);
    return { bytes: out, step: `buffer index at ${e.pos} -> ${value}` };
  }
  if (kind === 1 && map.opcodeIndices.length) {
    const e = rng.pick(map.opcodeIndices);
    const value = rng.pick([e.count, 0xffffffff, rng.below(e.count), rng.below(e.count)]);
    writeInt(out, e.pos, 4, value);
    return { bytes: out, step: `opcode index at ${e.pos} -> ${value}` };
  }
  if (!map.builtinCodes.length) return null;
  // Another op's kernel on this op's tensors and options: the kernel must validate what it gets.
  const e = rng.pick(map.builtinCodes);
  const value = e.size === 1 ? rng.below(127) : rng.chance(0.9) ? rng.below(BUILTIN_OPERATOR_NAMES.length) : rng.pick([-1, 1000, 127]);
  writeInt(out, e.pos, e.size, value);
  return { bytes: out, step: `builtin code at ${e.pos} -> ${value}` };
};

const optionValue: Mutator = (bytes, map, rng) => {
  if (!map.optionScalars.length) return null;
  const e = rng.pick(map.optionScalars);
  const out = bytes.slice();
  const value = edgeFor(e.size, rng, e.size === 4 ? readInt32(bytes, e.pos) : bytes[e.pos]);
  writeInt(out, e.pos, e.size, value);
  return { bytes: out, step: `option at ${e.pos} (${e.size} bytes) -> ${value}` };
};

const F32_EDGES = [0, -0, -1, NaN, Infinity, -Infinity, 1e-45, 1e-38, 1e30, 3.4e38, 1e-10, 0.5, 2, 1 / 256];

const quantization: Mutator = (bytes, map, rng) => {
  const out = bytes.slice();
  const kind = rng.below(3);
  if (kind === 0 && map.scales.length) {
    const pos = rng.pick(map.scales);
    const value = rng.pick(F32_EDGES);
    if (pos + 4 > out.length) return null;
    out.set(new Uint8Array(new Float32Array([value]).buffer), pos);
    return { bytes: out, step: `scale at ${pos} -> ${value}` };
  }
  if (kind === 1 && map.zeroPoints.length) {
    const pos = rng.pick(map.zeroPoints);
    const value = rng.pick([0, -128, 127, 128, -129, 255, 32767, -32768, 0x7fffffff, -0x80000000]);
    writeInt(out, pos, 8, value);
    if (rng.chance(0.1)) out[pos + 7] = 0x7f;
    return { bytes: out, step: `zero point at ${pos} -> ${value}` };
  }
  if (!map.quantizedDims.length) return null;
  const pos = rng.pick(map.quantizedDims);
  const value = rng.pick([0, 1, 2, 3, 4, -1, 16, 0x7fffffff]);
  writeInt(out, pos, 4, value);
  return { bytes: out, step: `quantized dimension at ${pos} -> ${value}` };
};

const splice: Mutator = (bytes, _map, rng) => {
  const length = 1 + rng.below(Math.min(64, bytes.length));
  const from = rng.below(bytes.length - length + 1), to = rng.below(bytes.length - length + 1);
  const out = bytes.slice();
  if (rng.chance(0.5)) {
    out.set(bytes.subarray(from, from + length), to);
    return { bytes: out, step: `copy ${length} bytes from ${from} to ${to}` };
  }
  // Insert or delete shifts everything after: every offset spanning the point goes stale.
  const grown = new Uint8Array(bytes.length + length);
  grown.set(bytes.subarray(0, to));
  for (let i = 0; i < length; i++) grown[to + i] = rng.below(256);
  grown.set(bytes.subarray(to), to + length);
  if (rng.chance(0.5)) return { bytes: grown, step: `insert ${length} bytes at ${to}` };
  const shrunk = new Uint8Array(bytes.length - length);
  shrunk.set(bytes.subarray(0, from));
  shrunk.set(bytes.subarray(from + length), from);
  return { bytes: shrunk, step: `delete ${length} bytes at ${from}` };
};

/** Weighted: the structure-aware mutators reach past the reader, into allocate and invoke. */
const MUTATORS: [Mutator, number][] = [
  [bitFlip, 10], [byteRun, 6], [truncate, 6], [offsetEdge, 10], [lengthEdge, 8], [vtableCorrupt, 8],
  [tensorIndex, 10], [shapeOrType, 12], [indexField, 10], [optionValue, 12], [quantization, 6], [splice, 4],
];
const TOTAL_WEIGHT = MUTATORS.reduce((sum, [, w]) => sum + w, 0);

/** One to three mutations of `bytes` (never in place), chosen and applied by `rng`. */
export function mutate(bytes: Uint8Array, map: FieldMap, rng: Rng): Mutation {
  const count = rng.chance(0.7) ? 1 : rng.chance(0.6) ? 2 : 3;
  let current = bytes;
  const steps: string[] = [];
  for (let i = 0; i < count && current.length > 0; i++) {
    for (let attempt = 0; attempt < 8; attempt++) {
      let roll = rng.below(TOTAL_WEIGHT);
      let mutator = MUTATORS[0][0];
      for (const [m, w] of MUTATORS) {
        if (roll < w) { mutator = m; break; }
        roll -= w;
      }
      const result = mutator(current, map, rng);
      if (result) {
        current = result.bytes;
        steps.push(result.step);
        break;
      }
    }
  }
  if (current === bytes) current = bytes.slice();
  return { bytes: current, steps };
}

/** Input bytes for a model run, derived from the model's own bytes so a saved file replays alone. */
export function fillInput(bytes: Uint8Array, isFloat32: boolean, rng: Rng): void {
  const mode = rng.below(4);
  if (mode === 0) return; // zeros
  if (mode === 1 || !isFloat32) {
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.below(256);
    return;
  }
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  for (let i = 0; i < floats.length; i++) {
    floats[i] = mode === 2 ? rng.pick(F32_EDGES) : (rng.u32() / 4294967296 - 0.5) * rng.pick([1, 10, 1000, 1e6]);
  }
}
