// The converter, layer kind by layer kind: each small tfjs model, converted to float32 and to
// int8, loads and runs in our interpreter, agrees with tfjs' own predict (float: 1e-5 relative;
// int8: a few output quantization steps) and with reference TFLite (float: 1e-5; int8: 1 LSB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Interpreter, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { convert, convertCommand, boxSamples, runReference, saveLayersModel, RANGE_WARNING } from './lib/host.mjs';

tf.enableProdMode();
await tf.setBackend('cpu');

/** Seeded values in [low, high). */
function rng(seed) {
  let s = seed >>> 0;
  return (low = -1, high = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return low + (high - low) * (s / 4294967296);
  };
}

const init = seed => ({
  kernelInitializer: tf.initializers.glorotUniform({ seed }),
  biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 100 }),
});

/** Gives every BatchNormalization layer non-trivial statistics (fresh ones are the identity). */
function randomizeBatchNorm(model, seed) {
  const next = rng(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(layer.getWeights().map((w, k) => {
      const n = w.shape[0];
      // gamma, beta, moving mean, moving variance (variance kept positive).
      const values = Array.from({ length: n }, () => (k === 3 ? next(0.2, 2) : k === 0 ? next(0.5, 1.5) : next(-0.5, 0.5)));
      return tf.tensor1d(values);
    }));
  }
  return model;
}

function sequential(inputShape, layers) {
  const model = tf.sequential();
  layers.forEach((layer, k) => {
    if (k === 0) model.add(tf.layers.inputLayer({ inputShape }));
    model.add(layer);
  });
  return model;
}

/** The models: one per layer kind (each kind appears in at least one, most several times). */
const CASES = [
  ['Dense relu + Dense softmax', () => sequential([5], [
    tf.layers.dense({ units: 6, activation: 'relu', ...init(1) }),
    tf.layers.dense({ units: 3, activation: 'softmax', ...init(2) })])],
  ['Dense sigmoid, tanh, relu6, no bias', () => sequential([4], [
    tf.layers.dense({ units: 5, activation: 'sigmoid', ...init(3) }),
    tf.layers.dense({ units: 5, activation: 'tanh', useBias: false, ...init(4) }),
    tf.layers.dense({ units: 2, activation: 'relu6', ...init(5) })])],
  ['Conv2D same stride 2 relu + Flatten + Dense', () => sequential([6, 6, 2], [
    tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...init(6) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 2, ...init(7) })])],
  ['Conv2D valid dilated + BatchNormalization + ReLU layer', () => randomizeBatchNorm(sequential([7, 7, 2], [
    tf.layers.conv2d({ filters: 4, kernelSize: 2, dilationRate: 2, ...init(8) }),
    tf.layers.batchNormalization(),
    tf.layers.reLU()]), 9)],
  ['DepthwiseConv2D x2 tanh', () => sequential([5, 5, 3], [
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'tanh', padding: 'same', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 10 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 11 }) })])],
  ['DepthwiseConv2D + BatchNormalization + ReLU(6)', () => randomizeBatchNorm(sequential([6, 6, 2], [
    tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false, depthwiseInitializer: tf.initializers.glorotUniform({ seed: 12 }) }),
    tf.layers.batchNormalization(),
    tf.layers.reLU({ maxValue: 6 })]), 13)],
  ['MaxPooling2D + AveragePooling2D (same) + GlobalAveragePooling2D', () => sequential([8, 8, 2], [
    tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu6', ...init(14) }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    tf.layers.globalAveragePooling2d({})])],
  ['Conv1D relu6 + MaxPooling1D + AveragePooling1D + GlobalAveragePooling1D', () => sequential([12, 2], [
    tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu6', ...init(15) }),
    tf.layers.maxPooling1d({ poolSize: 2 }),
    tf.layers.averagePooling1d({ poolSize: 2, strides: 1 }),
    tf.layers.globalAveragePooling1d({})])],
  ['Conv1D same stride 2 + BatchNormalization + Activation sigmoid', () => randomizeBatchNorm(sequential([9, 3], [
    tf.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', ...init(16) }),
    tf.layers.batchNormalization(),
    tf.layers.activation({ activation: 'sigmoid' })]), 17)],
  ['Dense + BatchNormalization + Dropout + Activation relu + Reshape + Softmax layer', () => randomizeBatchNorm(sequential([4], [
    tf.layers.dense({ units: 6, ...init(18) }),
    tf.layers.batchNormalization(),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.activation({ activation: 'relu' }),
    tf.layers.reshape({ targetShape: [2, 3] }),
    tf.layers.softmax({ axis: -1 })]), 19)],
  ['Dense on a sequence (keepNumDims) + Activation tanh', () => sequential([3, 4], [
    tf.layers.dense({ units: 2, ...init(20) }),
    tf.layers.activation({ activation: 'tanh' })])],
  ['functional: two outputs', () => {
    const input = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', ...init(21) }).apply(input);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(conv);
    const classes = tf.layers.dense({ units: 3, activation: 'softmax', ...init(22) }).apply(pooled);
    const flat = tf.layers.flatten().apply(conv);
    const value = tf.layers.dense({ units: 1, ...init(23) }).apply(flat);
    return tf.model({ inputs: input, outputs: [classes, value] });
  }],
];

function inputsFor(model, count, seed) {
  const width = model.inputs[0].shape.slice(1).reduce((a, b) => a * b, 1);
  const next = rng(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: width }, () => next(-2, 2)));
}

