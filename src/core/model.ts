// The model reader: turns a .tflite flatbuffer into plain descriptions of subgraphs, tensors,
// operators and buffers, verifying every offset, length, index and enum on the way.
// Constant data stays where it is: buffers are views over the model's bytes, never copies.
import { ModelError } from './errors.js';
import { FlatReader, quoteName, shortName } from './flatbuffer.js';
import { CUSTOM_CODE } from './resolver.js';
import { BUILTIN_OPERATOR_NAMES, BUILTIN_OPTIONS, BUILTIN_OPTIONS_2, TENSOR_TYPE_NAMES, type OptionsTable } from './schema.js';
import { elementSize, typeName } from './types.js';

export interface Quantization {
  /** One scale per channel (per-channel) or one (per-tensor). */
  scale: Float32Array;
  zeroPoint: Int32Array;
  quantizedDimension: number;
}

export interface TensorInfo {
  index: number;
  name: string;
  type: number;
  shape: Int32Array;
  /** The shape with -1 for dynamic dimensions; null when the file has none or it equals `shape`. */
  shapeSignature: Int32Array | null;
  /** Index into model.buffers; 0 means no data (TFLite's convention). */
  buffer: number;
  quantization: Quantization | null;
  isVariable: boolean;
  /** Element count and byte size implied by the shape. */
  elementCount: number;
  byteLength: number;
}

export interface OperatorInfo {
  index: number;
  opcodeIndex: number;
  builtinCode: number;
  /** Builtin operator name (e.g. "CONV_2D"), or the custom code for CUSTOM ops. */
  opName: string;
  version: number;
  inputs: Int32Array;
  outputs: Int32Array;
  intermediates: Int32Array;
  /** BuiltinOptions union type and table position (0 = none); parsed on demand by readOptions. */
  optionsType: number;
  optionsTable: number;
  options2Type: number;
  options2Table: number;
  customOptions: Uint8Array | null;
}

export interface SubgraphInfo {
  index: number;
  name: string;
  tensors: TensorInfo[];
  inputs: Int32Array;
  outputs: Int32Array;
  operators: OperatorInfo[];
}

export interface OperatorCode {
  builtinCode: number;
  customCode: string;
  version: number;
  name: string;
}

export interface Model {
  bytes: Uint8Array;
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: SubgraphInfo[];
  /** Data of each buffer as a view over `bytes`, or null when the buffer is empty. */
  buffers: (Uint8Array | null)[];
  metadata: { name: string; buffer: number }[];
  /** The reader the model was parsed with, kept to read operator options on demand. */
  reader: FlatReader;
}

/**
 * A parsed model, branded: only readModel makes one, so the interpreter can tell it from any
 * object that merely has the same fields (which would fail deep inside with TypeErrors).
 */
class ParsedModel implements Model {
  readonly #brand = true;
  bytes: Uint8Array;
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: SubgraphInfo[];
  buffers: (Uint8Array | null)[];
  metadata: { name: string; buffer: number }[];
  reader: FlatReader;

  constructor(bytes: Uint8Array, version: number, description: string, operatorCodes: OperatorCode[], subgraphs: SubgraphInfo[],
    buffers: (Uint8Array | null)[], metadata: { name: string; buffer: number }[], reader: FlatReader) {
    this.bytes = bytes;
    this.version = version;
    this.description = description;
    this.operatorCodes = operatorCodes;
    this.subgraphs = subgraphs;
    this.buffers = buffers;
    this.metadata = metadata;
    this.reader = reader;
  }

  static is(value: unknown): boolean {
    // Not `#brand in value`: the Moddable SDK's linker (xsl 8.2.3) keeps the engine's private-field
    // lookup only for code that reads a private field, not for `#x in`, so in a dead-stripped
    // device build that check throws "dead strip". Reading the field is the same brand check (it
    // throws on any object the constructor did not make, a Proxy of a model included); the
    // instanceof first keeps the usual non-models (bytes, Resources) off the throwing path.
    if (!(value instanceof ParsedModel)) return false;
    try {
      return value.#brand;
    } catch {
      return false;
    }
  }
}

/** True only for a model readModel returned (a brand check, not a look at its fields). */
export function isModel(value: unknown): value is Model {
  return ParsedModel.is(value);
}

