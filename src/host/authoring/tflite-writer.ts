// Writes .tflite flatbuffers from plain descriptions, for tests, the fuzzer and the converter.
// Builtin options are written generically from the descriptor tables in core/schema.ts, so
// every options table the reader knows can be written without per-op code here.
import { Builder } from 'flatbuffers';
import { BUILTIN_OPERATOR_NAMES, BUILTIN_OPTIONS, BUILTIN_OPTIONS_2, TENSOR_TYPE_NAMES, type OptionsTable } from '../../core/schema.js';

export type TensorTypeName = 'float32' | 'float16' | 'int32' | 'uint8' | 'int64' | 'string' | 'bool' | 'int16' | 'int8' | 'float64' | 'uint32' | 'uint16' | 'resource';

export interface WriterTensor {
  name?: string;
  type: TensorTypeName | number;
  shape: readonly number[];
  /** Constant contents: a typed array whose bytes are stored as they are, or plain numbers converted to `type`. */
  data?: ArrayBufferView | readonly number[] | readonly bigint[];
  scale?: number | readonly number[];
  zeroPoint?: number | readonly number[];
  quantizedDimension?: number;
  min?: readonly number[];
  max?: readonly number[];
  isVariable?: boolean;
  shapeSignature?: readonly number[];
  /**
   * Data kept outside the flatbuffer in TFLite's offset/size form (the layout of models past
   * 2 GB): `offset` counts from the file's start, or from the start of WriterModel.tail when
   * `inTail` is set. For tests and the fuzzer: nothing checks that it points at sense.
   */
  location?: { offset: number; size: number; inTail?: boolean };
  /** Buffer index to use as it is (0 included), instead of one of the tensor's own. */
  bufferIndex?: number;
}

export type OptionValue = number | boolean | string | bigint | readonly number[] | readonly bigint[] | Int32Array;

export interface WriterOperator {
  /** Builtin operator name (e.g. "CONV_2D"), its code, or {custom: name}. */
  op: string | number | { custom: string };
  /** Tensor indices; -1 marks an optional input left out. */
  inputs: readonly number[];
  outputs: readonly number[];
  intermediates?: readonly number[];
  /** Fields of the options table, camelCase as in core/schema.ts. */
  options?: Record<string, OptionValue>;
  /** Options table to write instead of the one the op name implies ("" writes none). */
  optionsTable?: string;
  customOptions?: Uint8Array;
  version?: number;
}

export interface WriterSubgraph {
  tensors: readonly WriterTensor[];
  inputs: readonly number[];
  outputs: readonly number[];
  operators: readonly WriterOperator[];
  name?: string;
}

export interface WriterModel {
  subgraphs: readonly WriterSubgraph[];
  description?: string;
  metadata?: readonly { name: string; data: Uint8Array }[];
  /** Data for buffer 0, which TFLite keeps empty (a hostile file may not). */
  buffer0?: Uint8Array;
  /** Bytes appended after the flatbuffer, 16-byte aligned: where `location.inTail` points. */
  tail?: Uint8Array;
}

const CUSTOM = 32;
/** Builtin codes at or above this only fit in OperatorCode.builtin_code. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

/** Ops whose options table is not simply "<OpName>Options" (compared without case or underscores). */
const OPTIONS_EXCEPTIONS: Record<string, string> = {
  AVERAGE_POOL_2D: 'Pool2DOptions',
  MAX_POOL_2D: 'Pool2DOptions',
  L2_POOL_2D: 'Pool2DOptions',
  MEAN: 'ReducerOptions',
  SUM: 'ReducerOptions',
  REDUCE_PROD: 'ReducerOptions',
  REDUCE_MAX: 'ReducerOptions',
  REDUCE_MIN: 'ReducerOptions',
  REDUCE_ANY: 'ReducerOptions',
  REDUCE_ALL: 'ReducerOptions',
  MAXIMUM: 'MaximumMinimumOptions',
  MINIMUM: 'MaximumMinimumOptions',
  L2_NORMALIZATION: 'L2NormOptions',
  UNIDIRECTIONAL_SEQUENCE_RNN: 'SequenceRNNOptions',
  CONV_3D_TRANSPOSE: 'Conv3DOptions',
  RANDOM_STANDARD_NORMAL: 'RandomOptions',
  RANDOM_UNIFORM: 'RandomOptions',
  MULTINOMIAL: 'RandomOptions',
  UNSORTED_SEGMENT_PROD: 'UnsortedSegmentProdOptions',
  STABLEHLO_COMPOSITE: 'StableHLOCompositeOptions',
};

