// A tensor as kernels (in prepare) and users see it: shape, type, quantization, and a typed view
// of its bytes (in the arena, or in the model for constants). Made on demand: the interpreter
// keeps no Tensor per tensor, only the views its kernels hold.
import { UsageError } from './errors.js';
import { int64At } from './int64.js';
import type { Quantization, TensorInfo } from './model.js';
import { typedView, typeName, TensorType, type TensorData } from './types.js';

const NO_DATA = 'call allocateTensors() first, and keep its arena and the model attached';

export class Tensor {
  /** The model's description of this tensor. */
  readonly info: TensorInfo;
  /** Data from the model's bytes (flash on a device): never written. */
  readonly isConstant: boolean;
  /** Typed view of the tensor's bytes (length 0 while the arena is being sized). */
  readonly data: TensorData;

  // Three fields and getters for the rest: a Tensor an app keeps (an input, an output) costs
  // a few XS slots, not one per property.
  constructor(info: TensorInfo, data: TensorData, isConstant: boolean) {
    this.info = info;
    this.isConstant = isConstant;
    this.data = data;
  }

  get type(): number {
    return this.info.type;
  }

  get shape(): Int32Array {
    return this.info.shape;
  }

  get elementCount(): number {
    return this.info.elementCount;
  }

  get byteLength(): number {
    return this.info.byteLength;
  }

  get quantization(): Quantization | null {
    return this.info.quantization;
  }

  /** Per-tensor scale (the first channel's, for per-channel tensors); 0 if unquantized. */
  get scale(): number {
    const q = this.info.quantization;
    return q ? q.scale[0] : 0;
  }

  /** Per-tensor zero point (the first channel's, for per-channel tensors); 0 if unquantized. */
  get zeroPoint(): number {
    const q = this.info.quantization;
    return q ? q.zeroPoint[0] : 0;
  }

  get index(): number {
    return this.info.index;
  }

  get name(): string {
    return this.info.name;
  }

  get isVariable(): boolean {
    return this.info.isVariable;
  }

  get typeName(): string {
    return typeName(this.type);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The tensor's bytes as a Uint8Array view (a new view each call). */
  get bytes(): Uint8Array {
    const d = this.data;
    if (d instanceof Uint8Array) return d;
    try {
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    } catch {
      throw new UsageError(`${this.describe()} has no data: ${NO_DATA}`); // its buffer was detached
    }
  }

  /** Size of dimension `i`; negative `i` counts from the end. */
  dim(i: number): number {
    return this.shape[i < 0 ? this.shape.length + i : i];
  }

  /** Shape as a plain array, for messages and JSON. */
  dims(): number[] {
    // A loop, not Array.from: on a detached arena the shape reads as empty instead of throwing.
    const shape = this.shape, out: number[] = [];
    for (let i = 0; i < shape.length; i++) out.push(shape[i]);
    return out;
  }

  describe(): string {
    return `tensor ${this.index}${this.name ? ` "${this.name}"` : ''} (${this.typeName} [${this.dims().join(', ')}])`;
  }

  /** The data as an Int8Array; UsageError for another type. Likewise the accessors below. */
  int8(): Int8Array { return this.typed(TensorType.INT8) as Int8Array; }
  uint8(): Uint8Array { return this.typed(TensorType.UINT8) as Uint8Array; }
  int16(): Int16Array { return this.typed(TensorType.INT16) as Int16Array; }
  int32(): Int32Array { return this.typed(TensorType.INT32) as Int32Array; }
  float32(): Float32Array { return this.typed(TensorType.FLOAT32) as Float32Array; }
  bool(): Uint8Array { return this.typed(TensorType.BOOL) as Uint8Array; }

  private typed(type: number): TensorData {
    if (this.type !== type) throw new UsageError(`${this.describe()} is ${this.typeName}, not ${typeName(type)}`);
    return this.data;
  }

  /**
   * Writes real values into the tensor: quantized with its scale and zero point for int8, uint8
   * and int16 (round half away from zero, then saturate, as TFLite's converter does), stored as
   * they are for float32, truncated toward zero for int32.
   */
  quantize(values: ArrayLike<number>): this {
    if (this.isConstant) throw new UsageError(`${this.describe()} is a constant of the model and cannot be written`);
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new UsageError(`${this.describe()}: quantize() takes an array of numbers, got ${values === null ? 'null' : typeof values}`);
    }
    if (values.length !== this.elementCount) {
      throw new UsageError(`${this.describe()} takes ${this.elementCount} values, got ${values.length}`);
    }
    const data = this.data;
    if (data.length !== this.elementCount) throw new UsageError(`${this.describe()} has no data: ${NO_DATA}`);
    if (this.type === TensorType.FLOAT32) {
      for (let i = 0; i < values.length; i++) data[i] = values[i];
      return this;
    }
    let low = -2147483648, high = 2147483647;
    if (this.type === TensorType.INT8) { low = -128; high = 127; }
    else if (this.type === TensorType.UINT8) { low = 0; high = 255; }
    else if (this.type === TensorType.INT16) { low = -32768; high = 32767; }
    else if (this.type !== TensorType.INT32) throw new UsageError(`${this.describe()}: cannot quantize into ${this.typeName}`);
    const scale = this.scale || 1, zeroPoint = this.zeroPoint;
    for (let i = 0; i < values.length; i++) {
      const x = values[i] / scale;
      // NaN quantizes to the zero point (real 0); ±Infinity saturates.
      const q = x !== x ? zeroPoint : (x < 0 ? -Math.round(-x) : Math.round(x)) + zeroPoint;
      data[i] = q < low ? low : q > high ? high : q;
    }
    return this;
  }

  /**
   * The tensor's values as real numbers: (q - zeroPoint) * scale for quantized types. Fills
   * `into` when given (no allocation: read outputs at every inference this way), else a new array.
   */
  dequantize(): Float32Array;
  dequantize<T extends Float32Array | Float64Array | number[]>(into: T): T;
  dequantize(into?: Float32Array | Float64Array | number[]): Float32Array | Float64Array | number[] {
    const n = this.elementCount;
    let out: Float32Array | Float64Array | number[];
    if (into === undefined) {
      out = new Float32Array(n);
    } else {
      if (into === null || typeof into !== 'object' || typeof into.length !== 'number') throw new UsageError(`${this.describe()}: dequantize(into) takes an array`);
      if (into.length < n) throw new UsageError(`${this.describe()} has ${n} values; dequantize(into) got an array of ${into.length}`);
      out = into;
    }
    const data = this.data;
    if (this.type === TensorType.INT64) {
      for (let i = 0; i < n; i++) out[i] = int64At(data, i);
    } else if (this.type === TensorType.FLOAT32 || !this.quantization) {
      for (let i = 0; i < n; i++) out[i] = data[i];
    } else {
      const scale = this.scale, zeroPoint = this.zeroPoint;
      for (let i = 0; i < n; i++) out[i] = (data[i] - zeroPoint) * scale;
    }
    return out;
  }
}

Object.freeze(Tensor.prototype);

/** A view of `bytes` typed for `type` (bytes already aligned for it). */
export function viewOf(type: number, bytes: Uint8Array): TensorData {
  return type === TensorType.UINT8 || type === TensorType.BOOL ? bytes : typedView(type, bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
