// Synthetic fuzz models: one operator (or a short chain) of random kernels of the library, on
// tensors of random types, shapes, quantization and constant parameters, with random options.
// The golden models use a dozen ops; these reach every kernel's prepare() with inputs it must
// validate.
import type { Kernel } from '../core/kernel.js';
import { BUILTIN_OPTIONS, BUILTIN_OPTIONS_2 } from '../core/schema.js';
import { ALL_KERNELS } from '../kernels/all.js';
import type { Rng } from './fuzz-mutate.js';
import { flexbuffersMap, type FlexScalar } from './flexbuffers-writer.js';
import { writeModel, type OptionValue, type TensorTypeName, type WriterOperator, type WriterTensor } from '../host/authoring/tflite-writer.js';

const CUSTOM = 32;
const ANY_TYPES: TensorTypeName[] = ['float32', 'int8', 'int16', 'int32', 'uint8', 'bool', 'int64', 'float16', 'uint32', 'uint16', 'float64'];

function typeOf(name: string): TensorTypeName | null {
  const t = name.replace(/x\d+$/, '').toLowerCase();
  return (ANY_TYPES as string[]).includes(t) ? t as TensorTypeName : null;
}

function randomShape(rng: Rng): number[] {
  const rank = rng.pick([0, 1, 2, 3, 4, 4, 4, 5]);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(rng.chance(0.04) ? 0 : rng.pick([1, 1, 2, 3, 4, 5, 8]));
  return shape;
}

/** Another shape related to `shape`: itself, broadcast-compatible, reshaped, or unrelated. */
function relatedShape(shape: number[], rng: Rng): number[] {
  const kind = rng.below(5);
  if (kind <= 1) return shape.slice();
  if (kind === 2) return shape.map(d => (rng.chance(0.5) ? 1 : d));
  if (kind === 3) return rng.chance(0.5) ? shape.slice(1) : [shape.reduce((a, b) => a * b, 1)];
  return randomShape(rng);
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function randomValues(type: TensorTypeName, n: number, rng: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 'float32': case 'float64': out.push(rng.chance(0.05) ? rng.pick([0, -1, 1e30, -1e30]) : (rng.u32() / 4294967296 - 0.5) * 8); break;
      case 'int8': out.push(rng.below(256) - 128); break;
      case 'uint8': case 'bool': out.push(type === 'bool' ? rng.below(2) : rng.below(256)); break;
      case 'int16': out.push(rng.below(65536) - 32768); break;
      case 'uint16': case 'float16': out.push(rng.below(65536)); break;
      default: out.push(rng.below(2000) - 1000);
    }
  }
  return out;
}

/** A small int32 constant: axes, paddings, begin/end/strides, target shapes, indices. */
function parameterTensor(rank: number, rng: Rng): WriterTensor {
  const length = rng.pick([1, rank, rank, 2 * rank, 0, rng.below(6)]);
  const shape = rng.chance(0.3) && length % 2 === 0 && length > 0 ? [length / 2, 2] : [length];
  const values: number[] = [];
  for (let i = 0; i < length; i++) values.push(rng.chance(0.8) ? rng.below(rank + 3) - 1 : rng.pick([-1, -5, 8, 100, 2147483647, -2147483648]));
  return { type: rng.chance(0.9) ? 'int32' : 'int64', shape, data: values };
}

function quantize(tensor: WriterTensor, rng: Rng): void {
  if (tensor.type === 'float32' || tensor.type === 'bool' || rng.chance(0.1)) return;
  const channels = tensor.shape.length ? tensor.shape[tensor.shape.length - 1] : 1;
  if (channels > 1 && rng.chance(0.2)) {
    tensor.scale = Array.from({ length: channels }, () => rng.pick([0.5, 0.02, 1 / 128, 1e-4]));
    tensor.zeroPoint = new Array(channels).fill(0);
    tensor.quantizedDimension = tensor.shape.length - 1;
    return;
  }
  tensor.scale = rng.pick([0.5, 0.1, 1 / 128, 1 / 32768, 1e-3, 2, 100, 1e-9]);
  tensor.zeroPoint = tensor.type === 'int16' ? 0 : rng.pick([0, 0, -128, 5, 127, -1]);
}

