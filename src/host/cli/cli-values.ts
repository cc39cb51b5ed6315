// The CLI's side of tensors: a model's inputs and outputs as the file describes them (type name,
// shape, scale, zero point), real values to and from their bytes, and the input sources a
// command line gives (raw bytes, --values, a JSON array, a .npy file). Done on the host from the
// parsed model, so the same bytes go to either engine.
import type { Model, TensorInfo } from '../../core/model.js';
import { typeName } from '../../core/types.js';
import { InputProblem } from './args.js';
import { readBytes, readText } from './files.js';

export interface TensorParams {
  index: number;
  name: string;
  type: string;
  shape: number[];
  elementCount: number;
  byteLength: number;
  /** Per-tensor scale and zero point; scale 0 when the tensor is not quantized. */
  scale: number;
  zeroPoint: number;
}

export function tensorParams(t: TensorInfo): TensorParams {
  const q = t.quantization;
  const quantized = !!q && q.scale.length > 0 && q.scale[0] > 0;
  return {
    index: t.index, name: t.name, type: typeName(t.type), shape: Array.from(t.shape),
    elementCount: t.elementCount, byteLength: t.byteLength,
    scale: quantized ? q!.scale[0] : 0, zeroPoint: quantized ? q!.zeroPoint[0] ?? 0 : 0,
  };
}

/** The main subgraph's inputs and outputs. */
export function graphParams(model: Model): { inputs: TensorParams[]; outputs: TensorParams[] } {
  const g = model.subgraphs[0];
  return { inputs: Array.from(g.inputs, i => tensorParams(g.tensors[i])), outputs: Array.from(g.outputs, i => tensorParams(g.tensors[i])) };
}

export function describeParams(p: TensorParams): string {
  return `${p.name ? `"${p.name}" ` : ''}(${p.type} [${p.shape.join(', ')}])`;
}

type View = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type ViewMaker = (b: ArrayBuffer) => View;
const VIEWS: Readonly<Record<string, ViewMaker>> = Object.freeze({
  float32: b => new Float32Array(b), float64: b => new Float64Array(b), int32: b => new Int32Array(b),
  uint32: b => new Uint32Array(b), int16: b => new Int16Array(b), uint16: b => new Uint16Array(b),
  int8: b => new Int8Array(b), uint8: b => new Uint8Array(b), bool: b => new Uint8Array(b),
});
const RANGES: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  int8: [-128, 127], uint8: [0, 255], bool: [0, 1], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
});

/** The stored numbers of `bytes` as `type` (int64 from its two 32-bit halves). */
export function storedValues(type: string, bytes: Uint8Array): number[] {
  const buffer = bytes.slice().buffer as ArrayBuffer;
  if (type === 'int64') {
    const pairs = new Int32Array(buffer);
    const out: number[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) out.push((pairs[i] >>> 0) + pairs[i + 1] * 4294967296);
    return out;
  }
  const view = VIEWS[type];
  return view ? Array.from(view(buffer)) : Array.from(bytes);
}

/** Real values: (q - zeroPoint) × scale for a quantized tensor, the stored numbers otherwise. */
export function realValues(p: TensorParams, bytes: Uint8Array): number[] {
  const stored = storedValues(p.type, bytes);
  if (!p.scale) return stored;
  return stored.map(q => Math.fround((q - p.zeroPoint) * p.scale));
}

/**
 * Real values to the tensor's bytes, by Tensor.quantize's rule: divide by the scale, round half
 * away from zero, add the zero point, saturate; NaN becomes the zero point. Float tensors take
 * the values as they are.
 */
export function quantizeToBytes(p: TensorParams, values: readonly number[], source: string): Uint8Array {
  const make = VIEWS[p.type];
  if (!make) throw new InputProblem(`${source}: input ${p.index} ${describeParams(p)}: real values cannot be written into ${p.type}; give raw bytes with --input FILE`);
  const bytesPer = p.elementCount ? p.byteLength / p.elementCount : 1;
  const buffer = new ArrayBuffer(values.length * bytesPer);
  const view = make(buffer);
  if (p.type === 'float32' || p.type === 'float64') {
    for (let i = 0; i < values.length; i++) view[i] = values[i];
    return new Uint8Array(buffer);
  }
  const [low, high] = RANGES[p.type];
  const scale = p.scale || 1, zeroPoint = p.zeroPoint;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] / scale;
    const q = x !== x ? zeroPoint : (x < 0 ? -Math.round(-x) : Math.round(x)) + zeroPoint;
    view[i] = q < low ? low : q > high ? high : q;
  }
  return new Uint8Array(buffer);
}

/** "0.5, 1.5 -2" → numbers; a word that is not a number is named. */
export function parseValueList(text: string, source: string): number[] {
  const words = text.split(/[\s,;]+/).filter(w => w !== '');
  return words.map((w, i) => {
    const n = Number(w);
    if (Number.isNaN(n) && w.toLowerCase() !== 'nan') throw new InputProblem(`${source}: value ${i} is "${w}", not a number`);
    return n;
  });
}