function tfjsPredict(model, row) {
  const shape = [1, ...model.inputs[0].shape.slice(1)];
  const out = model.predict(tf.tensor(row, shape));
  return (Array.isArray(out) ? out : [out]).map(t => t.dataSync());
}

/**
 * LSBs an int8 output may differ from reference TFLite: 1 (reference TFLite rounds once where
 * TFLM rounds twice, and fills LOGISTIC/TANH/SOFTMAX tables in float). Behind LOGISTIC or TANH,
 * the 1-LSB difference of the tensor before also shows, scaled by the function's steepest slope
 * (1/4 and 1) over the output's step: an activation cannot undo a difference in its input.
 */
function referenceLsb(bytes) {
  const sg = readModel(bytes).subgraphs[0];
  return sg.outputs.map(index => {
    const op = sg.operators.find(o => o.outputs[0] === index);
    const slope = { LOGISTIC: 0.25, TANH: 1 }[op.opName];
    if (!slope) return 1;
    const scaleIn = sg.tensors[op.inputs[0]].quantization.scale[0], scaleOut = sg.tensors[index].quantization.scale[0];
    return 1 + Math.ceil(slope * scaleIn / scaleOut);
  });
}

function runOurs(interpreter, input) {
  interpreter.setInput(0, input);
  interpreter.invoke();
  return Array.from({ length: interpreter.outputCount }, (_, i) => interpreter.output(i));
}