function randomOptions(tableName: string, rng: Rng): Record<string, OptionValue> {
  const table = BUILTIN_OPTIONS.find(t => t[0] === tableName) ?? BUILTIN_OPTIONS_2.find(t => t[0] === tableName);
  const options: Record<string, OptionValue> = {};
  // Defaults are what most real models carry, and what gets past prepare() into eval.
  if (!table || rng.chance(0.3)) return options;
  for (const field of table[1]) {
    if (!field || rng.chance(0.5)) continue;
    const [name, kind] = field;
    if (kind === 'i8' || kind === 'u8') options[name] = rng.pick([0, 0, 1, 2, 3, 4, 6, -1, 100]);
    else if (kind === 'i32' || kind === 'u32' || kind === 'i16' || kind === 'u16') options[name] = rng.pick([0, 1, 1, 2, 3, -1, 4, 8, -5, 1000]);
    else if (kind === 'f32' || kind === 'f64') options[name] = rng.pick([0, 1, 0.5, -1, 1e30, 0.2, NaN]);
    else if (kind === 'b') options[name] = rng.chance(0.5);
    else if (kind === 'vi32') options[name] = Array.from({ length: rng.below(6) }, () => rng.below(8) - 2);
  }
  return options;
}

/**
 * Inputs by role, for the ops whose arity and parameter positions TFLite fixes: a activation
 * (graph input of the op's type), p int32 parameter constant, w weights (constant of the op's
 * type), b bias (int32 constant for quantized types), v variable state. Ops not listed, and
 * one case in four of those listed, get random inputs.
 */
const ROLES: Record<string, string> = {
  ADD: 'aa', SUB: 'aa', MUL: 'aa', DIV: 'aa', MAXIMUM: 'aa', MINIMUM: 'aa', SQUARED_DIFFERENCE: 'aa', PRELU: 'aw',
  FLOOR_DIV: 'aa', FLOOR_MOD: 'aa', POW: 'aa', EQUAL: 'aa', NOT_EQUAL: 'aa', LESS: 'aa', GREATER: 'aa', BATCH_MATMUL: 'aa',
  CONV_2D: 'awb', DEPTHWISE_CONV_2D: 'awb', FULLY_CONNECTED: 'awb', TRANSPOSE_CONV: 'pwab', SVDF: 'awwbv',
  PAD: 'ap', PADV2: 'apa', MIRROR_PAD: 'ap', RESHAPE: 'ap', STRIDED_SLICE: 'appp', SLICE: 'app', SPLIT: 'pa', SPLIT_V: 'app',
  GATHER: 'ap', GATHER_ND: 'ap', TRANSPOSE: 'ap', EXPAND_DIMS: 'ap', MEAN: 'ap', SUM: 'ap', REDUCE_MAX: 'ap', REDUCE_MIN: 'ap',
  REDUCE_PROD: 'ap', ARG_MAX: 'ap', ARG_MIN: 'ap', RESIZE_BILINEAR: 'ap', RESIZE_NEAREST_NEIGHBOR: 'ap', BROADCAST_TO: 'ap',
  TILE: 'ap', SPACE_TO_BATCH_ND: 'app', BATCH_TO_SPACE_ND: 'app', CONCATENATION: 'aa', PACK: 'aa', ADD_N: 'aaa',
  SELECT: 'aaa', SELECT_V2: 'aaa', VAR_HANDLE: '', CALL_ONCE: '', READ_VARIABLE: 'a', ASSIGN_VARIABLE: 'aa',
  // TFLM's custom ops: box encodings, class predictions, anchors; the streaming buffer's input;
  // the decoder's encoded data and ancillary data (constants).
  TFLite_Detection_PostProcess: 'aaw', CIRCULAR_BUFFER: 'a', TFLM_DECODE: 'ww',
};
for (const name of ['RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'TANH', 'LOGISTIC', 'HARD_SWISH', 'ELU', 'LEAKY_RELU',
  'SOFTMAX', 'LOG_SOFTMAX', 'DEQUANTIZE', 'QUANTIZE', 'CAST', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'L2_POOL_2D', 'SHAPE', 'ABS',
  'NEG', 'SQRT', 'RSQRT', 'SQUARE', 'EXP', 'LOG', 'FLOOR', 'CEIL', 'ROUND', 'SIN', 'COS', 'LOGICAL_NOT', 'ZEROS_LIKE',
  'L2_NORMALIZATION', 'SQUEEZE', 'UNPACK', 'DEPTH_TO_SPACE', 'SPACE_TO_DEPTH', 'GELU', 'SIGN', 'RANK']) ROLES[name] = 'a';
