// TFLM_DECODE (TFLM kernels/decode.cc, decode_state_lut.cc, decode_state_prune.cc; a custom op
// TFLM's model compression inserts before the ops whose weights it compressed): for each output
// i, inputs 2i (the encoded constant) and 2i + 1 (the ancillary constant: a 16-byte Decode
// Common Metadata header, then the decoder's tables) decode into output i at every invoke.
//  - LUT (type 0): fixed-width indices (1 to 7 bits, most significant bit first) into a value
//    table of `stride` values per channel (channels from the output's quantization, along its
//    first axis, or its last, "alternate", axis); bool, float32, int8, int16, int32, int64.
//  - Prune (type 2): one bit per element, 1 takes the next value of the table, 0 the zero point
//    (per channel for int8; others must have zero points of 0); same types (float32 bits copied).
//  - Huffman (type 1): a most-significant-bit-first bitstream (read as big-endian 32-bit words)
//    walked through 16-bit (int8 output) or 32-bit (int8, int16) tables; the symbol's low bits
//    are the value.
//  - custom (127) and other types are refused by name (TFLM has no custom decoder either).
// The encoded data and tables are constants, so prepare checks every index and table read TFLM
// would make against the tensors' sizes (TFLM does not): a bad file is a named error, not a read
// past the model; for Huffman, prepare walks the whole stream once without writing. LUT and
// prune tables are copied to the persistent tail (the values keep their bits); Huffman tables
// are read where they are.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, typeName } from '../core/types.js';

const DCM_BYTES = 16;
const TYPE_LUT = 0, TYPE_HUFFMAN = 1, TYPE_PRUNE = 2, TYPE_CUSTOM = 127;

/** One output's decoder: views in its element width (8-byte types as int32 pairs: `words` 2). */
interface DecodeItem {
  /** TYPE_LUT, TYPE_HUFFMAN or TYPE_PRUNE. */
  kind: number;
  encoded: Uint8Array;
  output: Int8Array | Int16Array | Int32Array;
  /** LUT and prune values (null for Huffman, which reads the ancillary tables in place). */
  table: Int8Array | Int16Array | Int32Array | null;
  words: number;
  count: number;
  channels: number;
  alternate: boolean;
  elementsPerChannel: number;
  /** LUT */
  bitWidth: number;
  stride: number;
  /** Prune: zero point of each channel (one when they are all the same). */
  zeroPoints: Int32Array | null;
  zeroPoint: number;
  /** Huffman: the ancillary bytes, where the tables start, their entries, 32-bit entries, the first lookup's bits. */
  ancillary: Uint8Array;
  tableAt: number;
  tableLength: number;
  wide: boolean;
  initialBits: number;
}

export interface DecodeData {
  items: readonly DecodeItem[];
}

function elementBytes(type: number): number {
  switch (type) {
    case TensorType.BOOL: case TensorType.INT8: return 1;
    case TensorType.INT16: return 2;
    case TensorType.FLOAT32: case TensorType.INT32: return 4;
    case TensorType.INT64: return 8;
    default: return 0;
  }
}

/** A view of `t`'s bytes in its element width (int32 words for 4- and 8-byte types). */
function wordView(t: Tensor, bytes: number): Int8Array | Int16Array | Int32Array {
  const d = t.data;
  if (bytes === 1) return new Int8Array(d.buffer, d.byteOffset, d.byteLength);
  if (bytes === 2) return new Int16Array(d.buffer, d.byteOffset, d.byteLength >> 1);
  return new Int32Array(d.buffer, d.byteOffset, d.byteLength >> 2);
}

/** The persistent copy of `n` table elements at byte `at` of the ancillary data, little-endian. */
function copyTable(ctx: PrepareContext, anc: Uint8Array, at: number, n: number, bytes: number): Int8Array | Int16Array | Int32Array {
  const words = bytes === 8 ? 2 : 1;
  const width = bytes === 8 ? 4 : bytes;
  const type = width === 1 ? TensorType.INT8 : width === 2 ? TensorType.INT16 : TensorType.INT32;
  const table = ctx.persistent(type, n * words) as Int8Array | Int16Array | Int32Array;
  if (!ctx.sizing) {
    for (let i = 0; i < n * words; i++) {
      const o = at + i * width;
      table[i] = width === 1 ? anc[o] : width === 2 ? anc[o] | anc[o + 1] << 8 : anc[o] | anc[o + 1] << 8 | anc[o + 2] << 16 | anc[o + 3] << 24;
    }
  }
  return table;
}

