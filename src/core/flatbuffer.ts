// A bounds-checked reader of FlatBuffers tables over the model's bytes.
//
// We do not use the `flatbuffers` runtime's ByteBuffer on the device: it constructs a
// TextDecoder (not a global in XS) and decodes floats through module-level scratch typed
// arrays, which are read-only once Moddable preloads the module. Every read here is checked
// against the file's length first, so a crafted offset raises a ModelError, never a RangeError.
import { ModelError } from './errors.js';

export class FlatReader {
  readonly bytes: Uint8Array;
  readonly length: number;

  /**
   * Reads left before the reader gives up (Infinity: no limit). Tables and vectors may be
   * shared, so a small file can reference one big vector millions of times; the budget bounds
   * the reader's work and memory by the file's length however the references are arranged.
   */
  budget = Infinity;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.length = bytes.length;
  }

  /** Charges `units` (table visits, vector elements) to the budget. */
  spend(units: number, what: string): void {
    this.budget -= units;
    if (this.budget < 0) {
      throw new ModelError(`${what}: the file's tables are shared so often that reading them means more data than ${this.length} bytes can hold`);
    }
  }

  check(position: number, size: number, what: string): void {
    if (!(position >= 0 && position + size <= this.length)) {
      throw new ModelError(`${what}: bytes ${position}..${position + size} lie outside the ${this.length}-byte file`);
    }
  }

  u8(p: number): number { return this.bytes[p]; }
  i8(p: number): number { return (this.bytes[p] << 24) >> 24; }
  u16(p: number): number { const b = this.bytes; return b[p] | (b[p + 1] << 8); }
  i16(p: number): number { return (this.u16(p) << 16) >> 16; }
  i32(p: number): number { const b = this.bytes; return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24); }
  u32(p: number): number { return this.i32(p) >>> 0; }
  /** A 64-bit integer as a double; exact up to 2^53, which bounds every size in a valid file. */
  i64(p: number): number { return this.u32(p) + this.i32(p + 4) * 4294967296; }
  f32(p: number): number {
    const bits = this.u32(p);
    const exponent = (bits >>> 23) & 0xff;
    const fraction = bits & 0x7fffff;
    const sign = bits >>> 31 ? -1 : 1;
    if (exponent === 0xff) return fraction ? NaN : sign * Infinity;
    if (exponent === 0) return sign * fraction * 1.401298464324817e-45; // 2^-149
    return sign * (fraction + 8388608) * Math.pow(2, exponent - 150);
  }

  /** Position of the root table, after checking the 4-byte file identifier. */
  root(identifier: string): number {
    if (this.length < 8) throw new ModelError(`file is ${this.length} bytes, too short to be a TFLite model`);
    let found = '';
    for (let i = 0; i < 4; i++) found += String.fromCharCode(this.bytes[4 + i]);
    if (found !== identifier) {
      throw new ModelError(`bad file identifier "${printable(found)}", expected "${identifier}": not a TFLite flatbuffer`);
    }
    return this.indirect(0, 'root table offset');
  }

  /** Follows the uoffset stored at `p`; checks the target holds at least 4 bytes. */
  indirect(p: number, what: string): number {
    this.spend(8, what);
    this.check(p, 4, what);
    const target = p + this.u32(p);
    this.check(target, 4, what);
    return target;
  }

  /** The position of field `slot` of the table at `table`, or 0 if the field is absent. */
  field(table: number, slot: number, what: string): number {
    this.check(table, 4, what);
    const vtable = table - this.i32(table);
    this.check(vtable, 4, `${what} vtable`);
    const vtableSize = this.u16(vtable);
    if (vtableSize < 4 || (vtableSize & 1)) throw new ModelError(`${what}: vtable size ${vtableSize} is invalid`);
    this.check(vtable, vtableSize, `${what} vtable`);
    const tableSize = this.u16(vtable + 2);
    this.check(table, tableSize, what);
    const entry = 4 + 2 * slot;
    if (entry >= vtableSize) return 0;
    const offset = this.u16(vtable + entry);
    if (offset === 0) return 0;
    if (offset >= tableSize) throw new ModelError(`${what}: field ${slot} at ${offset} lies past the table's ${tableSize} bytes`);
    return table + offset;
  }

  scalar(table: number, slot: number, kind: string, dflt: number, what: string): number {
    const p = this.field(table, slot, what);
    if (p === 0) return dflt;
    const size = SCALAR_SIZE[kind];
    this.check(p, size, what);
    switch (kind) {
      case 'b': return this.u8(p) ? 1 : 0;
      case 'u8': return this.u8(p);
      case 'i8': return this.i8(p);
      case 'u16': return this.u16(p);
      case 'i16': return this.i16(p);
      case 'u32': return this.u32(p);
      case 'i32': return this.i32(p);
      case 'i64': case 'u64': return this.i64(p);
      case 'f32': return this.f32(p);
      case 'f64': return this.f64(p);
      default: throw new ModelError(`${what}: unknown scalar kind ${kind}`);
    }
  }

  f64(p: number): number {
    const low = this.u32(p), high = this.u32(p + 4);
    const exponent = (high >>> 20) & 0x7ff;
    const sign = high >>> 31 ? -1 : 1;
    const fraction = (high & 0xfffff) * 4294967296 + low;
    if (exponent === 0x7ff) return fraction ? NaN : sign * Infinity;
    if (exponent === 0) return sign * fraction * Math.pow(2, -1074);
    return sign * (fraction + 4503599627370496) * Math.pow(2, exponent - 1075);
  }

  /** Table referenced by field `slot`, or 0 if absent. */
  table(table: number, slot: number, what: string): number {
    const p = this.field(table, slot, what);
    return p === 0 ? 0 : this.indirect(p, what);
  }

  /**
   * Vector referenced by field `slot`: returns its element start and sets `lastLength`.
   * Returns -1 when the field is absent. The whole vector is checked against the file.
   */
  vector(table: number, slot: number, elementSize: number, what: string): number {
    const p = this.field(table, slot, what);
    if (p === 0) { this.lastLength = 0; return -1; }
    const start = this.indirect(p, what);
    const length = this.u32(start);
    if (length * elementSize > this.length - start - 4) {
      throw new ModelError(`${what}: vector of ${length} elements runs past the end of the file`);
    }
    this.spend(length, what);
    this.lastLength = length;
    return start + 4;
  }
  lastLength = 0;

  int32Vector(table: number, slot: number, what: string): Int32Array | null {
    const start = this.vector(table, slot, 4, what);
    if (start < 0) return null;
    const out = new Int32Array(this.lastLength);
    for (let i = 0; i < out.length; i++) out[i] = this.i32(start + 4 * i);
    return out;
  }

  /** A vector of int32 as a plain array: for what allocateTensors() reads (no typed array outside the arena). */
  int32List(table: number, slot: number, what: string): number[] | null {
    const start = this.vector(table, slot, 4, what);
    if (start < 0) return null;
    const out: number[] = [];
    for (let i = 0; i < this.lastLength; i++) out.push(this.i32(start + 4 * i));
    return out;
  }

  /** A vector of int64 read as doubles (exact up to 2^53). */
  int64Vector(table: number, slot: number, what: string): number[] | null {
    const start = this.vector(table, slot, 8, what);
    if (start < 0) return null;
    const out: number[] = [];
    for (let i = 0; i < this.lastLength; i++) out.push(this.i64(start + 8 * i));
    return out;
  }

  /**
   * A vector of float32: a view over the file's bytes where they are 4-byte aligned (as the
   * converter writes them; the little-endian layout the targets share, as for weights read in
   * place), so per-channel scales cost no copy at load; else a copy.
   */
  float32Vector(table: number, slot: number, what: string): Float32Array | null {
    const start = this.vector(table, slot, 4, what);
    if (start < 0) return null;
    const bytes = this.bytes, at = bytes.byteOffset + start;
    if (at % 4 === 0) return new Float32Array(bytes.buffer, at, this.lastLength);
    const out = new Float32Array(this.lastLength);
    for (let i = 0; i < out.length; i++) out[i] = this.f32(start + 4 * i);
    return out;
  }

  /**
   * String field `slot`, refused past `limit` bytes before a byte of it is decoded: names end up
   * in error messages and in the heap of every loaded model.
   */
  string(table: number, slot: number, what: string, limit: number = MAX_NAME_BYTES): string {
    const start = this.vector(table, slot, 1, what);
    if (start < 0) return '';
    if (this.lastLength > limit) throw new ModelError(`${what}: string of ${this.lastLength} bytes, over the limit of ${limit}`);
    return decodeUtf8(this.bytes, start, this.lastLength);
  }
}