const MULTI_OUTPUT = ['SPLIT', 'SPLIT_V', 'UNPACK', 'TFLite_Detection_PostProcess'];

/** Custom ops' flexbuffers options: sane values mostly, hostile ones (0, negative, huge) sometimes. */
const CUSTOM_OPTIONS: Record<string, (rng: Rng) => [string, FlexScalar][]> = {
  TFLite_Detection_PostProcess: rng => {
    const int = (sane: number[]) => ({ int: rng.chance(0.85) ? rng.pick(sane) : rng.pick([0, -1, 2147483647, 100000]) });
    const float = (sane: number[]) => ({ float: rng.chance(0.85) ? rng.pick(sane) : rng.pick([0, -1, NaN, 1e30]) });
    const entries: [string, FlexScalar][] = [
      ['max_detections', int([1, 3, 10])], ['max_classes_per_detection', int([1, 1, 2])], ['detections_per_class', int([1, 5, 100])],
      ['use_regular_nms', { bool: rng.chance(0.5) }], ['nms_score_threshold', float([0, 0.3, 0.5])], ['nms_iou_threshold', float([0.5, 0.6, 1])],
      ['num_classes', int([1, 2, 3, 4])], ['y_scale', float([10])], ['x_scale', float([10])], ['h_scale', float([5])], ['w_scale', float([5])],
    ];
    return entries.filter(() => rng.chance(0.95));
  },
  CIRCULAR_BUFFER: rng => (rng.chance(0.5) ? [] : [['cycles_max', { int: rng.pick([1, 2, 3, 0, -1, 2147483647]) }]]),
};
const NO_OUTPUT = ['CALL_ONCE', 'ASSIGN_VARIABLE'];

export interface SynthCase {
  bytes: Uint8Array;
  /** "synth:OPNAME". */
  name: string;
}

interface Graph {
  tensors: WriterTensor[];
  inputs: number[];
  outputs: number[];
  operators: WriterOperator[];
}

/**
 * Adds one operator of `kernel` to `graph`; its first input is tensor `feed` when given (the
 * previous operator's result), else a new graph input. Returns its first output, or -1.
 */