/**
 * Largest tensor the engine will describe: bounds every size field before anything is allocated.
 * XS ends the whole machine, uncatchably, when an ArrayBuffer of 1 GB cannot be had (xsnap:
 * "not enough memory"), so the limit stays well below that.
 */
export const MAX_TENSOR_BYTES = 0x10000000;
/**
 * A tensor with a zero dimension holds nothing, so no size bound sees its other dimensions, yet
 * kernels loop over them (a pool's output rows and columns) or size tables by them (a resize's).
 * Their product is bounded here; real models have no empty tensors this wide.
 */
export const MAX_EMPTY_TENSOR_SPAN = 0x10000;
/** Longest model description, in UTF-8 bytes (names have MAX_NAME_BYTES). */
export const MAX_DESCRIPTION_BYTES = 0x10000;
const MAX_RANK = 16;
/**
 * Per subgraph. Planning is quadratic in the buffers alive at once, so a small hostile file
 * listing one shared tensor table thousands of times could stall allocateTensors(); real
 * microcontroller models have a few hundred tensors at most.
 */
export const MAX_SUBGRAPH_TENSORS = 8192;
export const MAX_SUBGRAPH_OPERATORS = 8192;

/**
 * Accepts the model as a Uint8Array, an ArrayBuffer, or a Moddable Resource / HostBuffer (which
 * `new Uint8Array(resource)` views in place).
 */
export function toBytes(source: unknown): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) {
    const view = source as ArrayBufferView;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  // Only ArrayBuffer-like objects (a HostBuffer has byteLength): `new Uint8Array(arrayLike)` would
  // allocate whatever an object's `length` claims.
  if (source !== null && typeof source === 'object' && !('length' in source) && typeof (source as { byteLength?: unknown }).byteLength === 'number') {
    try {
      return new Uint8Array(source as ArrayBuffer); // HostBuffer on Moddable
    } catch {
      // fall through to the error below
    }
  }
  throw new ModelError(`model must be a Uint8Array, an ArrayBuffer or a Resource, got ${source === null ? 'null' : typeof source}`);
}

export function readModel(source: unknown): Model {
  const bytes = toBytes(source);
  const r = new FlatReader(bytes);
  // Each byte of a model whose tables are not shared is read about once; 16 reads per byte
  // leaves room for the sharing converters really do.
  r.budget = 16 * bytes.length + (1 << 20);
  const root = r.root('TFL3');
  const version = r.scalar(root, 0, 'u32', 0, 'model');
  if (version !== 3) throw new ModelError(`schema version ${version} is not supported (expected 3)`);

  const operatorCodes = readOperatorCodes(r, root);
  const buffers = readBuffers(r, root);
  const start = r.vector(root, 2, 4, 'model.subgraphs');
  const subgraphCount = r.lastLength;
  if (start < 0 || subgraphCount === 0) throw new ModelError('model has no subgraphs');
  const subgraphs: SubgraphInfo[] = [];
  for (let i = 0; i < subgraphCount; i++) {
    subgraphs.push(readSubgraph(r, r.indirect(start + 4 * i, `subgraph ${i}`), i, operatorCodes, buffers));
  }
  const metadata: { name: string; buffer: number }[] = [];
  const metaStart = r.vector(root, 6, 4, 'model.metadata');
  for (let i = 0, n = r.lastLength; i < n; i++) {
    const t = r.indirect(metaStart + 4 * i, `metadata ${i}`);
    const buffer = r.scalar(t, 1, 'u32', 0, `metadata ${i}`);
    if (buffer >= buffers.length) throw new ModelError(`metadata ${i}: buffer ${buffer} out of range (model has ${buffers.length} buffers)`);
    metadata.push({ name: r.string(t, 0, `metadata ${i}.name`), buffer });
  }
  const description = r.string(root, 3, 'model.description', MAX_DESCRIPTION_BYTES);
  // Operator options are read at allocateTensors(), as often as the model is given an interpreter.
  r.budget = Infinity;
  return new ParsedModel(bytes, version, description, operatorCodes, subgraphs, buffers, metadata, r);
}

