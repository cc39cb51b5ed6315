// Building blocks for generated single-op models: a case builder that collects tensors and
// input data, and the quantization choices a converter would make (asymmetric int8, symmetric
// int16, symmetric per-channel weights, int32/int64 biases in input_scale * weight_scale).
import type { WriterModel, WriterOperator, WriterTensor } from '../../host/authoring/tflite-writer.js';
import type { Rng } from './rng.js';

export type CaseType = 'float32' | 'int8' | 'int16' | 'int32' | 'uint8' | 'int64' | 'bool';
export type DataArray = Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array | BigInt64Array;

export interface DiffCase {
  op: string;
  /** What the case exercises, e.g. "int8", "int16x8", "float32→int8". */
  type: string;
  /** Everything chosen at random, for the failure message. */
  params: Record<string, unknown>;
  model: WriterModel;
  /** One array per model input, `steps` inputs one after another. */
  inputs: DataArray[];
  steps: number;
  /** Largest difference allowed per element of integer outputs (0 unless the op has a known reason). */
  lsbTolerance: number;
  /** Why reference TFLite may legitimately differ, when lsbTolerance > 0. */
  toleranceReason?: string;
  /** Set when reference TFLite is known to disagree with TFLM for this case: run ours only. */
  skipReference?: string;
  /**
   * The part of the outputs both engines define, when an op leaves some elements unwritten
   * (TFLite_Detection_PostProcess's fast NMS past num_detections): applied to ours and the
   * reference's outputs alike before comparing. Returns new arrays.
   */
  comparable?: (outputs: readonly DataArray[]) => DataArray[];
}

export interface QuantParams { scale: number; zeroPoint: number }

export const QMIN: Record<string, number> = { int8: -128, uint8: 0, int16: -32768, int32: -2147483648 };
export const QMAX: Record<string, number> = { int8: 127, uint8: 255, int16: 32767, int32: 2147483647 };

