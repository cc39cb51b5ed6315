// TFLite tensor types (schema enum TensorType) and what the engine stores them in.
import { TENSOR_TYPE_NAMES } from './schema.js';

export const enum TensorType {
  FLOAT32 = 0,
  FLOAT16 = 1,
  INT32 = 2,
  UINT8 = 3,
  INT64 = 4,
  STRING = 5,
  BOOL = 6,
  INT16 = 7,
  COMPLEX64 = 8,
  INT8 = 9,
  FLOAT64 = 10,
  UINT64 = 12,
  RESOURCE = 13,
  UINT32 = 15,
  UINT16 = 16,
}

/**
 * The same codes as a real object, for apps: `TensorType` as the package exports it (a const
 * enum vanishes at compile time, and tools that compile one file at a time cannot import one).
 */
export const TENSOR_TYPES = Object.freeze({
  FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, STRING: 5, BOOL: 6, INT16: 7, COMPLEX64: 8,
  INT8: 9, FLOAT64: 10, UINT64: 12, RESOURCE: 13, UINT32: 15, UINT16: 16,
} as const);

export type TensorData = Float32Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array | Float64Array;

/** Bytes per element, or 0 for a type the engine cannot hold in a tensor. */
export function elementSize(type: number): number {
  switch (type) {
    case TensorType.FLOAT32: case TensorType.INT32: case TensorType.UINT32: return 4;
    case TensorType.INT16: case TensorType.UINT16: case TensorType.FLOAT16: return 2;
    case TensorType.INT8: case TensorType.UINT8: case TensorType.BOOL: return 1;
    case TensorType.INT64: case TensorType.UINT64: case TensorType.FLOAT64: case TensorType.COMPLEX64: return 8;
    case TensorType.RESOURCE: return 4;
    default: return 0;
  }
}

export function typeName(type: number): string {
  return TENSOR_TYPE_NAMES[type] ?? `type ${type}`;
}

/**
 * A typed view of `byteLength` bytes at `byteOffset`. int64 is an Int32Array of (low, high)
 * pairs (uint64 a Uint32Array of them): BigInt64Array would allocate a BigInt for every element read. float16 is a
 * Uint16Array of raw bits. Resource handles are int32.
 */
export function typedView(type: number, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): TensorData {
  switch (type) {
    case TensorType.FLOAT32: return new Float32Array(buffer, byteOffset, byteLength >> 2);
    case TensorType.INT32: case TensorType.RESOURCE: return new Int32Array(buffer, byteOffset, byteLength >> 2);
    case TensorType.UINT32: return new Uint32Array(buffer, byteOffset, byteLength >> 2);
    case TensorType.INT16: return new Int16Array(buffer, byteOffset, byteLength >> 1);
    case TensorType.UINT16: case TensorType.FLOAT16: return new Uint16Array(buffer, byteOffset, byteLength >> 1);
    case TensorType.INT8: return new Int8Array(buffer, byteOffset, byteLength);
    case TensorType.INT64: case TensorType.COMPLEX64: return new Int32Array(buffer, byteOffset, byteLength >> 2);
    case TensorType.UINT64: return new Uint32Array(buffer, byteOffset, byteLength >> 2);
    case TensorType.FLOAT64: return new Float64Array(buffer, byteOffset, byteLength >> 3);
    default: return new Uint8Array(buffer, byteOffset, byteLength);
  }
}

/** Alignment a typed view of this type needs. */
export function viewAlignment(type: number): number {
  const size = elementSize(type);
  if (type === TensorType.INT64 || type === TensorType.UINT64 || type === TensorType.COMPLEX64) return 4;
  return size === 0 ? 1 : size;
}

const EMPTY_VIEWS: readonly TensorData[] = Object.freeze([
  Object.freeze(new Float32Array(0)), Object.freeze(new Int32Array(0)), Object.freeze(new Uint32Array(0)),
  Object.freeze(new Int16Array(0)), Object.freeze(new Uint16Array(0)), Object.freeze(new Int8Array(0)),
  Object.freeze(new Uint8Array(0)), Object.freeze(new Float64Array(0)),
]);

/** A shared, frozen, zero-length view of the type `typedView` gives `type` (nothing allocated). */
export function emptyView(type: number): TensorData {
  switch (type) {
    case TensorType.FLOAT32: return EMPTY_VIEWS[0];
    case TensorType.INT32: case TensorType.RESOURCE: case TensorType.INT64: case TensorType.COMPLEX64: return EMPTY_VIEWS[1];
    case TensorType.UINT32: case TensorType.UINT64: return EMPTY_VIEWS[2];
    case TensorType.INT16: return EMPTY_VIEWS[3];
    case TensorType.UINT16: case TensorType.FLOAT16: return EMPTY_VIEWS[4];
    case TensorType.INT8: return EMPTY_VIEWS[5];
    case TensorType.FLOAT64: return EMPTY_VIEWS[7];
    default: return EMPTY_VIEWS[6];
  }
}