function addOperator(graph: Graph, kernel: Kernel, rng: Rng, feed: number): number {
  const { tensors } = graph;
  const declared = kernel.types.map(typeOf).filter((t): t is TensorTypeName => t !== null);
  const fed = feed >= 0 ? tensors[feed] : null;
  const mainType: TensorTypeName = fed ? fed.type as TensorTypeName
    : declared.length && rng.chance(0.85) ? rng.pick(declared) : rng.pick(ANY_TYPES);
  const mainShape = fed ? fed.shape.slice() : randomShape(rng);
  const opInputs: number[] = [];
  const quantized = mainType !== 'float32' && mainType !== 'float64' && mainType !== 'float16';
  const spec = ROLES[kernel.name];
  const roles = spec !== undefined && rng.chance(0.75) ? spec
    : Array.from({ length: rng.pick([1, 1, 2, 2, 2, 3, 3, 4, 5]) }, (_, i) => (i === 0 ? 'a' : rng.pick(['a', 'p', 'w', 'a']))).join('');
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i];
    if (i === 0 && fed) { opInputs.push(feed); continue; }
    if (i > 0 && rng.chance(0.05)) { opInputs.push(-1); continue; }
    let tensor: WriterTensor;
    if (role === 'p') tensor = parameterTensor(mainShape.length, rng);
    else if (role === 'b') {
      const channels = mainShape.length ? mainShape[mainShape.length - 1] : 1;
      const type: TensorTypeName = quantized ? (mainType === 'int16' && rng.chance(0.5) ? 'int64' : 'int32') : mainType;
      const length = rng.chance(0.8) ? channels : rng.below(6);
      tensor = { type, shape: [length], data: randomValues(type, length, rng) };
      if (quantized) tensor.scale = rng.pick([1e-4, 1e-5, 0.01]);
    } else {
      const type = rng.chance(0.9) ? mainType : rng.pick(ANY_TYPES);
      const shape = i === 0 ? mainShape : role === 'w' ? randomShape(rng).map((d, k, all) => (k === all.length - 1 && mainShape.length ? mainShape[mainShape.length - 1] : d)) : relatedShape(mainShape, rng);
      tensor = { type, shape, isVariable: role === 'v' || undefined };
      if (role === 'w' && count(shape) <= 4096) tensor.data = randomValues(type, count(shape), rng);
      quantize(tensor, rng);
    }
    opInputs.push(tensors.length);
    // An empty constant has no buffer, so it must come from outside like any activation.
    if ((tensor.data === undefined || count(tensor.shape) === 0) && !tensor.isVariable) graph.inputs.push(tensors.length);
    tensors.push(tensor);
  }
  const outputCount = NO_OUTPUT.includes(kernel.name) && rng.chance(0.8) ? 0 : MULTI_OUTPUT.includes(kernel.name) ? rng.pick([1, 2, 2, 3, 4, 4]) : rng.chance(0.9) ? 1 : rng.pick([2, 0]);
  const opOutputs: number[] = [];
  for (let i = 0; i < outputCount; i++) {
    const type = rng.chance(0.8) ? mainType : rng.pick(ANY_TYPES);
    const tensor: WriterTensor = { type: kernel.name === 'VAR_HANDLE' && rng.chance(0.8) ? 'resource' : type, shape: kernel.name === 'VAR_HANDLE' && rng.chance(0.8) ? [] : relatedShape(mainShape, rng) };
    quantize(tensor, rng);
    opOutputs.push(tensors.length);
    graph.outputs.push(tensors.length);
    tensors.push(tensor);
  }
  const optionsTable = kernel.options ?? '';
  graph.operators.push({
    op: kernel.code === CUSTOM ? { custom: kernel.name } : kernel.code,
    inputs: opInputs, outputs: opOutputs,
    options: optionsTable ? randomOptions(optionsTable, rng) : undefined,
    optionsTable,
    customOptions: CUSTOM_OPTIONS[kernel.name] && rng.chance(0.95) ? flexbuffersMap(CUSTOM_OPTIONS[kernel.name](rng), { width: 4 }) : undefined,
  });
  // Nothing written: pass on what it read (a resource handle to the next variable op).
  return opOutputs.length ? opOutputs[0] : opInputs.length ? opInputs[0] : -1;
}

/** Ops that only make sense after another: a variable's handle feeds the ops that use it. */
const FOLLOWERS: Record<string, string[]> = {
  VAR_HANDLE: ['ASSIGN_VARIABLE', 'READ_VARIABLE'],
  ASSIGN_VARIABLE: ['READ_VARIABLE', 'ASSIGN_VARIABLE'],
};

/**
 * A random model of one operator (most cases) or a chain of two or three, each feeding the
 * next; null if the writer refused what came out.
 */
export function synthModel(rng: Rng, kernels: readonly Kernel[] = ALL_KERNELS): SynthCase | null {
  if (!kernels.length) return null;
  const graph: Graph = { tensors: [], inputs: [], outputs: [], operators: [] };
  const length = rng.chance(0.7) ? 1 : rng.pick([2, 2, 3]);
  const names: string[] = [];
  let kernel = rng.pick(kernels);
  let feed = -1;
  for (let i = 0; i < length; i++) {
    names.push(kernel.name);
    feed = addOperator(graph, kernel, rng, feed);
    const followers = (FOLLOWERS[kernel.name] ?? []).map(name => kernels.find(k => k.name === name)).filter((k): k is Kernel => !!k);
    kernel = followers.length && rng.chance(0.8) ? rng.pick(followers) : rng.pick(kernels);
  }
  try {
    return { bytes: writeModel({ subgraphs: [graph] }), name: `synth:${names.join('+')}` };
  } catch {
    return null;
  }
}
