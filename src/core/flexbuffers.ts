// A reader for the flexbuffers custom options of custom operators (TFLM's Signal ops): the root
// map, and in it ints, uints, bools, floats and int vectors. The bytes come from the model file,
// so every offset, width and length is checked against them before it is read: anything out of
// bounds, a width that is not 1/2/4/8, or a value of the wrong kind is a ModelError naming the
// operator and the key. Nothing recurses: a map's values are read one level deep.
import { ModelError } from './errors.js';

/** flexbuffers value types (flexbuffers.h, enum Type) this reader understands. */
const enum FlexType {
  NULL = 0,
  INT = 1,
  UINT = 2,
  FLOAT = 3,
  INDIRECT_INT = 6,
  INDIRECT_UINT = 7,
  INDIRECT_FLOAT = 8,
  MAP = 9,
  VECTOR = 10,
  VECTOR_INT = 11,
  VECTOR_UINT = 12,
  VECTOR_INT2 = 16,
  VECTOR_UINT2 = 17,
  VECTOR_INT3 = 19,
  VECTOR_UINT3 = 20,
  VECTOR_INT4 = 22,
  VECTOR_UINT4 = 23,
  BOOL = 26,
}

/** The root map of one operator's custom options, as positions into its bytes. */
export interface FlexMap {
  readonly bytes: Uint8Array;
  /** Names the options in errors ("SignalWindow (operator 0) custom options"). */
  readonly what: string;
  readonly length: number;
  /** Position of the first value, their byte width, and of the type bytes after them. */
  readonly values: number;
  readonly width: number;
  readonly types: number;
  /** Position of the first key offset and the keys' byte width. */
  readonly keys: number;
  readonly keyWidth: number;
}

function fail(what: string, message: string): never {
  throw new ModelError(`${what}: ${message}`);
}

function checkWidth(what: string, width: number): void {
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8) fail(what, `byte width ${width} is not 1, 2, 4 or 8`);
}

function checkRange(what: string, bytes: Uint8Array, pos: number, size: number, field: string): void {
  if (!(pos >= 0) || !(size >= 0) || pos + size > bytes.length) {
    fail(what, `${field} (${size} bytes at ${pos}) is outside the ${bytes.length} bytes of options`);
  }
}

/** Unsigned little-endian integer of `width` bytes; 8-byte values past 2^53 come out inexact, which only ever fails a bounds check. */
function readUInt(bytes: Uint8Array, pos: number, width: number): number {
  if (width === 1) return bytes[pos];
  if (width === 2) return bytes[pos] | bytes[pos + 1] << 8;
  const lo = (bytes[pos] | bytes[pos + 1] << 8 | bytes[pos + 2] << 16 | bytes[pos + 3] << 24) >>> 0;
  if (width === 4) return lo;
  const hi = (bytes[pos + 4] | bytes[pos + 5] << 8 | bytes[pos + 6] << 16 | bytes[pos + 7] << 24) >>> 0;
  return hi * 4294967296 + lo;
}

function readInt(bytes: Uint8Array, pos: number, width: number): number {
  if (width === 1) return bytes[pos] << 24 >> 24;
  if (width === 2) return (bytes[pos] | bytes[pos + 1] << 8) << 16 >> 16;
  const lo = bytes[pos] | bytes[pos + 1] << 8 | bytes[pos + 2] << 16 | bytes[pos + 3] << 24;
  if (width === 4) return lo;
  const hi = bytes[pos + 4] | bytes[pos + 5] << 8 | bytes[pos + 6] << 16 | bytes[pos + 7] << 24;
  return hi * 4294967296 + (lo >>> 0);
}

/** IEEE float of 4 or 8 bytes, decoded by hand (no DataView: nothing is allocated). */
function readFloat(what: string, bytes: Uint8Array, pos: number, width: number): number {
  if (width === 4) {
    const bits = readUInt(bytes, pos, 4);
    const sign = bits >>> 31 ? -1 : 1, exponent = bits >>> 23 & 0xff, mantissa = bits & 0x7fffff;
    if (exponent === 0xff) return mantissa ? NaN : sign * Infinity;
    if (exponent === 0) return sign * mantissa * Math.pow(2, -149);
    return sign * (mantissa + 0x800000) * Math.pow(2, exponent - 150);
  }
  if (width === 8) {
    const lo = readUInt(bytes, pos, 4), hi = readUInt(bytes, pos + 4, 4);
    const sign = hi >>> 31 ? -1 : 1, exponent = hi >>> 20 & 0x7ff;
    const mantissa = (hi & 0xfffff) * 4294967296 + lo;
    if (exponent === 0x7ff) return mantissa ? NaN : sign * Infinity;
    if (exponent === 0) return sign * mantissa * Math.pow(2, -1074);
    return sign * (mantissa + 4503599627370496) * Math.pow(2, exponent - 1075);
  }
  return fail(what, `a float of ${width} bytes is not supported`);
}

