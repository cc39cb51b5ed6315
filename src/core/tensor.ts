// A tensor as kernels and users see it: shape, type, quantization, and a typed view of its
// bytes (in the arena, or in the model for constants).
import { UsageError } from './errors.js';
import type { Quantization, TensorInfo } from './model.js';
import { typeName, TensorType, type TensorData } from './types.js';

const EMPTY = new Uint8Array(0);

export class Tensor {
  /** The model's description of this tensor; fields eval never reads are got from it, not copied (heap slots on XS). */
  readonly info: TensorInfo;
  readonly type: number;
  readonly shape: Int32Array;
  readonly elementCount: number;
  readonly byteLength: number;
  /** Per-tensor scale and zero point (the first channel's, for per-channel tensors); 0 if unquantized. */
  readonly scale: number;
  readonly zeroPoint: number;
  readonly quantization: Quantization | null;
  readonly isConstant: boolean;
  /** Typed view of the tensor's bytes; set by allocateTensors (constants: at construction). */
  data: TensorData;
  bytes: Uint8Array;

  constructor(info: TensorInfo, constantBytes: Uint8Array | null) {
    this.info = info;
    this.type = info.type;
    this.shape = info.shape;
    this.elementCount = info.elementCount;
    this.byteLength = info.byteLength;
    const q = info.quantization;
    this.quantization = q;
    this.scale = q ? q.scale[0] : 0;
    this.zeroPoint = q ? q.zeroPoint[0] : 0;
    this.isConstant = constantBytes !== null && !info.isVariable;
    this.bytes = constantBytes ?? EMPTY;
    this.data = EMPTY;
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

  /** Size of dimension `i`; negative `i` counts from the end. */
  dim(i: number): number {
    return this.shape[i < 0 ? this.shape.length + i : i];
  }

  /** Shape as a plain array, for messages and JSON. */
  dims(): number[] {
    return Array.from(this.shape);
  }

  describe(): string {
    return `tensor ${this.index}${this.name ? ` "${this.name}"` : ''} (${this.typeName} [${this.dims().join(', ')}])`;
  }

  /**
   * Writes real values into the tensor: quantized with its scale and zero point for int8, uint8
   * and int16 (round half away from zero, then saturate, as TFLite's converter does), stored as
   * they are for float32, truncated toward zero for int32.
   */
  quantize(values: ArrayLike<number>): this {
    if (values.length !== this.elementCount) {
      throw new UsageError(`${this.describe()} takes ${this.elementCount} values, got ${values.length}`);
    }
    const data = this.data;
    if (data.length !== this.elementCount) throw new UsageError(`${this.describe()} has no data yet: call allocateTensors() first`);
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

  /** The tensor's values as real numbers: (q - zeroPoint) * scale for quantized types. */
  dequantize(): Float32Array {
    const out = new Float32Array(this.elementCount);
    const data = this.data;
    if (this.type === TensorType.FLOAT32 || !this.quantization) {
      if (this.type === TensorType.INT64) {
        for (let i = 0; i < out.length; i++) out[i] = data[2 * i] + data[2 * i + 1] * 4294967296;
      } else {
        for (let i = 0; i < out.length; i++) out[i] = data[i];
      }
      return out;
    }
    const scale = this.scale, zeroPoint = this.zeroPoint;
    for (let i = 0; i < out.length; i++) out[i] = (data[i] - zeroPoint) * scale;
    return out;
  }
}