Object.freeze(FlatReader.prototype);

/** Longest name (tensor, subgraph, custom op, metadata, string option) a model may carry, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 4096;

const SCALAR_SIZE: Readonly<Record<string, number>> = Object.freeze({ b: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, i64: 8, u64: 8, f32: 4, f64: 8 });

/**
 * Code units decoded before they are turned into a string: bounds the argument list of
 * fromCharCode (Espruino's Function.apply takes at most 256; a unit pushed past 255 can be the
 * second of a surrogate pair, hence 254).
 */
const DECODE_CHUNK = 254;

/**
 * UTF-8 to string without TextDecoder (absent on Moddable); invalid sequences become U+FFFD.
 * Linear time on XS, which copies a string at every `+=`: code units are gathered in bounded
 * chunks, each made a string in one call, and the chunks joined once.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, length: number): string {
  const end = start + length;
  let units: number[] = [];
  const parts: string[] = [];
  let i = start;
  while (i < end) {
    const b = bytes[i++];
    if (b < 0x80) {
      units.push(b);
    } else {
      let need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
      let code = need === 3 ? b & 7 : need === 2 ? b & 15 : b & 31;
      if (need < 0 || i + need > end) {
        code = 0xfffd;
      } else {
        while (need-- > 0) {
          const c = bytes[i];
          if ((c & 0xc0) !== 0x80) { code = 0xfffd; break; }
          code = (code << 6) | (c & 63);
          i++;
        }
      }
      if (code > 0x10ffff) units.push(0xfffd);
      else if (code > 0xffff) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
      else units.push(code);
    }
    if (units.length >= DECODE_CHUNK) {
      parts.push(String.fromCharCode.apply(null, units));
      units = []; // not `units.length = 0`: an array's length is read-only on Espruino
    }
  }
  if (units.length) parts.push(String.fromCharCode.apply(null, units));
  return parts.length === 1 ? parts[0] : parts.join('');
}

/** Characters of a name an error message quotes. */
export const MAX_QUOTED_CHARS = 100;

/** At most MAX_QUOTED_CHARS of a name, for error messages: a long one cannot flood a log. */
export function shortName(name: string): string {
  return name.length > MAX_QUOTED_CHARS ? `${name.slice(0, MAX_QUOTED_CHARS)}…` : name;
}

/** A name in quotes, shortened as by shortName. */
export function quoteName(name: string): string {
  return `"${shortName(name)}"`;
}

function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 32 && c < 127 ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}