function readOperatorCodes(r: FlatReader, root: number): OperatorCode[] {
  const start = r.vector(root, 1, 4, 'model.operator_codes');
  const codes: OperatorCode[] = [];
  for (let i = 0, n = r.lastLength; i < n; i++) {
    const what = `operator code ${i}`;
    const t = r.indirect(start + 4 * i, what);
    const deprecated = r.scalar(t, 0, 'i8', 0, what);
    const builtin = r.scalar(t, 3, 'i32', 0, what);
    // TFLite's rule: the larger of the two fields is the real code (old files set only the first).
    const builtinCode = Math.max(deprecated, builtin);
    const customCode = r.string(t, 1, `${what}.custom_code`);
    if (builtinCode < 0 || builtinCode >= BUILTIN_OPERATOR_NAMES.length || BUILTIN_OPERATOR_NAMES[builtinCode] === '') {
      throw new ModelError(`${what}: unknown builtin operator ${builtinCode}`);
    }
    const name = builtinCode === 32 ? customCode || 'CUSTOM' : BUILTIN_OPERATOR_NAMES[builtinCode];
    codes.push({ builtinCode, customCode, version: r.scalar(t, 2, 'i32', 1, what), name });
  }
  return codes;
}

function readBuffers(r: FlatReader, root: number): (Uint8Array | null)[] {
  const start = r.vector(root, 4, 4, 'model.buffers');
  const buffers: (Uint8Array | null)[] = [];
  for (let i = 0, n = r.lastLength; i < n; i++) {
    const what = `buffer ${i}`;
    const t = r.indirect(start + 4 * i, what);
    const data = r.vector(t, 0, 1, what);
    if (data >= 0) {
      buffers.push(r.lastLength ? r.bytes.subarray(data, data + r.lastLength) : null);
      continue;
    }
    // Models over 2 GB keep buffer data after the flatbuffer, addressed from the file's start.
    const offset = r.scalar(t, 1, 'u64', 0, what);
    const size = r.scalar(t, 2, 'u64', 0, what);
    if (offset > 1 && size > 0) {
      r.check(offset, size, `${what} (offset ${offset}, size ${size})`);
      buffers.push(r.bytes.subarray(offset, offset + size));
    } else {
      buffers.push(null);
    }
  }
  return buffers;
}

function readSubgraph(r: FlatReader, t: number, index: number, codes: OperatorCode[], buffers: (Uint8Array | null)[]): SubgraphInfo {
  const where = `subgraph ${index}`;
  const tensorsStart = r.vector(t, 0, 4, `${where}.tensors`);
  const tensors: TensorInfo[] = [];
  if (r.lastLength > MAX_SUBGRAPH_TENSORS) throw new ModelError(`${where} has ${r.lastLength} tensors, over the limit of ${MAX_SUBGRAPH_TENSORS}`);
  for (let i = 0, n = r.lastLength; i < n; i++) {
    tensors.push(readTensor(r, r.indirect(tensorsStart + 4 * i, `${where} tensor ${i}`), i, where, buffers));
  }
  const count = tensors.length;
  const inputs = indexVector(r, t, 1, `${where}.inputs`, count, false);
  const outputs = indexVector(r, t, 2, `${where}.outputs`, count, false);
  const operators: OperatorInfo[] = [];
  const opsStart = r.vector(t, 3, 4, `${where}.operators`);
  if (r.lastLength > MAX_SUBGRAPH_OPERATORS) throw new ModelError(`${where} has ${r.lastLength} operators, over the limit of ${MAX_SUBGRAPH_OPERATORS}`);
  for (let i = 0, n = r.lastLength; i < n; i++) {
    operators.push(readOperator(r, r.indirect(opsStart + 4 * i, `${where} operator ${i}`), i, where, codes, count));
  }
  const subgraph: SubgraphInfo = { index, name: r.string(t, 4, `${where}.name`), tensors, inputs, outputs, operators };
  checkDataflow(subgraph, buffers);
  return subgraph;
}

function indexVector(r: FlatReader, t: number, slot: number, what: string, count: number, optional: boolean): Int32Array {
  const v = r.int32Vector(t, slot, what) ?? new Int32Array(0);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    if (k >= count || k < (optional ? -1 : 0)) {
      throw new ModelError(`${what}[${i}]: tensor index ${k} out of range (subgraph has ${count} tensors)`);
    }
  }
  return v;
}

