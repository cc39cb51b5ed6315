// The model writer: what it writes must read back through our reader field for field, load in
// reference TFLite, and reproduce the shared fixture models' structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { readModel, readOptions, ModelError } from './lib/tflite.mjs';
import { writeModel, optionsTableFor, runReference } from './lib/host.mjs';
import { noCases } from './lib/cases.mjs';

const CASES = new URL('../../shared/fixtures/cases/', import.meta.url);

/** [deprecated_builtin_code, builtin_code] of each OperatorCode, read straight from the bytes. */
function rawOpcodes(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const field = (table, slot) => {
    const vtable = table - v.getInt32(table, true);
    const at = 4 + 2 * slot;
    return at < v.getUint16(vtable, true) ? v.getUint16(vtable + at, true) : 0;
  };
  const root = v.getUint32(0, true);
  const vecField = root + field(root, 1);
  const vec = vecField + v.getUint32(vecField, true);
  const out = [];
  for (let i = 0; i < v.getUint32(vec, true); i++) {
    const at = vec + 4 + 4 * i;
    const t = at + v.getUint32(at, true);
    const d = field(t, 0), b = field(t, 3);
    out.push([d ? v.getInt8(t + d) : 0, b ? v.getInt32(t + b, true) : 0]);
  }
  return out;
}

function convModel() {
  return {
    description: 'writer test',
    metadata: [{ name: 'min_runtime_version', data: new TextEncoder().encode('1.5.0') }],
    subgraphs: [{
      name: 'main',
      tensors: [
        { name: 'input', type: 'int8', shape: [1, 6, 6, 2], scale: 0.5, zeroPoint: -3 },
        { name: 'weights', type: 'int8', shape: [3, 2, 2, 2], data: Int8Array.from({ length: 24 }, (_, i) => i - 12), scale: [0.01, 0.02, 0.03], zeroPoint: 0, quantizedDimension: 0 },
        { name: 'bias', type: 'int32', shape: [3], data: [100, -200, 300], scale: [0.005, 0.01, 0.015], zeroPoint: [0, 0, 0] },
        { name: 'output', type: 'int8', shape: [1, 3, 3, 3], scale: 0.25, zeroPoint: 1 },
        { name: 'flat', type: 'int8', shape: [1, 27], scale: 0.25, zeroPoint: 1, shapeSignature: [-1, 27] },
        { name: 'state', type: 'int16', shape: [2, 3], isVariable: true, scale: 1 / 4096 },
        { name: 'minmax', type: 'float32', shape: [2], min: [-1], max: [1] },
        { name: 'wide', type: 'int64', shape: [2], data: [5n, -(2n ** 40n)] },
        { name: 'new_shape', type: 'int32', shape: [2], data: Int32Array.of(1, 27) },
      ],
      inputs: [0],
      outputs: [4],
      operators: [
        { op: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], version: 3, options: { padding: 'VALID', strideW: 2, strideH: 2, fusedActivationFunction: 'RELU6', dilationWFactor: 1, dilationHFactor: 1 } },
        { op: 'RESHAPE', inputs: [3, 8], outputs: [4], options: { newShape: [1, 27] } },
      ],
    }],
  };
}