for (const [name, build] of CASES) {
  test(`${name}: float32 and int8 agree with tfjs and reference TFLite`, async () => {
    const model = build();
    const rows = inputsFor(model, 4, name.length);

    const floatBytes = convert(model);
    const fi = new Interpreter(floatBytes, { resolver: allOps() }).allocateTensors();
    assert.equal(fi.outputCount, model.outputs.length, 'every output kept');
    for (const row of rows) {
      const expected = tfjsPredict(model, row);
      const mine = runOurs(fi, row).map(t => Float32Array.from(t.data));
      const reference = await runReference(floatBytes, [row]);
      expected.forEach((want, o) => {
        assert.equal(mine[o].length, want.length, `output ${o} size`);
        const magnitude = Math.max(1, ...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) {
          assert.ok(Math.abs(mine[o][i] - want[i]) <= 1e-5 * magnitude, `float output ${o}[${i}]: ours ${mine[o][i]} tfjs ${want[i]}`);
          assert.ok(Math.abs(mine[o][i] - reference[o][i]) <= 1e-5 * magnitude, `float output ${o}[${i}]: ours ${mine[o][i]} reference ${reference[o][i]}`);
        }
      });
    }

    // Calibrate on 64 inputs, check on some of them (outside the calibrated ranges int8 saturates by design).
    const calibration = inputsFor(model, 64, 7 * name.length);
    const int8Bytes = convert(model, { quantize: 'int8', representativeData: calibration });
    const qi = new Interpreter(int8Bytes, { resolver: allOps() }).allocateTensors();
    const lsb = referenceLsb(int8Bytes);
    assert.equal(qi.input(0).typeName, 'int8');
    let worst = 0;
    for (const row of calibration.slice(0, 6)) {
      qi.input(0).quantize(row);
      const q = Int8Array.from(qi.input(0).data);
      const outs = runOurs(qi, q);
      const reference = await runReference(int8Bytes, [q]);
      const expected = tfjsPredict(model, row);
      outs.forEach((t, o) => {
        assert.equal(t.typeName, 'int8');
        const mine = Int8Array.from(t.data);
        for (let i = 0; i < mine.length; i++) assert.ok(Math.abs(mine[i] - reference[o][i]) <= lsb[o], `int8 output ${o}[${i}]: ours ${mine[i]} reference ${reference[o][i]} (allowed ${lsb[o]})`);
        const real = t.dequantize();
        for (let i = 0; i < real.length; i++) worst = Math.max(worst, Math.abs(real[i] - expected[o][i]) / t.scale);
      });
    }
    assert.ok(worst <= 4, `int8 strays ${worst.toFixed(2)} output steps from tfjs`);
  });
}