/** Index `k` of `w`-bit indices packed most significant bit first (GetNextTableIndexWidthN). */
function lutIndex(enc: Uint8Array, k: number, w: number): number {
  const bit = k * w, byte = bit >> 3;
  const window = enc[byte] << 8 | (byte + 1 < enc.length ? enc[byte + 1] : 0);
  return (window >> (16 - w - (bit & 7))) & ((1 << w) - 1);
}

function prepareItem(ctx: PrepareContext, node: Node, i: number): DecodeItem {
  const input = node.inputs[2 * i], ancillary = node.inputs[2 * i + 1], output = node.outputs[i];
  if (!input || !ancillary) return ctx.fail(`inputs ${2 * i} and ${2 * i + 1} (encoded data, ancillary data) are required`);
  if (!input.isConstant) ctx.fail(`encoded input ${input.describe()} must be a constant`);
  if (!ancillary.isConstant) ctx.fail(`ancillary input ${ancillary.describe()} must be a constant`);
  const enc = new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength);
  const anc = new Uint8Array(ancillary.data.buffer, ancillary.data.byteOffset, ancillary.data.byteLength);
  if (anc.length < DCM_BYTES) ctx.fail(`ancillary ${ancillary.describe()} holds ${anc.length} bytes, fewer than the 16-byte metadata header`);
  if (anc[1] !== 1) ctx.fail(`ancillary ${ancillary.describe()}: metadata version ${anc[1]} is not 1`);
  const kind = anc[0];
  if (kind === TYPE_CUSTOM) ctx.fail(`output ${i}: custom decode type 127 is not supported (TFLM has none either)`);
  if (kind !== TYPE_LUT && kind !== TYPE_PRUNE && kind !== TYPE_HUFFMAN) ctx.fail(`output ${i}: decode type ${kind} is not supported (0 LUT, 1 Huffman, 2 prune)`);
  if (anc[4] !== 1) ctx.fail(`ancillary ${ancillary.describe()}: ${kind === TYPE_LUT ? 'LUT' : kind === TYPE_PRUNE ? 'prune' : 'Huffman'} version ${anc[4]} is not 1`);
  if (kind === TYPE_HUFFMAN) return prepareHuffman(ctx, input, ancillary, output, enc, anc);
  const bytes = elementBytes(output.type);
  if (!bytes) ctx.fail(`output ${output.describe()}: type ${typeName(output.type)} is not supported (bool, float32, int8, int16, int32, int64)`);

  // Channels from the output's quantization (DecodeStateLut/Prune::Setup).
  let channels = 1, alternate = false;
  const q = output.quantization;
  let zeroPoints: readonly number[] = [0];
  if (q && q.scale.length > 0) {
    channels = q.scale.length;
    zeroPoints = q.zeroPoint.length ? Array.from(q.zeroPoint) : [0];
    if (q.quantizedDimension === output.rank - 1 && channels > 1) alternate = true;
    else if (q.quantizedDimension !== 0) ctx.fail(`output ${output.describe()}: quantized dimension ${q.quantizedDimension} is not supported (first or last)`);
  }
  const count = output.elementCount;
  if (count % channels !== 0) ctx.fail(`output ${output.describe()} does not split into ${channels} channels`);
  const elementsPerChannel = alternate ? 1 : count / channels;
  const channelOf = (e: number) => (alternate ? e % channels : Math.floor(e / elementsPerChannel));
  const words = bytes === 8 ? 2 : 1;
  const base: DecodeItem = {
    kind, encoded: enc, output: wordView(output, bytes), table: null, words, count,
    channels, alternate, elementsPerChannel, bitWidth: 0, stride: 0, zeroPoints: null, zeroPoint: 0,
    ancillary: anc, tableAt: 0, tableLength: 0, wide: false, initialBits: 0,
  };

  if (kind === TYPE_LUT) {
    const w = anc[5] & 7, stride = anc[6];
    if (w < 1) ctx.fail(`ancillary ${ancillary.describe()}: LUT bit width 0`);
    if (enc.length * 8 < count * w) ctx.fail(`encoded ${input.describe()} holds ${enc.length} bytes, fewer than ${count} indices of ${w} bits need`);
    const available = Math.floor((anc.length - DCM_BYTES) / bytes);
    let needed = 0;
    for (let e = 0; e < count; e++) {
      const at = channelOf(e) * stride + lutIndex(enc, e, w);
      if (at >= available) ctx.fail(`element ${e} reads value ${at} of a LUT of ${available} values (ancillary ${ancillary.describe()})`);
      if (at >= needed) needed = at + 1;
    }
    base.bitWidth = w;
    base.stride = stride;
    base.table = copyTable(ctx, anc, DCM_BYTES, needed, bytes);
    return base;
  }

  // Prune.
  if (enc.length * 8 < count) ctx.fail(`encoded ${input.describe()} holds ${enc.length} bytes, fewer than one bit per element (${count})`);
  let kept = 0;
  for (let e = 0; e < count; e++) kept += (enc[e >> 3] >> (7 - (e & 7))) & 1;
  if (DCM_BYTES + kept * bytes > anc.length) ctx.fail(`ancillary ${ancillary.describe()} holds fewer than the ${kept} values the encoded mask keeps`);
  let nonZero = false;
  for (let c = 0; c < zeroPoints.length; c++) if (zeroPoints[c] !== 0) nonZero = true;
  if (output.type !== TensorType.INT8 && nonZero) ctx.fail(`output ${output.describe()}: all zero points must be zero`);
  base.table = copyTable(ctx, anc, DCM_BYTES, kept, bytes);
  if (channels > 1 && nonZero) {
    if (zeroPoints.length !== channels) ctx.fail(`output ${output.describe()} has ${zeroPoints.length} zero points for ${channels} channels`);
    const zp = ctx.persistent(TensorType.INT32, channels) as Int32Array;
    if (!ctx.sizing) for (let c = 0; c < channels; c++) zp[c] = (zeroPoints[c] << 24) >> 24;
    base.zeroPoints = zp;
  } else {
    base.zeroPoint = (zeroPoints[0] << 24) >> 24;
  }
  return base;
}

