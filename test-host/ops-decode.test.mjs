// TFLM_DECODE (TFLM's custom op for compressed weights) on Node and in XS (which must agree to the
// bit), against TFLM's kernels/decode_test.cc (LUT), decode_state_prune_test.cc and
// decode_state_huffman_test.cc: their
// encoded data, metadata, value tables, output shapes and quantization, and expected outputs
// (TFLM's numbers: test-host/lib/tflm-decode-prune.mjs). Then an independent LUT encoder over
// every bit width, type and axis, and the named errors for what TFLM leaves unchecked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import * as P from './lib/tflm-decode-prune.mjs';

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

const TYPED = { int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, bool: Uint8Array };
const bytesOf = v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** A 16-byte Decode Common Metadata header then the value table's bytes. */
function ancillary(header, values, type) {
  const table = bytesOf(TYPED[type].from(values));
  const out = new Uint8Array(16 + table.length);
  out.set(header);
  out.set(table, 16);
  return out;
}

/**
 * A model of one TFLM_DECODE with outputs `outs` ({type, shape, encoded, ancillary, zeroPoints?,
 * quantizedDimension?}), all constants in, its outputs the model's.
 */
function decodeModel(outs) {
  const tensors = [], inputs = [], outputs = [];
  for (const o of outs) {
    inputs.push(tensors.length);
    tensors.push({ type: 'uint8', shape: [o.encoded.length], data: Uint8Array.from(o.encoded) });
    inputs.push(tensors.length);
    tensors.push({ type: 'uint8', shape: [o.ancillary.length], data: o.ancillary });
  }
  for (const o of outs) {
    outputs.push(tensors.length);
    const t = { type: o.type, shape: o.shape };
    if (o.zeroPoints) {
      t.scale = o.zeroPoints.map(() => 1);
      t.zeroPoint = o.zeroPoints;
      t.quantizedDimension = o.quantizedDimension ?? 0;
    }
    tensors.push(t);
  }
  return writeModel({ subgraphs: [{ tensors, inputs: [], outputs, operators: [{ op: { custom: 'TFLM_DECODE' }, inputs, outputs }] }] });
}

async function run(bytes) {
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  it.invoke();
  const outs = [];
  for (let i = 0; i < it.outputCount; i++) outs.push(it.output(i).data.slice());
  const loaded = await xs.load(bytes);
  const result = await xs.run([], 1, loaded.outputs.map(o => o.byteLength));
  outs.forEach((o, i) => assert.deepEqual(result.outputs[i], bytesOf(o), `XS output ${i} differs from Node's`));
  return outs.map(o => Array.from(o));
}

// ---- decode_test.cc ----
const DCM_LUT = (stride) => [0, 1, 0, 0, 1, 2, stride];
const ENCODED_LUT = [0x1B, 0xE4];

test('TFLM_DECODE DecodeSingleTensorLUT (TFLM decode_test.cc)', async () => {
  const [out] = await run(decodeModel([{ type: 'int8', shape: [1, 2, 4], encoded: ENCODED_LUT, ancillary: ancillary(DCM_LUT(4), [1, 2, 3, 4], 'int8'), zeroPoints: [0] }]));
  assert.deepEqual(out, [1, 2, 3, 4, 4, 3, 2, 1]);
});

test('TFLM_DECODE DecodeTwoTensorsLUT: an int8 and an int16 output (TFLM decode_test.cc)', async () => {
  const outs = await run(decodeModel([
    { type: 'int8', shape: [1, 2, 4], encoded: ENCODED_LUT, ancillary: ancillary(DCM_LUT(4), [1, 2, 3, 4], 'int8'), zeroPoints: [0] },
    { type: 'int16', shape: [1, 2, 4], encoded: ENCODED_LUT, ancillary: ancillary(DCM_LUT(4), [5, 6, 7, 8], 'int16'), zeroPoints: [0] },
  ]));
  assert.deepEqual(outs, [[1, 2, 3, 4, 4, 3, 2, 1], [5, 6, 7, 8, 8, 7, 6, 5]]);
});

// ---- decode_state_prune_test.cc ----
const DCM_PRUNE = [2, 1, 0, 0, 1];
const PRUNE_CASES = [
  ['DecodePruneFloat', 'float32', [2, 5, 8, 1], P.ancillaryDataPrune2, [0], 0, P.expectPrune2],
  ['DecodePruneInt8', 'int8', [2, 5, 8, 1], P.ancillaryDataPrune3, [0], 0, P.expectPrune3],
  ['DecodePruneQuantizedInt8', 'int8', [2, 5, 8, 1], P.ancillaryDataPrune3, P.zeroPointsPrune3, 0, P.expectPrune3],
  ['DecodePruneQuantizedMixedZeroPointInt8', 'int8', [2, 5, 8, 1], P.ancillaryDataPrune0, P.zeroPointsPrune0, 0, P.expectPrune0],
  ['DecodePruneQuantizedSingleChannelInt8', 'int8', [1, 8, 10, 1], P.ancillaryDataPrune5, P.zeroPointsPrune5, 0, P.expectPrune5],
  ['DecodePruneQuantizedAltAxisInt8', 'int8', [1, 2, 1, 40], P.ancillaryDataPrune4, P.zeroPointsPrune4, 3, P.expectPrune4],
  ['DecodePruneQuantizedInt16', 'int16', [2, 5, 8, 1], P.ancillaryDataPrune1, P.zeroPointsPrune1, 0, P.expectPrune1],
];
for (const [name, type, shape, table, zeroPoints, quantizedDimension, expected] of PRUNE_CASES) {
  test(`TFLM_DECODE ${name} (TFLM decode_state_prune_test.cc)`, async () => {
    const [out] = await run(decodeModel([{ type, shape, encoded: P.encodedPrune, ancillary: ancillary(DCM_PRUNE, table, type), zeroPoints, quantizedDimension }]));
    assert.deepEqual(out, Array.from(expected));
  });
}