test('tensors, quantization, buffers and metadata read back through readModel', () => {
  const bytes = writeModel(convModel());
  assert.equal(String.fromCharCode(...bytes.subarray(4, 8)), 'TFL3');
  const model = readModel(bytes);
  assert.equal(model.version, 3);
  assert.equal(model.description, 'writer test');
  assert.equal(model.buffers[0], null, 'buffer 0 is the empty sentinel');
  const sg = model.subgraphs[0];
  assert.equal(sg.name, 'main');
  assert.deepEqual(Array.from(sg.inputs), [0]);
  assert.deepEqual(Array.from(sg.outputs), [4]);
  const [input, weights, bias, output, flat, state, minmax, wide] = sg.tensors;
  assert.equal(input.name, 'input');
  assert.equal(input.type, 9);
  assert.deepEqual(Array.from(input.shape), [1, 6, 6, 2]);
  assert.equal(input.buffer, 0);
  assert.deepEqual(Array.from(input.quantization.scale), [0.5]);
  assert.deepEqual(Array.from(input.quantization.zeroPoint), [-3]);
  assert.deepEqual(Array.from(weights.quantization.scale), Array.from(Float32Array.of(0.01, 0.02, 0.03)));
  assert.deepEqual(Array.from(weights.quantization.zeroPoint), [0, 0, 0]);
  assert.equal(weights.quantization.quantizedDimension, 0);
  assert.deepEqual(Array.from(new Int8Array(model.buffers[weights.buffer].buffer, model.buffers[weights.buffer].byteOffset, 24)), Array.from({ length: 24 }, (_, i) => i - 12));
  const biasBytes = model.buffers[bias.buffer];
  assert.deepEqual(Array.from(new Int32Array(biasBytes.slice().buffer)), [100, -200, 300]);
  assert.equal(bias.type, 2);
  assert.equal(output.quantization.zeroPoint[0], 1);
  assert.deepEqual(Array.from(flat.shapeSignature), [-1, 27]);
  assert.equal(state.isVariable, true);
  assert.equal(state.type, 7);
  assert.equal(minmax.quantization, null, 'min/max without scale is no quantization for the engine');
  const wideBytes = model.buffers[wide.buffer];
  assert.deepEqual(Array.from(new BigInt64Array(wideBytes.slice().buffer)), [5n, -(2n ** 40n)]);
  for (const b of model.buffers) if (b) assert.equal(b.byteOffset % 16, 0, 'buffer data is 16-byte aligned');
  assert.equal(model.metadata.length, 1);
  assert.equal(model.metadata[0].name, 'min_runtime_version');
  assert.equal(new TextDecoder().decode(model.buffers[model.metadata[0].buffer]), '1.5.0');
});

test('operators, opcodes and options read back', () => {
  const model = readModel(writeModel(convModel()));
  assert.deepEqual(model.operatorCodes.map(c => [c.name, c.builtinCode, c.version]), [['CONV_2D', 3, 3], ['RESHAPE', 22, 1]]);
  const [conv, reshape] = model.subgraphs[0].operators;
  assert.deepEqual(Array.from(conv.inputs), [0, 1, 2]);
  assert.deepEqual(Array.from(reshape.inputs), [3, 8]);
  assert.deepEqual(readOptions(model, 0, conv, 'Conv2DOptions'), {
    padding: 1, strideW: 2, strideH: 2, fusedActivationFunction: 3, dilationWFactor: 1, dilationHFactor: 1, quantizedBiasType: 0,
  });
  assert.deepEqual(Array.from(readOptions(model, 0, reshape, 'ReshapeOptions').newShape), [1, 27]);
  assert.throws(() => readOptions(model, 0, conv, 'Pool2DOptions'), ModelError);
});

test('opcodes are deduplicated; large builtin codes, custom ops, options of every kind', () => {
  const t = (shape, type = 'float32') => ({ type, shape });
  const bytes = writeModel({
    subgraphs: [{
      tensors: [t([4]), t([4]), t([4]), t([4]), t([4]), t([4]), t([4]), t([4])],
      inputs: [0],
      outputs: [7],
      operators: [
        { op: 'ADD', inputs: [0, 0], outputs: [1], options: { fusedActivationFunction: 1, potScaleInt16: false } },
        { op: 'ADD', inputs: [1, 1], outputs: [2] },
        { op: 'GELU', inputs: [2], outputs: [3], options: { approximate: true } },
        { op: 'LEAKY_RELU', inputs: [3], outputs: [4], options: { alpha: 0.125 } },
        { op: { custom: 'MY_OP' }, inputs: [4, -1], outputs: [5], customOptions: Uint8Array.of(1, 2, 3) },
        { op: 'STABLEHLO_IOTA', inputs: [], outputs: [6], options: { iotaDimension: 2 ** 40 } },
        { op: 'RANDOM_UNIFORM', inputs: [6], outputs: [7], options: { seed: -5n, seed2: 7 } },
      ],
    }],
  });
  const model = readModel(bytes);
  assert.deepEqual(model.operatorCodes.map(c => c.name), ['ADD', 'GELU', 'LEAKY_RELU', 'MY_OP', 'STABLEHLO_IOTA', 'RANDOM_UNIFORM']);
  assert.equal(model.operatorCodes[1].builtinCode, 150);
  const ops = model.subgraphs[0].operators;
  assert.equal(ops[0].opcodeIndex, ops[1].opcodeIndex);
  assert.deepEqual(readOptions(model, 0, ops[0], 'AddOptions'), { fusedActivationFunction: 1, potScaleInt16: 0 });
  assert.deepEqual(readOptions(model, 0, ops[1], 'AddOptions'), { fusedActivationFunction: 0, potScaleInt16: 1 });
  assert.deepEqual(readOptions(model, 0, ops[2], 'GeluOptions'), { approximate: 1 });
  assert.deepEqual(readOptions(model, 0, ops[3], 'LeakyReluOptions'), { alpha: 0.125 });
  assert.deepEqual(Array.from(ops[4].inputs), [4, -1], 'an absent optional input stays -1');
  assert.deepEqual(Array.from(ops[4].customOptions), [1, 2, 3]);
  assert.equal(ops[4].optionsType, 0);
  assert.equal(ops[5].options2Type > 0, true, 'StableHLO options go in builtin_options_2');
  assert.deepEqual(readOptions(model, 0, ops[5], 'StablehloIotaOptions'), { iotaDimension: 2 ** 40 });
  assert.deepEqual(readOptions(model, 0, ops[6], 'RandomOptions'), { seed: -5, seed2: 7 });
  // OperatorCode keeps deprecated_builtin_code for old readers: GELU (150) is clamped to 127.
  const raw = rawOpcodes(bytes);
  assert.deepEqual(raw.slice(0, 4), [[0, 0], [127, 150], [98, 98], [32, 32]]);
  assert.deepEqual(raw, model.operatorCodes.map(c => [Math.min(c.builtinCode, 127), c.builtinCode]));
  assert.ok(raw[4][1] > 127 && raw[5][1] > 127, 'STABLEHLO_IOTA and RANDOM_UNIFORM have codes above 127');
});