function readTensor(r: FlatReader, t: number, index: number, where: string, buffers: (Uint8Array | null)[]): TensorInfo {
  const what = `${where} tensor ${index}`;
  const name = r.string(t, 3, `${what}.name`);
  const label = name ? `${what} ${quoteName(name)}` : what;
  const type = r.scalar(t, 1, 'i8', 0, label);
  const size = elementSize(type);
  // Strings have no fixed element size, so no kernel could bound its reads of one.
  if (size === 0) {
    throw new ModelError(`${label}: ${TENSOR_TYPE_NAMES[type] ? `tensor type ${typeName(type)} is not supported` : `unknown tensor type ${type}`}`);
  }
  const shape = r.int32Vector(t, 0, `${label}.shape`) ?? new Int32Array(0);
  if (shape.length > MAX_RANK) throw new ModelError(`${label}: rank ${shape.length} exceeds ${MAX_RANK}`);
  // The product of the non-zero dimensions bounds every dimension, and every loop over them.
  let elementCount = 1, span = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] < 0) throw new ModelError(`${label}: dimension ${i} is ${shape[i]}; dynamic shapes are not supported`);
    elementCount *= shape[i];
    if (shape[i] > 0) span *= shape[i];
  }
  const byteLength = elementCount * size;
  if (span * size > MAX_TENSOR_BYTES) {
    throw new ModelError(`${label}: shape [${Array.from(shape).join(', ')}] makes ${span * size} bytes${elementCount ? '' : ' (counting its dimensions other than 0)'}, over the ${MAX_TENSOR_BYTES}-byte limit`);
  }
  if (elementCount === 0 && span > MAX_EMPTY_TENSOR_SPAN) {
    throw new ModelError(`${label}: shape [${Array.from(shape).join(', ')}] holds no elements, but its other dimensions span ${span}, over the limit of ${MAX_EMPTY_TENSOR_SPAN} for an empty tensor`);
  }
  const buffer = r.scalar(t, 2, 'u32', 0, label);
  if (buffer >= buffers.length) throw new ModelError(`${label}: buffer ${buffer} out of range (model has ${buffers.length} buffers)`);
  const data = buffers[buffer];
  if (data && data.length !== byteLength) {
    throw new ModelError(`${label}: buffer ${buffer} holds ${data.length} bytes, the shape [${Array.from(shape).join(', ')}] of ${typeName(type)} needs ${byteLength}`);
  }
  let quantization: Quantization | null = null;
  const q = r.table(t, 4, `${label}.quantization`);
  if (q) {
    const scale = r.float32Vector(q, 2, `${label}.quantization.scale`);
    // Read straight into the Int32Array: a per-channel model has thousands of zero points, and a
    // plain array of them on the way would cost an XS slot each.
    const zeroAt = r.vector(q, 3, 8, `${label}.quantization.zero_point`);
    const zeroCount = zeroAt < 0 ? 0 : r.lastLength;
    if (scale && scale.length) {
      for (let i = 0; i < scale.length; i++) {
        // Kernels derive fixed-point multipliers from scales; a NaN or infinite one has none.
        if (!isFinite(scale[i])) throw new ModelError(`${label}: quantization scale ${i} is ${scale[i]}`);
      }
      if (zeroCount && zeroCount !== scale.length) {
        throw new ModelError(`${label}: ${scale.length} quantization scales but ${zeroCount} zero points`);
      }
      const zeroPoint = new Int32Array(scale.length);
      for (let i = 0; i < zeroCount; i++) {
        const z = r.i64(zeroAt + 8 * i);
        if (!(z >= -2147483648 && z <= 2147483647)) {
          throw new ModelError(`${label}: quantization zero point ${i} is ${z}, outside int32`);
        }
        zeroPoint[i] = z;
      }
      const quantizedDimension = r.scalar(q, 6, 'i32', 0, label);
      // TFLM accepts an out-of-range quantized_dimension (person_detect's biases have one); only a
      // dimension that exists must match the number of scales. Kernels check what they use.
      if (scale.length > 1 && quantizedDimension >= 0 && quantizedDimension < shape.length && shape[quantizedDimension] !== scale.length) {
        throw new ModelError(`${label}: ${scale.length} per-channel scales do not match dimension ${quantizedDimension} of shape [${Array.from(shape).join(', ')}]`);
      }
      quantization = { scale, zeroPoint, quantizedDimension };
    }
  }
  const sparsity = r.field(t, 6, label);
  if (sparsity) throw new ModelError(`${label}: sparse tensors are not supported`);
  return {
    index, name, type, shape, shapeSignature: distinctSignature(shape, r.int32Vector(t, 7, `${label}.shape_signature`)), buffer, quantization,
    isVariable: r.scalar(t, 5, 'b', 0, label) === 1, elementCount, byteLength,
  };
}

