// Post-training quantization as TFLite's converter does it: activations asymmetric int8 per
// tensor from calibrated ranges (widened to hold 0, zero point nudged), weights symmetric int8
// ([-127, 127]) per output channel for convolutions and per tensor for FULLY_CONNECTED, bias
// int32 at input scale x weight scale. Calibration runs the float model in tfjs itself, layer by
// layer, and records the range of every tensor the converted model will have.
import { createRequire } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';
import { ConversionError, type Graph, type ModelLike, type SymbolicLike, type TensorLike } from './convert-graph.js';

export interface Range { min: number; max: number }

/** TFLite's asymmetric int8 parameters for a calibrated range (GetAsymmetricQuantizationParams). */
export function activationParams(range: Range): { scale: number; zeroPoint: number } {
  const qmin = -128, qmax = 127;
  const rmin = Math.min(range.min, 0), rmax = Math.max(range.max, 0);
  if (rmin === rmax) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  const fromMin = qmin - rmin / scale, fromMax = qmax - rmax / scale;
  const errorMin = Math.abs(qmin) + Math.abs(rmin / scale), errorMax = Math.abs(qmax) + Math.abs(rmax / scale);
  const zero = errorMin < errorMax ? fromMin : fromMax;
  const zeroPoint = zero <= qmin ? qmin : zero >= qmax ? qmax : Math.round(zero) + 0; // + 0: no -0
  return { scale, zeroPoint };
}

/** Symmetric per-tensor int8 weights: scale max|w| / 127, values in [-127, 127]. */
export function quantizeSymmetric(values: Float32Array): { values: Int8Array; scale: number } {
  const { values: q, scales } = quantizePerChannel(values, [values.length], -1);
  return { values: q, scale: scales[0] };
}

/**
 * Symmetric int8 weights with one scale per index of `axis` (the first or the last axis), or
 * one for the whole tensor when axis is -1. A channel of zeros gets scale 1 (any scale holds it).
 */
export function quantizePerChannel(values: Float32Array, shape: readonly number[], axis: number): { values: Int8Array; scales: number[] } {
  const channels = axis < 0 ? 1 : shape[axis];
  const inner = axis < 0 ? values.length : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const max = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) max[channelOf(i)] = Math.max(max[channelOf(i)], Math.abs(values[i]));
  const scales = Array.from(max, m => (m > 0 ? Math.fround(m / 127) : 1));
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clamp(roundHalfAway(values[i] / scales[channelOf(i)]), -127, 127);
  return { values: out, scales };
}

export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function clamp(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}

type Tf = typeof tfjs;

/**
 * tfjs as the caller's model uses it (one engine per process), loaded only when calibrating.
 * @internal tfjs' types stay out of the published declarations (see stripInternal in tsconfig.json).
 */
export function requireTf(): Tf {
  try {
    return createRequire(import.meta.url)('@tensorflow/tfjs') as Tf;
  } catch {
    throw new ConversionError('int8 conversion needs @tensorflow/tfjs to calibrate (npm install @tensorflow/tfjs)');
  }
}

/** A sample per row: numbers (nested arrays are flattened) making one input of the model. */
export type Sample = number | ArrayLike<number> | readonly unknown[];

/** The samples as flat rows of the model's input size, checked. */
export function sampleRows(data: readonly Sample[] | undefined, width: number): Float32Array[] {
  if (!data || !data.length) throw new ConversionError('convert: int8 quantization needs representativeData (sample inputs to calibrate ranges with) or representativeRange');
  return data.map((sample, i) => {
    const row = typeof sample === 'number' ? [sample] : Array.isArray(sample) ? (sample as unknown[]).flat(Infinity) : Array.from(sample as ArrayLike<number>);
    if (row.length !== width) throw new ConversionError(`convert: representative sample ${i} has ${row.length} values, the model takes ${width}`);
    if (!row.every(v => typeof v === 'number' && Number.isFinite(v))) throw new ConversionError(`convert: representative sample ${i} has a value that is not a finite number`);
    return Float32Array.from(row as number[]);
  });
}

/**
 * `count` samples drawn uniformly and independently per value in [low, high] (seeded, so a
 * conversion is repeatable): covers the box, not only its diagonal.
 */
export function boxSamples(width: number, low: number, high: number, count = 256, seed = 1): Float32Array[] {
  let s = seed >>> 0;
  const next = () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const row = new Float32Array(width);
    for (let i = 0; i < width; i++) row[i] = low + (high - low) * next();
    return row;
  });
}

/** Runs the samples through the tfjs model layer by layer: the float range of every graph tensor that has a probe. * @internal (its `tf` parameter is tfjs' own type) */
export function calibrateGraph(model: ModelLike, graph: Graph, rows: readonly Float32Array[], tf: Tf = requireTf()): (Range | null)[] {
  const ranges: (Range | null)[] = graph.tensors.map(t => (t.probe ? { min: Infinity, max: -Infinity } : null));
  const layers = model.layers.filter(l => l.getClassName() !== 'InputLayer');
  const inputShape = graph.tensors[graph.input].shape.slice(1);
  const width = rows[0].length;
  const batch = 32;
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const flat = new Float32Array(chunk.length * width);
    chunk.forEach((row, k) => flat.set(row, k * width));
    tf.tidy(() => {
      const values = new Map<number, TensorLike>();
      values.set(model.inputs[0].id, tf.tensor(flat, [chunk.length, ...inputShape]) as unknown as TensorLike);
      for (const layer of layers) {
        const x = values.get((layer.input as SymbolicLike).id);
        values.set((layer.output as SymbolicLike).id, layer.apply(x, { training: false }) as TensorLike);
      }
      graph.tensors.forEach((t, i) => {
        if (!t.probe) return;
        let v = values.get(t.probe.tensor.id);
        if (!v) throw new ConversionError(`convert: calibration found no value for tensor "${t.name}"`);
        if (t.probe.layer) v = t.probe.layer.apply(v, { training: false }) as TensorLike;
        const data = v.dataSync();
        const range = ranges[i]!;
        for (let k = 0; k < data.length; k++) {
          if (data[k] < range.min) range.min = data[k];
          if (data[k] > range.max) range.max = data[k];
        }
      });
    });
  }
  return ranges;
}