test('the options table follows the op name', () => {
  assert.equal(optionsTableFor('CONV_2D'), 'Conv2DOptions');
  assert.equal(optionsTableFor('DEPTHWISE_CONV_2D'), 'DepthwiseConv2DOptions');
  assert.equal(optionsTableFor('AVERAGE_POOL_2D'), 'Pool2DOptions');
  assert.equal(optionsTableFor('MAX_POOL_2D'), 'Pool2DOptions');
  assert.equal(optionsTableFor('MEAN'), 'ReducerOptions');
  assert.equal(optionsTableFor('REDUCE_MAX'), 'ReducerOptions');
  assert.equal(optionsTableFor('MINIMUM'), 'MaximumMinimumOptions');
  assert.equal(optionsTableFor('UNIDIRECTIONAL_SEQUENCE_LSTM'), 'UnidirectionalSequenceLSTMOptions');
  assert.equal(optionsTableFor('RESIZE_NEAREST_NEIGHBOR'), 'ResizeNearestNeighborOptions');
  assert.equal(optionsTableFor('SPLIT_V'), 'SplitVOptions');
  assert.equal(optionsTableFor('PADV2'), 'PadV2Options');
  assert.equal(optionsTableFor('SVDF'), 'SVDFOptions');
  assert.equal(optionsTableFor('STABLEHLO_COMPOSITE'), 'StableHLOCompositeOptions');
  assert.equal(optionsTableFor('PRELU'), '');
  assert.equal(optionsTableFor('RELU'), '');
});

test('bad descriptions are refused with the place named', () => {
  const base = () => ({ subgraphs: [{ tensors: [{ type: 'float32', shape: [2] }, { type: 'float32', shape: [2] }], inputs: [0], outputs: [1], operators: [{ op: 'ADD', inputs: [0, 0], outputs: [1] }] }] });
  const m1 = base();
  m1.subgraphs[0].operators[0].options = { stride: 1 };
  assert.throws(() => writeModel(m1), /operator 0: AddOptions has no field "stride"/);
  const m2 = base();
  m2.subgraphs[0].operators[0].op = 'NOT_AN_OP';
  assert.throws(() => writeModel(m2), /unknown builtin operator "NOT_AN_OP"/);
  const m3 = base();
  m3.subgraphs[0].tensors[0].type = 'int3';
  assert.throws(() => writeModel(m3), /unknown tensor type "int3"/);
  const m4 = base();
  m4.subgraphs[0].tensors[0].scale = [1, 2];
  m4.subgraphs[0].tensors[0].zeroPoint = [0, 0, 0];
  assert.throws(() => writeModel(m4), /tensor 0: 2 scales but 3 zero points/);
  const m5 = base();
  m5.subgraphs[0].operators[0].options = { fusedActivationFunction: 'SIGMOID' };
  assert.throws(() => writeModel(m5), /"SIGMOID" is not a value of fusedActivationFunction/);
  assert.throws(() => writeModel({ subgraphs: [] }), /at least one subgraph/);
});