function readOperator(r: FlatReader, t: number, index: number, where: string, codes: OperatorCode[], tensorCount: number): OperatorInfo {
  const what = `${where} operator ${index}`;
  const opcodeIndex = r.scalar(t, 0, 'u32', 0, what);
  if (opcodeIndex >= codes.length) throw new ModelError(`${what}: opcode index ${opcodeIndex} out of range (model has ${codes.length} operator codes)`);
  const code = codes[opcodeIndex];
  const label = `${shortName(code.name)} (${what})`;
  const optionsType = r.scalar(t, 3, 'u8', 0, label);
  const optionsTable = optionsType ? r.table(t, 4, `${label} options`) : 0;
  const options2Type = r.scalar(t, 11, 'u8', 0, label);
  const options2Table = options2Type ? r.table(t, 12, `${label} options`) : 0;
  // Read once here, under the load's budget: readOptions reads the same tables again at every
  // allocateTensors(), so a bad table fails now and shared ones cannot multiply that work.
  if (optionsTable && BUILTIN_OPTIONS[optionsType - 1]) readOptionsTable(r, BUILTIN_OPTIONS[optionsType - 1], optionsTable, `${label} options`);
  if (options2Table && BUILTIN_OPTIONS_2[options2Type - 1]) readOptionsTable(r, BUILTIN_OPTIONS_2[options2Type - 1], options2Table, `${label} options`);
  const customStart = r.vector(t, 5, 1, `${label}.custom_options`);
  const customOptions = customStart >= 0 ? r.bytes.subarray(customStart, customStart + r.lastLength) : null;
  return {
    index, opcodeIndex, builtinCode: code.builtinCode, opName: code.name, version: code.version,
    inputs: indexVector(r, t, 1, `${label}.inputs`, tensorCount, true),
    outputs: indexVector(r, t, 2, `${label}.outputs`, tensorCount, false),
    intermediates: indexVector(r, t, 8, `${label}.intermediates`, tensorCount, true),
    optionsType, optionsTable, options2Type, options2Table,
    customOptions,
  };
}

/**
 * Operators run in file order, so every tensor an operator reads must be constant, a graph
 * input, a variable, or written by an earlier operator; this also rules out cycles, and so does
 * refusing an operator that writes one of its own inputs or a graph input (it would compute in
 * place, over values it still reads). No tensor may be written twice or be both constant and
 * written.
 *
 * One exception, as TFLM plans them: a CUSTOM operator may read a tensor nothing writes. Vela's
 * ethos-u operator takes its scratch areas that way, and so do other vendors' custom kernels (an
 * arena buffer the kernel fills itself); the planner gives it the arena from its first reader
 * to its last, its contents undefined until the kernel writes them. And a tensor of no
 * elements holds nothing to read: old converters give RESHAPE an empty shape input (shape [0],
 * no data) that TFLM's kernel never reads. Otherwise a builtin operator reading a tensor nothing
 * writes stays an error (a cycle, or a missing input).
 */