/** Enum-valued option fields that also accept their schema names. */
const PADDING: Record<string, number> = { SAME: 0, VALID: 1 };
const ACTIVATION: Record<string, number> = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 };
const FIELD_ENUMS: Record<string, Record<string, number>> = {
  padding: PADDING,
  fusedActivationFunction: ACTIVATION,
};
const TYPE_FIELDS = new Set(['outputType', 'inDataType', 'outDataType', 'outType', 'idxOutType', 'keyDtype', 'valueDtype', 'quantizedBiasType']);

const normalize = (name: string) => name.replace(/_/g, '').toLowerCase();
const TABLES_BY_KEY = new Map<string, { table: OptionsTable; union: 1 | 2; type: number }>();
BUILTIN_OPTIONS.forEach((t, i) => TABLES_BY_KEY.set(normalize(t[0]), { table: t, union: 1, type: i + 1 }));
BUILTIN_OPTIONS_2.forEach((t, i) => TABLES_BY_KEY.set(normalize(t[0]), { table: t, union: 2, type: i + 1 }));

/** The options table TFLite's converter writes for a builtin op, or '' for ops that carry none. */
export function optionsTableFor(opName: string): string {
  const name = OPTIONS_EXCEPTIONS[opName] ?? `${opName}Options`;
  const found = TABLES_BY_KEY.get(normalize(name));
  return found ? found.table[0] : '';
}

/** TensorType number for a type name or number. */
export function tensorTypeCode(type: string | number): number {
  if (typeof type === 'number') {
    if (!Number.isInteger(type) || type < 0 || type >= TENSOR_TYPE_NAMES.length) throw new Error(`unknown tensor type ${type}`);
    return type;
  }
  const code = TENSOR_TYPE_NAMES.indexOf(type.toLowerCase());
  if (code < 0) throw new Error(`unknown tensor type "${type}"`);
  return code;
}

function builtinCode(op: string | number): number {
  if (typeof op === 'number') {
    if (!(op >= 0 && op < BUILTIN_OPERATOR_NAMES.length) || BUILTIN_OPERATOR_NAMES[op] === '') throw new Error(`unknown builtin operator ${op}`);
    return op;
  }
  const code = BUILTIN_OPERATOR_NAMES.indexOf(op.toUpperCase());
  if (code < 0 || op === '') throw new Error(`unknown builtin operator "${op}"`);
  return code;
}

// The Builder keeps its write cursor private; copying bulk bytes through it one addInt8 at a
// time would make multi-megabyte weight buffers slow, so copy as its createByteVector does.
interface BuilderInternals {
  bb: { bytes(): Uint8Array; setPosition(position: number): void };
  space: number;
}

function bytesVector(b: Builder, bytes: Uint8Array, alignment: number): number {
  b.startVector(1, bytes.length, alignment);
  const inner = b as unknown as BuilderInternals;
  inner.space -= bytes.length;
  inner.bb.setPosition(inner.space);
  inner.bb.bytes().set(bytes, inner.space);
  return b.endVector();
}

function int32Vector(b: Builder, values: ArrayLike<number>): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i] | 0);
  return b.endVector();
}

function int64Vector(b: Builder, values: ArrayLike<number | bigint>): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
  return b.endVector();
}

function float32Vector(b: Builder, values: ArrayLike<number>): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** Little-endian bytes of constant data for a tensor of type `type`. */
export function tensorBytes(type: number, data: ArrayBufferView | readonly number[] | readonly bigint[]): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const values = data as readonly (number | bigint)[];
  const n = values.length;
  switch (type) {
    case 0: return bytesOf(Float32Array.from(values, Number));
    case 2: return bytesOf(Int32Array.from(values, Number));
    case 3: case 6: return bytesOf(Uint8Array.from(values, Number));
    case 4: {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(values[i]);
      return bytesOf(out);
    }
    case 7: return bytesOf(Int16Array.from(values, Number));
    case 9: return bytesOf(Int8Array.from(values, Number));
    case 10: return bytesOf(Float64Array.from(values, Number));
    case 15: return bytesOf(Uint32Array.from(values, Number));
    case 16: return bytesOf(Uint16Array.from(values, Number));
    default: throw new Error(`constant data of type ${TENSOR_TYPE_NAMES[type] ?? type} must be given as a typed array`);
  }
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value as T];
}