test('TFLM_DECODE DecodePruneQuantizedInvalidZeroPointInt16: refused, as TFLM refuses it', () => {
  const bytes = decodeModel([{ type: 'int16', shape: [2, 5, 8, 1], encoded: P.encodedPrune, ancillary: ancillary(DCM_PRUNE, P.ancillaryDataPrune1, 'int16'), zeroPoints: P.zeroPointsPrune1_Invalid }]);
  assert.throws(() => new Interpreter(bytes, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /all zero points must be zero/.test(e.message));
});

// ---- decode_state_huffman_test.cc (its encoded stream, tables and expected symbols) ----
const ENCODED_HUFFMAN = [0xF0, 0x0D, 0x79, 0xFC, 0x9C, 0x1A, 0x6E, 0x4C, 0x32, 0xAF, 0x29, 0xB3, 0x5D, 0xF6, 0x36, 0x02, 0x50, 0x15, 0x8C, 0xA7, 0x95, 0xDB, 0x29, 0x68, 0x3F, 0xBA, 0xB7, 0xED, 0xB1, 0x19, 0xE2, 0xE0];
const EXPECT_HUFFMAN = [...'nmmacnanefdacopjomeckifookhbdbdmjjdmjgojfecpbiibmanbbjbnlgjafejp'].map(c => c.charCodeAt(0));
const HUFFMAN_TABLE16 = [0x986D, 0x9861, 0x986A, 0x0005, 0x0806, 0x0809, 0x000E, 0x000F, 0x886F, 0x8868, 0x8864, 0x8864, 0x9069, 0x9066, 0x8863, 0x8863, 0x0002, 0x906B, 0x8867, 0x886C, 0x8865, 0x8862, 0x8870, 0x886E];
const HUFFMAN_TABLE32 = [0x9800006D, 0x98000061, 0x9800006A, 0x00000005, 0x08000006, 0x08000009, 0x0000000E, 0x0000000F, 0x8800006F, 0x88000068, 0x88000064, 0x88000064, 0x90000069, 0x90000066, 0x88000063, 0x88000063, 0x00000002, 0x9000006B, 0x88000067, 0x8800006C, 0x88000065, 0x88000062, 0x88000070, 0x8800006E];
const huffmanAncillary = (wide) => {
  const table = wide ? new Uint32Array(HUFFMAN_TABLE32) : new Uint16Array(HUFFMAN_TABLE16);
  const out = new Uint8Array(16 + table.byteLength);
  out.set([1, 1, 0, 0, 1, (2 << 4) | (wide ? 1 : 0)]);
  out.set(new Uint8Array(table.buffer), 16);
  return out;
};
for (const [name, wide, type] of [['DecodeHuffmanTable16BitsInt8', false, 'int8'], ['DecodeHuffmanTable32BitsInt8', true, 'int8'], ['DecodeHuffmanTable32BitsInt16', true, 'int16']]) {
  test(`TFLM_DECODE ${name} (TFLM decode_state_huffman_test.cc)`, async () => {
    const [out] = await run(decodeModel([{ type, shape: [64], encoded: ENCODED_HUFFMAN, ancillary: huffmanAncillary(wide), zeroPoints: [0] }]));
    assert.deepEqual(out, EXPECT_HUFFMAN);
  });
}

test('TFLM_DECODE DecodeHuffmanTable16BitsInt16Fail, and hostile streams and tables, are named errors', () => {
  const bad = (o, re) => assert.throws(() => new Interpreter(decodeModel([o]), { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && re.test(e.message), String(re));
  bad({ type: 'int16', shape: [64], encoded: ENCODED_HUFFMAN, ancillary: huffmanAncillary(false) }, /Huffman decodes to int8 \(16-bit tables\), not int16/);
  bad({ type: 'int8', shape: [400], encoded: ENCODED_HUFFMAN, ancillary: huffmanAncillary(false) }, /symbol \d+ reads past the 32 bytes/);
  bad({ type: 'int8', shape: [64], encoded: ENCODED_HUFFMAN, ancillary: huffmanAncillary(false).subarray(0, 16 + 2 * 12) }, /reads entry \d+ of a Huffman table of 12/);
  bad({ type: 'int8', shape: [4], encoded: [0xF0, 0x0D], ancillary: huffmanAncillary(false) }, /no 32-bit word/);
});

// ---- an independent LUT encoder (decode_state_lut_test.cc's scheme: MSB-first indices, per-channel tables) ----
function encodeLut(indices, w) {
  const out = new Uint8Array(Math.ceil(indices.length * w / 8));
  indices.forEach((index, k) => {
    for (let b = 0; b < w; b++) if ((index >> (w - 1 - b)) & 1) { const bit = k * w + b; out[bit >> 3] |= 0x80 >> (bit & 7); }
  });
  return out;
}

test('TFLM_DECODE LUT: every bit width 1..7, every type, first and alternate channel axes, equals a direct table lookup', async () => {
  let seed = 5;
  const next = n => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (const type of ['int8', 'int16', 'int32', 'float32', 'bool']) {
    for (let w = 1; w <= 7; w++) {
      for (const alternate of [false, true]) {
        const channels = 3, per = 5 + next(4), stride = Math.min(1 << w, 2 + next(6));
        const shape = alternate ? [per, channels] : [channels, per];
        const tables = Array.from({ length: channels * stride }, () => (type === 'bool' ? next(2) : type === 'float32' ? next(1000) / 8 - 60 : next(200) - 100));
        const count = channels * per, indices = [], expected = [];
        for (let e = 0; e < count; e++) {
          const channel = alternate ? e % channels : Math.floor(e / per);
          const index = next(stride);
          indices.push(index);
          expected.push(tables[channel * stride + index]);
        }
        const [out] = await run(decodeModel([{ type, shape, encoded: encodeLut(indices, w), ancillary: ancillary([0, 1, 0, 0, 1, w, stride], tables, type), zeroPoints: [0, 0, 0], quantizedDimension: alternate ? 1 : 0 }]));
        assert.deepEqual(out, expected, `${type} width ${w} alternate ${alternate}`);
      }
    }
  }
});

test('TFLM_DECODE int64 LUT and prune keep all 64 bits', () => {
  const values = [1n, -2n, 0x123456789abcdefn, -(2n ** 63n)];
  const table = new Uint8Array(new BigInt64Array(values).buffer);
  const anc = new Uint8Array(16 + table.length);
  anc.set([0, 1, 0, 0, 1, 2, 4]);
  anc.set(table, 16);
  const bytes = decodeModel([{ type: 'int64', shape: [4], encoded: encodeLut([3, 2, 1, 0], 2), ancillary: anc }]);
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  it.invoke();
  const out = it.output(0).data;
  assert.deepEqual(Array.from(new BigInt64Array(out.buffer, out.byteOffset, 4)), [...values].reverse());
});

test('TFLM_DECODE prepare errors are named: bad metadata, short data, out-of-table indices', () => {
  const bad = (outs, re) => assert.throws(() => new Interpreter(decodeModel(outs), { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && re.test(e.message), String(re));
  const lut = (over = {}) => ({ type: 'int8', shape: [1, 2, 4], encoded: ENCODED_LUT, ancillary: ancillary(DCM_LUT(4), [1, 2, 3, 4], 'int8'), ...over });
  bad([lut({ ancillary: new Uint8Array(8) })], /fewer than the 16-byte metadata header/);
  bad([lut({ ancillary: ancillary([0, 2, 0, 0, 1, 2, 4], [1, 2, 3, 4], 'int8') })], /metadata version 2/);
  bad([lut({ ancillary: ancillary([0, 1, 0, 0, 3, 2, 4], [1, 2, 3, 4], 'int8') })], /LUT version 3/);
  bad([lut({ ancillary: ancillary([9, 1, 0, 0, 1], [], 'int8') })], /decode type 9/);
  bad([lut({ encoded: [0x1B] })], /fewer than 8 indices of 2 bits/);
  bad([lut({ ancillary: ancillary(DCM_LUT(4), [1, 2, 3], 'int8') })], /reads value 3 of a LUT of 3 values/);
  bad([lut({ ancillary: ancillary([0, 1, 0, 0, 1, 0, 4], [1, 2, 3, 4], 'int8') })], /bit width 0/);
  bad([lut({ type: 'uint8' })], /type uint8 is not supported/);
  bad([{ type: 'int8', shape: [2, 5, 8, 1], encoded: P.encodedPrune, ancillary: ancillary(DCM_PRUNE, [1, 2, 3], 'int8') }], /fewer than the 40 values/);
  // Encoded data fed at run time cannot be checked in prepare: refused, as TFLM requires constants.
  const tensors = [{ type: 'uint8', shape: [2] }, { type: 'uint8', shape: [20], data: ancillary(DCM_LUT(4), [1, 2, 3, 4], 'int8') }, { type: 'int8', shape: [8] }];
  const dynamic = writeModel({ subgraphs: [{ tensors, inputs: [0], outputs: [2], operators: [{ op: { custom: 'TFLM_DECODE' }, inputs: [0, 1], outputs: [2] }] }] });
  assert.throws(() => new Interpreter(dynamic, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /must be a constant/.test(e.message));
});