test('a fixture model rewritten from what readModel sees is equivalent', { skip: noCases }, () => {
  // Rebuild micro_speech (RESHAPE, DEPTHWISE_CONV_2D, FULLY_CONNECTED, SOFTMAX) through the writer.
  const original = readModel(readFileSync(new URL('micro_speech_random_0/model.tflite', CASES)));
  const tables = { DEPTHWISE_CONV_2D: 'DepthwiseConv2DOptions', FULLY_CONNECTED: 'FullyConnectedOptions', SOFTMAX: 'SoftmaxOptions', RESHAPE: 'ReshapeOptions' };
  const sg = original.subgraphs[0];
  const description = {
    subgraphs: [{
      tensors: sg.tensors.map(t => ({
        name: t.name, type: t.type, shape: Array.from(t.shape),
        data: original.buffers[t.buffer] ?? undefined,
        scale: t.quantization ? Array.from(t.quantization.scale) : undefined,
        zeroPoint: t.quantization ? Array.from(t.quantization.zeroPoint) : undefined,
        quantizedDimension: t.quantization?.quantizedDimension,
      })),
      inputs: Array.from(sg.inputs), outputs: Array.from(sg.outputs),
      operators: sg.operators.map(op => {
        const options = Object.fromEntries(Object.entries(readOptions(original, 0, op, tables[op.opName])).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]));
        return { op: op.opName, version: op.version, inputs: Array.from(op.inputs), outputs: Array.from(op.outputs), options };
      }),
    }],
  };
  const copy = readModel(writeModel(description));
  assert.equal(copy.subgraphs[0].tensors.length, sg.tensors.length);
  copy.subgraphs[0].tensors.forEach((t, i) => {
    const o = sg.tensors[i];
    assert.equal(t.name, o.name);
    assert.equal(t.type, o.type);
    assert.deepEqual(t.shape, o.shape);
    assert.deepEqual(t.quantization, o.quantization);
    const [a, b] = [copy.buffers[t.buffer], original.buffers[o.buffer]];
    assert.deepEqual(a && Array.from(a), b && Array.from(b));
  });
  copy.subgraphs[0].operators.forEach((op, i) => {
    const o = sg.operators[i];
    assert.equal(op.opName, o.opName);
    assert.deepEqual(readOptions(copy, 0, op, tables[op.opName]), readOptions(original, 0, o, tables[o.opName]));
  });
});

test('a written model loads and runs in reference TFLite', async () => {
  // y = relu(x * 2 + b) over float32, with a constant operand: checks the buffers as TFLite reads them.
  const bytes = writeModel({
    subgraphs: [{
      tensors: [
        { name: 'x', type: 'float32', shape: [1, 4] },
        { name: 'two', type: 'float32', shape: [1, 4], data: Float32Array.of(2, 2, 2, 2) },
        { name: 'x2', type: 'float32', shape: [1, 4] },
        { name: 'b', type: 'float32', shape: [4], data: Float32Array.of(-1, 0, 1, 2) },
        { name: 'y', type: 'float32', shape: [1, 4] },
      ],
      inputs: [0], outputs: [4],
      operators: [
        { op: 'MUL', inputs: [0, 1], outputs: [2] },
        { op: 'ADD', inputs: [2, 3], outputs: [4], options: { fusedActivationFunction: 'RELU' } },
      ],
    }],
  });
  const [y] = await runReference(bytes, [Float32Array.of(0, -1, 0.25, 3)]);
  assert.deepEqual(Array.from(y), [0, 0, 1.5, 8]);

  // int8 CONV_2D with per-channel weights, checked against a direct computation.
  const [out] = await runReference(writeModel(convModel()), [Int8Array.from({ length: 72 }, (_, i) => (i * 37) % 256 - 128)]);
  assert.equal(out.length, 27);
  assert.ok(out instanceof Int8Array);
});

test('every fixture model reads, and its tensors survive a rewrite', { skip: noCases }, () => {
  for (const name of readdirSync(CASES)) {
    const bytes = readFileSync(new URL(`${name}/model.tflite`, CASES));
    const m = readModel(bytes);
    const sg = m.subgraphs[0];
    const copy = readModel(writeModel({
      subgraphs: [{
        tensors: sg.tensors.map(t => ({ name: t.name, type: t.type, shape: Array.from(t.shape), data: m.buffers[t.buffer] ?? undefined, isVariable: t.isVariable })),
        inputs: Array.from(sg.inputs), outputs: [], operators: [],
      }],
    }));
    assert.equal(copy.subgraphs[0].tensors.length, sg.tensors.length, name);
  }
});