/** A JSON array of numbers, nested arrays flattened in order. */
export function parseJsonValues(text: string, source: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputProblem(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new InputProblem(`${source}: expected a JSON array of numbers`);
  const out: number[] = [];
  // An explicit stack: the file decides the nesting depth.
  const stack: unknown[][] = [parsed];
  const at: number[] = [0];
  while (stack.length) {
    const list = stack[stack.length - 1], i = at[at.length - 1];
    if (i >= list.length) { stack.pop(); at.pop(); continue; }
    at[at.length - 1]++;
    const v = list[i];
    if (Array.isArray(v)) { stack.push(v); at.push(0); }
    else if (typeof v === 'number') out.push(v);
    else throw new InputProblem(`${source}: expected numbers, found ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return out;
}

const NPY_TYPES: Readonly<Record<string, string>> = Object.freeze({
  f4: 'float32', f8: 'float64', i1: 'int8', u1: 'uint8', b1: 'bool', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
});

/** A NumPy .npy array: its element type (our names), shape and stored values. */
export function parseNpy(bytes: Uint8Array, source: string): { type: string; shape: number[]; values: number[] } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw new InputProblem(`${source}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw new InputProblem(`${source}: .npy header runs past the end of the file`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw new InputProblem(`${source}: .npy header not understood: ${header.trim().slice(0, 80)}`);
  const type = NPY_TYPES[descr[2]];
  if (!type) throw new InputProblem(`${source}: .npy element type ${descr[2]} is not supported (float32/64, int8/16/32, uint8/16/32, bool)`);
  if (descr[1] === '>' && descr[2] !== 'i1' && descr[2] !== 'u1' && descr[2] !== 'b1') throw new InputProblem(`${source}: big-endian .npy data is not supported`);
  const shape = shapeText[1].split(',').map(s => s.trim()).filter(s => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (fortran[1] === 'True' && shape.filter(d => d > 1).length > 1) throw new InputProblem(`${source}: Fortran-order .npy arrays are not supported; save with np.ascontiguousarray`);
  const data = bytes.subarray(start + headerLength);
  const size = Number(descr[2].slice(1));
  if (data.length !== count * size) throw new InputProblem(`${source}: shape (${shape.join(', ')}) needs ${count * size} bytes of data, the file has ${data.length}`);
  return { type, shape, values: storedValues(type, data) };
}

export type InputSource = { kind: 'input' | 'values' | 'values-file'; value: string };

/**
 * One byte buffer per model input, from the command line's sources in order (source k feeds
 * input k): raw bytes (--input FILE), a .npy file (--input FILE.npy: quantized unless it holds
 * the tensor's own integer type), --values "a,b" or --values-file FILE.json. A source holding N
 * times the tensor's size means N invokes.
 */
export function inputBytes(sources: readonly InputSource[], inputs: readonly TensorParams[]): Uint8Array[] {
  if (sources.length !== inputs.length) {
    throw new InputProblem(`the model has ${inputs.length} input${inputs.length === 1 ? '' : 's'}, got ${sources.length} (one --input, --values or --values-file per input, in order)`);
  }
  return sources.map((s, i) => {
    const p = inputs[i];
    const name = s.kind === 'values' ? `--values "${s.value.length > 30 ? s.value.slice(0, 30) + '...' : s.value}"` : s.value;
    let bytes: Uint8Array;
    if (s.kind === 'input') {
      const raw = readBytes(s.value, 'input');
      if (/\.npy$/i.test(s.value)) {
        const npy = parseNpy(raw, s.value);
        const sameInts = npy.type === p.type && npy.type !== 'float32' && npy.type !== 'float64';
        bytes = sameInts ? raw.subarray(raw.length - npy.values.length * (p.byteLength / Math.max(p.elementCount, 1))) : quantizeToBytes(p, npy.values, s.value);
      } else {
        bytes = raw;
      }
    } else {
      const values = s.kind === 'values' ? parseValueList(s.value, name) : parseJsonValues(readText(s.value, 'values file'), s.value);
      bytes = quantizeToBytes(p, values, name);
    }
    if (p.byteLength === 0 || bytes.length === 0 || bytes.length % p.byteLength !== 0) {
      const raw = s.kind === 'input' && !/\.npy$/i.test(s.value);
      const size = p.byteLength / Math.max(p.elementCount, 1);
      const wants = raw ? `${p.byteLength} bytes` : `${p.elementCount} values`;
      const got = raw ? bytes.length : `${bytes.length / size} values`;
      throw new InputProblem(`${name}: input ${i} ${describeParams(p)} takes ${wants} (or a multiple, one per invoke), got ${got}`);
    }
    return bytes;
  });
}