function writeQuantization(b: Builder, t: WriterTensor, where: string): number {
  const scales = asList(t.scale);
  if (!scales && !t.min && !t.max) return 0;
  let zeroPoints = asList(t.zeroPoint) ?? [0];
  if (scales && zeroPoints.length === 1 && scales.length > 1) zeroPoints = new Array(scales.length).fill(zeroPoints[0]);
  if (scales && zeroPoints.length !== scales.length) throw new Error(`${where}: ${scales.length} scales but ${zeroPoints.length} zero points`);
  const minOffset = t.min ? float32Vector(b, t.min) : 0;
  const maxOffset = t.max ? float32Vector(b, t.max) : 0;
  const scaleOffset = scales ? float32Vector(b, scales) : 0;
  const zeroOffset = scales ? int64Vector(b, zeroPoints) : 0;
  b.startObject(7);
  if (minOffset) b.addFieldOffset(0, minOffset, 0);
  if (maxOffset) b.addFieldOffset(1, maxOffset, 0);
  if (scaleOffset) b.addFieldOffset(2, scaleOffset, 0);
  if (zeroOffset) b.addFieldOffset(3, zeroOffset, 0);
  b.addFieldInt32(6, t.quantizedDimension ?? 0, 0);
  return b.endObject();
}

function enumValue(field: string, value: OptionValue, where: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (TYPE_FIELDS.has(field)) return tensorTypeCode(value);
    const names = FIELD_ENUMS[field];
    const code = names?.[value.toUpperCase()];
    if (code === undefined) throw new Error(`${where}: "${value}" is not a value of ${field}`);
    return code;
  }
  throw new Error(`${where}: ${field} takes a number, got ${Array.isArray(value) ? 'an array' : typeof value}`);
}

/** Writes one options table from camelCase values; fields left out are not written (schema default). */
function writeOptions(b: Builder, table: OptionsTable, values: Record<string, OptionValue>, where: string): number {
  const fields = table[1];
  for (const key of Object.keys(values)) {
    if (values[key] === undefined) continue;
    if (!fields.some(f => f && f[0] === key)) {
      const known = fields.filter(f => f).map(f => f![0]).join(', ') || 'no fields';
      throw new Error(`${where}: ${table[0]} has no field "${key}" (it has ${known})`);
    }
  }
  // Strings and vectors must be finished before the table starts.
  const offsets: number[] = fields.map(f => {
    if (!f) return 0;
    const [name, kind] = f;
    const v = values[name];
    if (v === undefined) return 0;
    if (kind === 's') return b.createString(String(v));
    if (kind === 'vi32') return int32Vector(b, Array.from(v as ArrayLike<number>, Number));
    if (kind === 'vi64') return int64Vector(b, Array.from(v as ArrayLike<number | bigint>));
    return 0;
  });
  b.startObject(fields.length);
  fields.forEach((f, slot) => {
    if (!f) return;
    const [name, kind, dflt] = f;
    const v = values[name];
    if (v === undefined) return;
    const label = `${where} ${table[0]}.${name}`;
    switch (kind) {
      case 's': case 'vi32': case 'vi64':
        b.addFieldOffset(slot, offsets[slot], 0);
        break;
      case 'b': case 'i8': case 'u8':
        b.addFieldInt8(slot, enumValue(name, v, label), dflt);
        break;
      case 'i16': case 'u16':
        b.addFieldInt16(slot, enumValue(name, v, label), dflt);
        break;
      case 'i32': case 'u32':
        b.addFieldInt32(slot, enumValue(name, v, label), dflt);
        break;
      case 'i64': case 'u64':
        b.addFieldInt64(slot, BigInt(typeof v === 'bigint' ? v : enumValue(name, v, label)), BigInt(dflt));
        break;
      case 'f32':
        b.addFieldFloat32(slot, enumValue(name, v, label), dflt);
        break;
      case 'f64':
        b.addFieldFloat64(slot, enumValue(name, v, label), dflt);
        break;
      default:
        throw new Error(`${label}: field kind ${kind} cannot be written`);
    }
  });
  return b.endObject();
}

interface OpcodeKey { builtin: number; custom: string; version: number }