/** How a converter quantizes the real range [lo, hi]: asymmetric for 8-bit, symmetric (zero point 0) for int16. */
export function quantFor(type: string, lo: number, hi: number): QuantParams {
  lo = Math.min(lo, 0);
  hi = Math.max(hi, 0);
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  if (type === 'int16') return { scale: Math.max(-lo, hi) / 32767, zeroPoint: 0 };
  const qmin = QMIN[type], qmax = QMAX[type];
  const scale = (hi - lo) / (qmax - qmin);
  const zeroPoint = Math.max(qmin, Math.min(qmax, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** A random real range: mostly around zero, sometimes one-sided. */
export function randomRange(rng: Rng, magnitude: number): [number, number] {
  const kind = rng.int(0, 3);
  if (kind === 0) return [0, magnitude];
  if (kind === 1) return [-magnitude, magnitude * rng.float(0.1, 0.5)];
  return [-magnitude * rng.float(0.3, 1), magnitude * rng.float(0.3, 1)];
}

export function typedArrayFor(type: string, n: number): DataArray {
  switch (type) {
    case 'float32': return new Float32Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    case 'int16': return new Int16Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    default: throw new Error(`no array type for ${type}`);
  }
}

/** Random raw values of a tensor: full range for quantized types, [lo, hi] reals for float. */
export function randomData(rng: Rng, type: string, n: number, lo = -1, hi = 1): DataArray {
  const out = typedArrayFor(type, n);
  if (type === 'float32') {
    for (let i = 0; i < n; i++) out[i] = rng.float(lo, hi);
  } else if (type === 'int64') {
    for (let i = 0; i < n; i++) (out as BigInt64Array)[i] = BigInt(rng.int(lo, hi));
  } else if (type === 'int32') {
    for (let i = 0; i < n; i++) out[i] = rng.int(lo, hi);
  } else if (type === 'bool') {
    for (let i = 0; i < n; i++) out[i] = rng.int(0, 1);
  } else {
    const qmin = QMIN[type], qmax = QMAX[type];
    for (let i = 0; i < n; i++) out[i] = rng.int(qmin, qmax);
  }
  return out;
}

/** Reals quantized with round-half-away-from-zero and saturation, as the converter does. */
export function quantizeValues(type: string, values: ArrayLike<number>, q: QuantParams): DataArray {
  const out = typedArrayFor(type, values.length);
  const qmin = QMIN[type], qmax = QMAX[type];
  for (let i = 0; i < values.length; i++) {
    const x = values[i] / q.scale;
    const r = (x < 0 ? -Math.round(-x) : Math.round(x)) + q.zeroPoint;
    out[i] = Math.max(qmin, Math.min(qmax, r));
  }
  return out;
}

export const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Collects the tensors, inputs and one operator of a single-op model. */
export class CaseBuilder {
  readonly tensors: WriterTensor[] = [];
  readonly inputs: number[] = [];
  readonly outputs: number[] = [];
  readonly inputData: DataArray[] = [];
  readonly operators: WriterOperator[] = [];

  tensor(t: WriterTensor): number {
    this.tensors.push(t);
    return this.tensors.length - 1;
  }

  /** A graph input with the data the test feeds it. */
  input(t: WriterTensor, data: DataArray): number {
    const k = this.tensor(t);
    this.inputs.push(k);
    this.inputData.push(data);
    return k;
  }

  constant(t: WriterTensor, data: DataArray | readonly number[]): number {
    return this.tensor({ ...t, data: data as WriterTensor['data'] });
  }

  output(t: WriterTensor): number {
    const k = this.tensor(t);
    this.outputs.push(k);
    return k;
  }

  op(op: WriterOperator): this {
    this.operators.push(op);
    return this;
  }

  model(description: string): WriterModel {
    return { description, subgraphs: [{ tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, operators: this.operators }] };
  }
}

/** A quantized (or float) activation tensor description. */
export function act(type: string, shape: readonly number[], q?: QuantParams, name?: string): WriterTensor {
  const t: WriterTensor = { type: type as WriterTensor['type'], shape, name };
  if (q && type !== 'float32' && type !== 'bool') {
    t.scale = q.scale;
    t.zeroPoint = q.zeroPoint;
  }
  return t;
}

/** Symmetric per-channel int8 weights (zero point 0) along `channelAxis`. */
export function perChannelWeights(rng: Rng, shape: readonly number[], channelAxis: number, magnitude: number, perChannel = true) {
  const channels = shape[channelAxis];
  const scales: number[] = [];
  for (let c = 0; c < (perChannel ? channels : 1); c++) scales.push(magnitude * rng.float(0.2, 1) / 127);
  const n = count(shape);
  const data = new Int8Array(n);
  const inner = count(shape.slice(channelAxis + 1));
  for (let i = 0; i < n; i++) data[i] = rng.int(-127, 127);
  const real = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = perChannel ? Math.floor(i / inner) % channels : 0;
    real[i] = data[i] * scales[c];
  }
  return { data, scales, real };
}

/** A bias quantized with scale input_scale * weight_scale[c], as int32 (int8) or int64 (16x8). */
export function quantizedBias(realBias: ArrayLike<number>, inputScale: number, weightScales: readonly number[], wide: boolean) {
  const n = realBias.length;
  const scales = Array.from({ length: n }, (_, c) => inputScale * weightScales[weightScales.length === 1 ? 0 : c]);
  if (wide) {
    const data = new BigInt64Array(n);
    for (let c = 0; c < n; c++) data[c] = BigInt(Math.round(realBias[c] / scales[c]));
    return { data, scales };
  }
  const data = new Int32Array(n);
  for (let c = 0; c < n; c++) data[c] = Math.max(-2147483648, Math.min(2147483647, Math.round(realBias[c] / scales[c])));
  return { data, scales };
}

/** Output parameters for a value expected within ±spread around center, clipped by the activation. */
export function outputQuant(type: string, center: number, spread: number, activation = 0): QuantParams {
  let lo = center - spread, hi = center + spread;
  if (activation === 1) lo = Math.max(lo, 0);
  if (activation === 3) { lo = Math.max(lo, 0); hi = Math.min(hi, 6); }
  if (activation === 2) { lo = Math.max(lo, -1); hi = Math.min(hi, 1); }
  if (hi <= lo) hi = lo + 1e-3;
  return quantFor(type, lo, hi);
}