/** Follows the offset stored at `pos` (`width` bytes): flexbuffers offsets point backwards. */
function follow(what: string, bytes: Uint8Array, pos: number, width: number, field: string): number {
  checkRange(what, bytes, pos, width, field);
  const offset = readUInt(bytes, pos, width);
  const target = pos - offset;
  if (!(target >= 0) || target >= bytes.length) fail(what, `${field} points outside the options (offset ${offset} at ${pos})`);
  return target;
}

/** Parses the root of `bytes` as a map; `what` names the options in errors. */
export function flexMap(bytes: Uint8Array | null, what: string): FlexMap {
  if (bytes === null || bytes.length < 3) fail(what, `missing or too short (${bytes ? bytes.length : 0} bytes): a flexbuffers map is expected`);
  const size = bytes.length;
  const rootWidth = bytes[size - 1];
  checkWidth(what, rootWidth);
  const packed = bytes[size - 2];
  const type = packed >> 2, width = 1 << (packed & 3);
  if (type !== FlexType.MAP) fail(what, `the root is of flexbuffers type ${type}, not a map`);
  const rootPos = size - 2 - rootWidth;
  const values = follow(what, bytes, rootPos, rootWidth, 'the root');
  checkRange(what, bytes, values - 3 * width, 3 * width, 'the map header');
  const length = readUInt(bytes, values - width, width);
  const keyWidth = readUInt(bytes, values - 2 * width, width);
  checkWidth(what, keyWidth);
  checkRange(what, bytes, values, length * width + length, `the map's ${length} values`);
  const keys = follow(what, bytes, values - 3 * width, width, 'the key vector');
  checkRange(what, bytes, keys - keyWidth, keyWidth + length * keyWidth, `the map's ${length} keys`);
  if (readUInt(bytes, keys - keyWidth, keyWidth) !== length) fail(what, 'the map has a different count of keys and values');
  return { bytes, what, length, values, width, types: values + length * width, keys, keyWidth };
}

/** Index of `key` in the map, or -1. Keys are ASCII, NUL-terminated, each within the bytes. */
export function flexFind(map: FlexMap, key: string): number {
  const bytes = map.bytes, size = bytes.length, keyLength = key.length;
  for (let i = 0; i < map.length; i++) {
    const at = follow(map.what, bytes, map.keys + i * map.keyWidth, map.keyWidth, `key ${i}`);
    let j = 0;
    while (j < keyLength && at + j < size && bytes[at + j] === key.charCodeAt(j)) j++;
    if (j === keyLength && at + j < size && bytes[at + j] === 0) return i;
  }
  return -1;
}

/** The key at index `i` (for messages and tests), at most 64 characters of it. */
export function flexKeyAt(map: FlexMap, i: number): string {
  if (!(i >= 0 && i < map.length)) fail(map.what, `no key ${i} in a map of ${map.length}`);
  const bytes = map.bytes;
  const at = follow(map.what, bytes, map.keys + i * map.keyWidth, map.keyWidth, `key ${i}`);
  let text = '';
  for (let j = at; j < bytes.length && j < at + 64 && bytes[j] !== 0; j++) text += String.fromCharCode(bytes[j]);
  return text;
}