/**
 * DecodeStateHuffman's decompression (GetNextBits / PutBackBits over a bit position), writing
 * when `write`; returns '' or why the stream or the tables would be read out of bounds.
 */
function huffman(d: DecodeItem, write: boolean): string {
  const enc = d.encoded, anc = d.ancillary, out = d.output, count = d.count, wide = d.wide;
  const tableAt = d.tableAt, tableLength = d.tableLength, initial = d.initialBits;
  // TFLM reads the stream as whole 32-bit words.
  const bits = (enc.length >> 2) * 32, last = enc.length - 1;
  const found = wide ? 0x80000000 : 0x8000, valueMask = wide ? 0x07ffffff : 0x07ff, countShift = wide ? 27 : 11;
  let pos = 0;
  for (let e = 0; e < count; e++) {
    let used = initial, offset = 0, step = 0, entry = 0;
    for (;;) {
      if (pos + used > bits) return `symbol ${e} reads past the ${enc.length} bytes of encoded data`;
      const b = pos >> 3;
      const window = enc[b] << 16 | (b < last ? enc[b + 1] << 8 : 0) | (b + 1 < last ? enc[b + 2] : 0);
      offset += step + ((window >>> (24 - used - (pos & 7))) & ((1 << used) - 1));
      pos += used;
      if (offset >= tableLength) return `symbol ${e} reads entry ${offset} of a Huffman table of ${tableLength}`;
      const o = tableAt + (wide ? 4 : 2) * offset;
      entry = wide ? (anc[o] | anc[o + 1] << 8 | anc[o + 2] << 16 | anc[o + 3] << 24) >>> 0 : anc[o] | anc[o + 1] << 8;
      if (entry >= found) break;
      used = ((entry >>> countShift) & 15) + 1;
      step = entry & valueMask;
    }
    if (write) out[e] = entry;
    const residual = (entry >>> countShift) & 15;
    if (used > residual) pos -= used - residual;
  }
  return '';
}