test('int8 conventions: per-channel weights for convolutions, per-tensor for Dense, bias at input scale x weight scale, fixed softmax/sigmoid outputs', () => {
  const model = randomizeBatchNorm(sequential([6, 6, 2], [
    tf.layers.conv2d({ filters: 3, kernelSize: 3, ...init(30) }),
    tf.layers.batchNormalization(),
    tf.layers.depthwiseConv2d({ kernelSize: 2, depthwiseInitializer: tf.initializers.glorotUniform({ seed: 31 }) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 4, activation: 'sigmoid', ...init(32) }),
    tf.layers.dense({ units: 3, activation: 'softmax', ...init(33) })]), 34);
  const bytes = convert(model, { quantize: 'int8', representativeData: inputsFor(model, 32, 35) });
  const sg = readModel(bytes).subgraphs[0];
  const names = sg.operators.map(o => o.opName);
  assert.deepEqual(names, ['CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'FULLY_CONNECTED', 'LOGISTIC', 'FULLY_CONNECTED', 'SOFTMAX'], 'BatchNormalization folded, activations as operators');
  const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  for (const op of sg.operators.filter(o => ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(o.opName))) {
    const [inIndex, wIndex, bIndex] = op.inputs;
    const w = sg.tensors[wIndex], b = sg.tensors[bIndex];
    const channels = op.opName === 'DEPTHWISE_CONV_2D' ? w.shape[3] : w.shape[0];
    const perChannel = op.opName !== 'FULLY_CONNECTED';
    assert.equal(w.quantization.scale.length, perChannel ? channels : 1, `${op.opName} weight scales`);
    assert.equal(w.quantization.quantizedDimension, op.opName === 'DEPTHWISE_CONV_2D' ? 3 : 0);
    const values = interpreter.tensor(wIndex).data;
    assert.ok(values.every(v => v >= -127 && v <= 127));
    assert.equal(b.quantization.scale.length, w.quantization.scale.length);
    const sIn = sg.tensors[inIndex].quantization.scale[0];
    b.quantization.scale.forEach((s, c) => assert.ok(Math.abs(s - sIn * w.quantization.scale[c]) <= s * 1e-6, 'bias scale = input scale x weight scale'));
  }
  const outputOf = name => sg.tensors[sg.operators[names.indexOf(name)].outputs[0]].quantization;
  assert.deepEqual([outputOf('LOGISTIC').scale[0], Number(outputOf('LOGISTIC').zeroPoint[0])], [1 / 256, -128]);
  assert.deepEqual([outputOf('SOFTMAX').scale[0], Number(outputOf('SOFTMAX').zeroPoint[0])], [1 / 256, -128]);
});

test('what cannot convert is refused, naming the layer and with a hint', () => {
  const refused = [
    [sequential([4, 2], [tf.layers.lstm({ units: 2, name: 'my_lstm' })]), /layer "my_lstm" \(LSTM\) is not supported: the converter handles Dense/],
    [sequential([3], [tf.layers.dense({ units: 2, activation: 'elu', name: 'squash' })]), /layer "squash" \(Dense\): activation "elu" is not supported \(supported activations:/],
    [sequential([3], [tf.layers.dense({ units: 2, activation: 'relu', name: 'd' }), tf.layers.batchNormalization({ name: 'late_bn' })]), /layer "late_bn" \(BatchNormalization\) cannot be folded.*hint: put the activation after/],
    [sequential([5, 2], [tf.layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal', name: 'causal' })]), /layer "causal" \(Conv1D\): padding "causal" is not supported \(hint/],
    [sequential([3], [tf.layers.leakyReLU({ name: 'leaky' })]), /layer "leaky" \(LeakyReLU\) is not supported/],
  ];
  for (const [model, pattern] of refused) assert.throws(() => convert(model), pattern);
  const a = tf.input({ shape: [2] }), b = tf.input({ shape: [2] });
  const two = tf.model({ inputs: [a, b], outputs: tf.layers.add().apply([a, b]) });
  assert.throws(() => convert(two), /2 inputs; only one is supported \(hint/);
  const x = tf.input({ shape: [2] });
  const joined = tf.layers.concatenate({ name: 'join' }).apply([tf.layers.dense({ units: 1 }).apply(x), tf.layers.dense({ units: 1 }).apply(x)]);
  assert.throws(() => convert(tf.model({ inputs: x, outputs: joined })), /layer "join" \(Concatenate\) takes 2 inputs/);
  const dense = sequential([3], [tf.layers.dense({ units: 1 })]);
  assert.throws(() => convert(dense, { quantize: 'int8' }), /needs representativeData/);
  assert.throws(() => convert(dense, { quantize: 'int8', representativeData: [[1, 2]] }), /sample 0 has 2 values, the model takes 3/);
});

test('--representative-range samples every feature independently across the box, and warns', async () => {
  // 3 inputs, output x0 - x1 + x2: on the diagonal (all features equal) it only reaches [-1, 1].
  const model = sequential([3], [tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros', name: 'sum' })]);
  model.getLayer('sum').setWeights([tf.tensor2d([[1], [-1], [1]])]);
  const rows = boxSamples(3, -1, 1);
  assert.ok(rows.every(r => r.every(v => v >= -1 && v < 1)));
  assert.ok(rows.some(r => r[0] !== r[1]), 'features vary independently');
  assert.deepEqual(boxSamples(3, -1, 1), rows, 'seeded: the same samples every time');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convert-range-'));
  const json = await saveLayersModel(model, path.join(dir, 'tfjs'));
  const logs = [], errors = [];
  const code = await convertCommand([json, '-o', path.join(dir, 'm.tflite'), '--int8', '--representative-range', '-1:1'], { log: l => logs.push(l), error: l => errors.push(l) });
  assert.equal(code, 0, errors.join('\n'));
  assert.deepEqual(errors, [RANGE_WARNING]);
  assert.match(RANGE_WARNING, /real samples/);
  const interpreter = new Interpreter(new Uint8Array(fs.readFileSync(path.join(dir, 'm.tflite'))), { resolver: allOps() }).allocateTensors();
  const out = interpreter.output(0);
  const covered = [(-128 - out.zeroPoint) * out.scale, (127 - out.zeroPoint) * out.scale];
  assert.ok(covered[0] < -2 && covered[1] > 2, `output range [${covered}] covers what the box reaches (|x0 - x1 + x2| up to 3)`);
  interpreter.input(0).quantize([0.9, -0.9, 0.9]);
  interpreter.invoke();
  assert.ok(Math.abs(out.dequantize()[0] - 2.7) <= 2 * out.scale, `off-diagonal input: ${out.dequantize()[0]} for 2.7`);
});