/** Serializes a model description to .tflite bytes (schema version 3, identifier "TFL3"). */
export function writeModel(model: WriterModel): Uint8Array {
  if (!model?.subgraphs?.length) throw new Error('writeModel: the model needs at least one subgraph');
  const b = new Builder(1024);

  // Buffer 0 is TFLite's empty sentinel; every constant tensor and metadata entry gets its own.
  const bufferData: (Uint8Array | null)[] = [model.buffer0 ?? null];
  const locations: { offset: number; size: number; inTail?: boolean }[] = [];
  const locationOf = new Map<number, number>();
  const tensorBuffer: number[][] = model.subgraphs.map(sg => sg.tensors.map(t => {
    if (t.bufferIndex !== undefined) return t.bufferIndex;
    if (t.location) {
      bufferData.push(null);
      locationOf.set(bufferData.length - 1, locations.length);
      locations.push(t.location);
      return bufferData.length - 1;
    }
    if (t.data === undefined) return 0;
    bufferData.push(tensorBytes(tensorTypeCode(t.type), t.data));
    return bufferData.length - 1;
  }));
  const metadataBuffer = (model.metadata ?? []).map(m => {
    bufferData.push(m.data);
    return bufferData.length - 1;
  });

  const opcodes: OpcodeKey[] = [];
  const opcodeIndex = (op: WriterOperator, where: string): number => {
    let builtin: number, custom = '';
    if (typeof op.op === 'object' && op.op !== null) {
      builtin = CUSTOM;
      custom = op.op.custom;
      if (!custom) throw new Error(`${where}: custom op needs a name`);
    } else {
      builtin = builtinCode(op.op);
    }
    const version = op.version ?? 1;
    let k = opcodes.findIndex(c => c.builtin === builtin && c.custom === custom && c.version === version);
    if (k < 0) {
      opcodes.push({ builtin, custom, version });
      k = opcodes.length - 1;
    }
    return k;
  };

  const subgraphOffsets = model.subgraphs.map((sg, s) => {
    const where = `subgraph ${s}`;
    const tensorOffsets = sg.tensors.map((t, i) => {
      const label = `${where} tensor ${i}${t.name ? ` "${t.name}"` : ''}`;
      const type = tensorTypeCode(t.type);
      const nameOffset = b.createString(t.name ?? '');
      const shapeOffset = int32Vector(b, t.shape);
      const quantOffset = writeQuantization(b, t, label);
      const signatureOffset = t.shapeSignature ? int32Vector(b, t.shapeSignature) : 0;
      b.startObject(8);
      b.addFieldOffset(0, shapeOffset, 0);
      b.addFieldInt8(1, type, 0);
      b.addFieldInt32(2, tensorBuffer[s][i], 0);
      b.addFieldOffset(3, nameOffset, 0);
      if (quantOffset) b.addFieldOffset(4, quantOffset, 0);
      b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
      if (signatureOffset) b.addFieldOffset(7, signatureOffset, 0);
      return b.endObject();
    });
    const operatorOffsets = sg.operators.map((op, o) => {
      const label = `${where} operator ${o}`;
      const code = opcodeIndex(op, label);
      const inputsOffset = int32Vector(b, op.inputs);
      const outputsOffset = int32Vector(b, op.outputs);
      const intermediatesOffset = op.intermediates ? int32Vector(b, op.intermediates) : 0;
      const customOffset = op.customOptions ? bytesVector(b, op.customOptions, 1) : 0;
      let tableName = op.optionsTable;
      if (tableName === undefined) {
        const { builtin } = opcodes[code];
        tableName = builtin === CUSTOM ? '' : optionsTableFor(BUILTIN_OPERATOR_NAMES[builtin]);
      }
      let optionsOffset = 0, optionsType = 0, union: 1 | 2 = 1;
      if (tableName) {
        const found = TABLES_BY_KEY.get(normalize(tableName));
        if (!found) throw new Error(`${label}: no options table named ${tableName}`);
        optionsOffset = writeOptions(b, found.table, op.options ?? {}, label);
        optionsType = found.type;
        union = found.union;
      } else if (op.options && Object.keys(op.options).length) {
        throw new Error(`${label}: options given but the op has no options table (set optionsTable)`);
      }
      b.startObject(13);
      b.addFieldInt32(0, code, 0);
      b.addFieldOffset(1, inputsOffset, 0);
      b.addFieldOffset(2, outputsOffset, 0);
      if (optionsOffset && union === 1) {
        b.addFieldInt8(3, optionsType, 0);
        b.addFieldOffset(4, optionsOffset, 0);
      }
      if (customOffset) b.addFieldOffset(5, customOffset, 0);
      if (intermediatesOffset) b.addFieldOffset(8, intermediatesOffset, 0);
      if (optionsOffset && union === 2) {
        b.addFieldInt8(11, optionsType, 0);
        b.addFieldOffset(12, optionsOffset, 0);
      }
      return b.endObject();
    });
    const tensorsVector = offsetVector(b, tensorOffsets);
    const inputsVector = int32Vector(b, sg.inputs);
    const outputsVector = int32Vector(b, sg.outputs);
    const operatorsVector = offsetVector(b, operatorOffsets);
    const nameOffset = sg.name ? b.createString(sg.name) : 0;
    b.startObject(5);
    b.addFieldOffset(0, tensorsVector, 0);
    b.addFieldOffset(1, inputsVector, 0);
    b.addFieldOffset(2, outputsVector, 0);
    b.addFieldOffset(3, operatorsVector, 0);
    if (nameOffset) b.addFieldOffset(4, nameOffset, 0);
    return b.endObject();
  });

  const opcodeOffsets = opcodes.map(c => {
    const customOffset = c.custom ? b.createString(c.custom) : 0;
    b.startObject(4);
    b.addFieldInt8(0, Math.min(c.builtin, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
    if (customOffset) b.addFieldOffset(1, customOffset, 0);
    b.addFieldInt32(2, c.version, 1);
    b.addFieldInt32(3, c.builtin, 0);
    return b.endObject();
  });

  // TFLite's schema asks for 16-byte aligned buffer data (force_align: 16) so that kernels and
  // mmap readers can view it in place.
  const bufferOffsets = bufferData.map((data, i) => {
    const dataOffset = data && data.length ? bytesVector(b, data, 16) : 0;
    b.startObject(3);
    if (dataOffset) b.addFieldOffset(0, dataOffset, 0);
    const at = locationOf.get(i);
    if (at !== undefined) {
      // A marker patched below, once the flatbuffer's length (where the tail starts) is known.
      b.addFieldInt64(1, LOCATION_MARK + BigInt(at), 0n);
      b.addFieldInt64(2, BigInt(locations[at].size), 0n);
    }
    return b.endObject();
  });

  const metadataOffsets = (model.metadata ?? []).map((m, i) => {
    const nameOffset = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, nameOffset, 0);
    b.addFieldInt32(1, metadataBuffer[i], 0);
    return b.endObject();
  });

  const opcodesVector = offsetVector(b, opcodeOffsets);
  const subgraphsVector = offsetVector(b, subgraphOffsets);
  const descriptionOffset = b.createString(model.description ?? 'tflite-xs writer');
  const buffersVector = offsetVector(b, bufferOffsets);
  const metadataVector = metadataOffsets.length ? offsetVector(b, metadataOffsets) : 0;
  b.startObject(7);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, opcodesVector, 0);
  b.addFieldOffset(2, subgraphsVector, 0);
  b.addFieldOffset(3, descriptionOffset, 0);
  b.addFieldOffset(4, buffersVector, 0);
  if (metadataVector) b.addFieldOffset(6, metadataVector, 0);
  const root = b.endObject();
  b.finish(root, 'TFL3');
  // asUint8Array is a view into the builder's oversized buffer; copy so the result owns its bytes.
  const flat = b.asUint8Array();
  if (!locations.length && !model.tail) return flat.slice();
  const tailStart = (flat.length + 15) & ~15;
  const out = new Uint8Array(tailStart + (model.tail?.length ?? 0));
  out.set(flat);
  if (model.tail) out.set(model.tail, tailStart);
  const view = new DataView(out.buffer);
  for (let p = 0; p + 8 <= flat.length; p += 4) {
    const value = view.getBigUint64(p, true);
    if (value < LOCATION_MARK || value >= LOCATION_MARK + BigInt(locations.length)) continue;
    const location = locations[Number(value - LOCATION_MARK)];
    view.setBigUint64(p, BigInt(location.offset + (location.inTail ? tailStart : 0)), true);
  }
  return out;
}

/** Stands for a location's offset until the tail's position is known; no real field holds it. */
const LOCATION_MARK = 0x7a7a7a7a00000000n;