function prepareHuffman(ctx: PrepareContext, input: Tensor, ancillary: Tensor, output: Tensor, enc: Uint8Array, anc: Uint8Array): DecodeItem {
  const wide = (anc[5] & 1) !== 0;
  if (output.type !== TensorType.INT8 && !(wide && output.type === TensorType.INT16)) {
    ctx.fail(`output ${output.describe()}: Huffman decodes to int8${wide ? ' or int16' : ' (16-bit tables)'}, not ${typeName(output.type)}`);
  }
  const count = output.elementCount;
  if (count > 0 && enc.length < 4) ctx.fail(`encoded ${input.describe()} holds no 32-bit word of codewords`);
  const d: DecodeItem = {
    kind: TYPE_HUFFMAN, encoded: enc, output: wordView(output, output.type === TensorType.INT8 ? 1 : 2), table: null, words: 1, count,
    channels: 1, alternate: false, elementsPerChannel: count, bitWidth: 0, stride: 0, zeroPoints: null, zeroPoint: 0,
    ancillary: anc, tableAt: DCM_BYTES, tableLength: Math.floor((anc.length - DCM_BYTES) / (wide ? 4 : 2)), wide,
    initialBits: ((anc[5] & 0xf0) >> 4) + 1,
  };
  const why = huffman(d, false);
  if (why) ctx.fail(`output ${output.describe()}: ${why} (ancillary ${ancillary.describe()})`);
  return d;
}

function prepare(ctx: PrepareContext, node: Node): DecodeData {
  const outputs = node.outputs.length;
  if (outputs < 1) ctx.fail('has no outputs');
  if (node.inputs.length !== 2 * outputs) ctx.fail(`has ${node.inputs.length} inputs for ${outputs} outputs, expected ${2 * outputs} (encoded data and ancillary data for each)`);
  const items: DecodeItem[] = [];
  for (let i = 0; i < outputs; i++) items.push(prepareItem(ctx, node, i));
  return { items: Object.freeze(items) };
}

function decodeLut(d: DecodeItem): void {
  const enc = d.encoded, out = d.output, table = d.table!, words = d.words, count = d.count, w = d.bitWidth, stride = d.stride;
  const mask = (1 << w) - 1, last = enc.length - 1;
  for (let e = 0; e < count; e++) {
    const channel = d.alternate ? e % d.channels : (e / d.elementsPerChannel) | 0;
    const bit = e * w, byte = bit >> 3;
    const index = ((enc[byte] << 8 | (byte < last ? enc[byte + 1] : 0)) >> (16 - w - (bit & 7))) & mask;
    const from = (channel * stride + index) * words;
    out[e * words] = table[from];
    if (words === 2) out[e * 2 + 1] = table[from + 1];
  }
}

function decodePrune(d: DecodeItem): void {
  const enc = d.encoded, out = d.output, table = d.table!, words = d.words, count = d.count, zps = d.zeroPoints, zp = d.zeroPoint;
  let v = 0;
  for (let e = 0; e < count; e++) {
    if ((enc[e >> 3] >> (7 - (e & 7))) & 1) {
      out[e * words] = table[v * words];
      if (words === 2) out[e * 2 + 1] = table[v * 2 + 1];
      v++;
    } else {
      out[e * words] = zps === null ? zp : zps[d.alternate ? e % d.channels : (e / d.elementsPerChannel) | 0];
      if (words === 2) out[e * 2 + 1] = 0;
    }
  }
}

function evaluate(data: DecodeData): void {
  const items = data.items;
  for (let i = 0; i < items.length; i++) {
    const d = items[i];
    if (d.kind === TYPE_PRUNE) decodePrune(d);
    else if (d.kind === TYPE_LUT) decodeLut(d);
    else huffman(d, true);
  }
}

export const TFLM_DECODE: Kernel<DecodeData> = Object.freeze({
  code: 32, name: 'TFLM_DECODE', types: Object.freeze(['bool', 'float32', 'int8', 'int16', 'int32', 'int64']), prepare, eval: evaluate,
});