/** The value of `key` as a number: ints, uints, bools and floats, inline or indirect. */
function scalar(map: FlexMap, key: string, kind: 'int' | 'bool' | 'float'): number | undefined {
  const i = flexFind(map, key);
  if (i < 0) return undefined;
  const bytes = map.bytes, what = map.what, width = map.width;
  const packed = bytes[map.types + i];
  const type = packed >> 2, childWidth = 1 << (packed & 3);
  const pos = map.values + i * width;
  switch (type) {
    case FlexType.INT: return readInt(bytes, pos, width);
    case FlexType.UINT: case FlexType.BOOL: return readUInt(bytes, pos, width);
    case FlexType.FLOAT:
      if (kind !== 'float') break;
      return readFloat(what, bytes, pos, width);
    case FlexType.INDIRECT_INT: case FlexType.INDIRECT_UINT: case FlexType.INDIRECT_FLOAT: {
      if (type === FlexType.INDIRECT_FLOAT && kind !== 'float') break;
      const target = follow(what, bytes, pos, width, `"${key}"`);
      checkRange(what, bytes, target, childWidth, `"${key}"`);
      if (type === FlexType.INDIRECT_FLOAT) return readFloat(what, bytes, target, childWidth);
      return type === FlexType.INDIRECT_INT ? readInt(bytes, target, childWidth) : readUInt(bytes, target, childWidth);
    }
  }
  return fail(what, `"${key}" is of flexbuffers type ${type}, not ${kind === 'float' ? 'a number' : `an ${kind === 'bool' ? 'int or bool' : 'int'}`}`);
}

/** An int option that must fit int32 (the Signal kernels keep every option as int32). */
export function flexInt(map: FlexMap, key: string, fallback?: number): number {
  const value = scalar(map, key, 'int');
  if (value === undefined) {
    if (fallback === undefined) fail(map.what, `has no "${key}"`);
    return fallback;
  }
  if (value < -2147483648 || value > 2147483647) fail(map.what, `"${key}" (${value}) does not fit int32`);
  return value;
}

export function flexBool(map: FlexMap, key: string, fallback?: boolean): boolean {
  const value = scalar(map, key, 'bool');
  if (value === undefined) {
    if (fallback === undefined) fail(map.what, `has no "${key}"`);
    return fallback;
  }
  return value !== 0;
}

export function flexFloat(map: FlexMap, key: string, fallback?: number): number {
  const value = scalar(map, key, 'float');
  if (value === undefined) {
    if (fallback === undefined) fail(map.what, `has no "${key}"`);
    return fallback;
  }
  return value;
}

/** An int vector option (typed, fixed-length or untyped with int elements), as a plain array. */
export function flexIntVector(map: FlexMap, key: string): number[] {
  const i = flexFind(map, key);
  const what = map.what;
  if (i < 0) fail(what, `has no "${key}"`);
  const bytes = map.bytes;
  const packed = bytes[map.types + i];
  const type = packed >> 2, width = 1 << (packed & 3);
  const at = follow(what, bytes, map.values + i * map.width, map.width, `"${key}"`);
  let length: number;
  let signed = true;
  switch (type) {
    case FlexType.VECTOR: case FlexType.VECTOR_INT: case FlexType.VECTOR_UINT:
      checkRange(what, bytes, at - width, width, `the length of "${key}"`);
      length = readUInt(bytes, at - width, width);
      signed = type !== FlexType.VECTOR_UINT;
      break;
    case FlexType.VECTOR_INT2: case FlexType.VECTOR_UINT2: length = 2; signed = type === FlexType.VECTOR_INT2; break;
    case FlexType.VECTOR_INT3: case FlexType.VECTOR_UINT3: length = 3; signed = type === FlexType.VECTOR_INT3; break;
    case FlexType.VECTOR_INT4: case FlexType.VECTOR_UINT4: length = 4; signed = type === FlexType.VECTOR_INT4; break;
    default: return fail(what, `"${key}" is of flexbuffers type ${type}, not an int vector`);
  }
  const untyped = type === FlexType.VECTOR;
  checkRange(what, bytes, at, length * width + (untyped ? length : 0), `the ${length} elements of "${key}"`);
  const out: number[] = [];
  for (let j = 0; j < length; j++) {
    const pos = at + j * width;
    let value: number;
    if (untyped) {
      const t = bytes[at + length * width + j] >> 2;
      if (t === FlexType.INT) value = readInt(bytes, pos, width);
      else if (t === FlexType.UINT || t === FlexType.BOOL) value = readUInt(bytes, pos, width);
      else return fail(what, `element ${j} of "${key}" is of flexbuffers type ${t}, not an int`);
    } else {
      value = signed ? readInt(bytes, pos, width) : readUInt(bytes, pos, width);
    }
    if (value < -2147483648 || value > 2147483647) fail(what, `element ${j} of "${key}" (${value}) does not fit int32`);
    out.push(value);
  }
  return out;
}