function checkDataflow(subgraph: SubgraphInfo, buffers: (Uint8Array | null)[]): void {
  const { tensors, operators } = subgraph;
  const READY = 1, GRAPH_INPUT = 2, WRITTEN = 3;
  const state = new Uint8Array(tensors.length);
  for (let i = 0; i < tensors.length; i++) {
    if (buffers[tensors[i].buffer] || tensors[i].isVariable) state[i] = READY;
  }
  for (let i = 0; i < subgraph.inputs.length; i++) state[subgraph.inputs[i]] = GRAPH_INPUT;
  const tensorName = (k: number) => `tensor ${k}${tensors[k].name ? ` ${quoteName(tensors[k].name)}` : ''}`;
  for (const op of operators) {
    const label = `${shortName(op.opName)} (subgraph ${subgraph.index} operator ${op.index})`;
    for (let i = 0; i < op.inputs.length; i++) {
      const k = op.inputs[i];
      if (k >= 0 && !state[k]) {
        if (op.builtinCode === CUSTOM_CODE || tensors[k].elementCount === 0) { state[k] = READY; continue; }
        throw new ModelError(`${label} reads ${tensorName(k)} before any operator writes it (a cycle, or a missing input)`);
      }
    }
    for (let i = 0; i < op.outputs.length; i++) {
      const k = op.outputs[i];
      for (let j = 0; j < op.inputs.length; j++) {
        if (op.inputs[j] === k) throw new ModelError(`${label} writes ${tensorName(k)}, which is also its input ${j} (a cycle)`);
      }
      if (state[k] === GRAPH_INPUT) throw new ModelError(`${label} writes ${tensorName(k)}, which is an input of the subgraph (a cycle)`);
      if (state[k] === WRITTEN || (buffers[tensors[k].buffer] && !tensors[k].isVariable)) {
        throw new ModelError(`${label} writes tensor ${k}, which is ${state[k] === WRITTEN ? 'written by an earlier operator' : 'constant'}`);
      }
      state[k] = WRITTEN;
    }
  }
  for (let i = 0; i < subgraph.outputs.length; i++) {
    const k = subgraph.outputs[i];
    if (!state[k]) throw new ModelError(`subgraph ${subgraph.index} output tensor ${k} is never written`);
  }
}

/** Options of a builtin operator as a plain object, defaults filled in. */
export type Options = Record<string, number | string | Int32Array | number[]>;

/**
 * Parses an operator's builtin options as the named table. An operator with no options gets the
 * table's defaults (as TFLite's converter omits them); options of another table are an error.
 */
export function readOptions(model: Model, subgraph: number, op: OperatorInfo, tableName: string): Options {
  let table: OptionsTable | undefined;
  let position = 0;
  let found = '';
  if (op.optionsType) {
    table = BUILTIN_OPTIONS[op.optionsType - 1];
    position = op.optionsTable;
  } else if (op.options2Type) {
    table = BUILTIN_OPTIONS_2[op.options2Type - 1];
    position = op.options2Table;
  }
  if (table) found = table[0];
  else if (op.optionsType || op.options2Type) found = `unknown options type ${op.optionsType || op.options2Type}`;
  const expected = BUILTIN_OPTIONS.find(t => t[0] === tableName) ?? BUILTIN_OPTIONS_2.find(t => t[0] === tableName);
  if (!expected) throw new ModelError(`no options table named ${tableName}`);
  if (found && found !== tableName) {
    throw new ModelError(`${op.opName} (subgraph ${subgraph} operator ${op.index}): options are ${found}, expected ${tableName}`);
  }
  return readOptionsTable(model.reader, expected, position, `${op.opName} (subgraph ${subgraph} operator ${op.index}) ${tableName}`);
}

/** The fields of options table `table` at `position` (0: every field's default). */
function readOptionsTable(r: FlatReader, table: OptionsTable, position: number, what: string): Options {
  const out: Options = {};
  const fields = table[1];
  for (let slot = 0; slot < fields.length; slot++) {
    const f = fields[slot];
    if (!f) continue;
    const [name, kind, dflt] = f;
    if (!position) out[name] = kind === 's' ? '' : kind === 'vi32' || kind === 'vi64' ? [] : dflt;
    else if (kind === 's') out[name] = r.string(position, slot, what);
    // Plain arrays: options are read inside allocateTensors(), where no typed array may be made.
    else if (kind === 'vi32') out[name] = r.int32List(position, slot, what) ?? [];
    else if (kind === 'vi64') out[name] = r.int64Vector(position, slot, what) ?? [];
    else out[name] = r.scalar(position, slot, kind, dflt, what);
  }
  return out;
}

/** Keeps a shape signature only when it says more than the shape: on XS every typed array costs heap slots. */
function distinctSignature(shape: Int32Array, signature: Int32Array | null): Int32Array | null {
  if (!signature || signature.length !== shape.length) return signature;
  for (let i = 0; i < shape.length; i++) if (signature[i] !== shape[i]) return signature;
  return null;
}
