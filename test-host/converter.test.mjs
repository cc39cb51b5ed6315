// The converter and `embed`: what they write loads in reference TFLite (tfjs-tflite's WASM build)
// and gives the same outputs as our interpreter and as tfjs itself (float: within 1e-6; int8:
// within 1 LSB), follows TFLite's quantization conventions, and refuses what it cannot convert
// with an error that names the layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Interpreter, readModel, typeName } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import {
  convert, convertCommand, embed, embedCommand, evenlySpaced, activationParams, runReference, saveLayersModel, preloadModuleSource,
} from './lib/host.mjs';
import { Model } from './lib/components.mjs';

tf.enableProdMode();
await tf.setBackend('cpu');

/** A deterministic model: 3 -> 8 relu -> 4 relu6 (no bias) -> 2 linear, seeded weights. */
function stackModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, inputShape: [3], activation: 'relu', name: 'hidden1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 2 }) }));
  model.add(tf.layers.dense({ units: 4, activation: 'relu6', useBias: false, name: 'hidden2', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  model.add(tf.layers.dense({ units: 2, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), biasInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 5 }) }));
  return model;
}

async function trainedLine() {
  const { train } = await import('../examples/linear_regression/train.ts');
  return (await train({ log: () => {} })).model;
}

function ours(bytes, input) {
  const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  interpreter.setInput(0, input);
  interpreter.invoke();
  return interpreter.output(0).data.slice();
}

function samples(count, width, seed) {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: count }, () => Array.from({ length: width }, () => next() * 4 - 2));
}

test('float: the trained example model agrees with reference TFLite and tfjs within 1e-6', async () => {
  const model = await trainedLine();
  const bytes = convert(model);
  for (const x of [-1, -0.37, 0, 0.14, 0.5, 0.999, 3.25, 10]) {
    const input = Float32Array.of(x);
    const [reference] = await runReference(bytes, [input]);
    const mine = ours(bytes, input);
    const tfjs = model.predict(tf.tensor2d([[x]])).dataSync();
    assert.ok(Math.abs(mine[0] - reference[0]) <= 1e-6, `x ${x}: ours ${mine[0]} reference ${reference[0]}`);
    assert.ok(Math.abs(mine[0] - tfjs[0]) <= 1e-6, `x ${x}: ours ${mine[0]} tfjs ${tfjs[0]}`);
  }
});

test('float: a Dense stack (relu, relu6, no bias) agrees with reference TFLite and tfjs within 1e-6', async () => {
  const model = stackModel();
  const bytes = convert(model);
  const read = readModel(bytes);
  assert.deepEqual(read.subgraphs[0].operators.map(o => o.opName), ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
  assert.equal(read.subgraphs[0].operators[1].inputs[2], -1, 'a layer without bias leaves the bias input out');
  for (const row of samples(20, 3, 11)) {
    const input = Float32Array.from(row);
    const [reference] = await runReference(bytes, [input]);
    const mine = ours(bytes, input);
    const tfjs = model.predict(tf.tensor2d([row])).dataSync();
    for (let i = 0; i < 2; i++) {
      assert.ok(Math.abs(mine[i] - reference[i]) <= 1e-6, `ours ${mine[i]} reference ${reference[i]}`);
      assert.ok(Math.abs(mine[i] - tfjs[i]) <= 1e-6, `ours ${mine[i]} tfjs ${tfjs[i]}`);
    }
  }
});

test('int8: the example model and a Dense stack agree with reference TFLite within 1 LSB, and track tfjs', async () => {
  const cases = [
    { model: await trainedLine(), data: evenlySpaced(-1, 4, 100), inputs: evenlySpaced(-1, 4, 23).map(v => [v]) },
    // Inputs from the calibration set: outside it, int8 saturates by design.
    { model: stackModel(), data: samples(200, 3, 5), inputs: samples(200, 3, 5).slice(0, 40) },
  ];
  for (const { model, data, inputs } of cases) {
    const bytes = convert(model, { quantize: 'int8', representativeData: data });
    const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
    const inT = interpreter.input(0), outT = interpreter.output(0);
    assert.equal(inT.typeName, 'int8');
    assert.equal(outT.typeName, 'int8');
    let worst = 0;
    for (const row of inputs) {
      inT.quantize(row);
      const q = Int8Array.from(inT.data);
      interpreter.invoke();
      const mine = Int8Array.from(outT.data);
      const [reference] = await runReference(bytes, [q]);
      for (let i = 0; i < mine.length; i++) {
        assert.ok(Math.abs(mine[i] - reference[i]) <= 1, `ours ${mine[i]} reference ${reference[i]} for ${row}`);
      }
      const tfjs = model.predict(tf.tensor2d([row])).dataSync();
      const real = outT.dequantize();
      for (let i = 0; i < real.length; i++) worst = Math.max(worst, Math.abs(real[i] - tfjs[i]) / outT.scale);
    }
    // Quantization error, in output steps: input rounding through the weights plus output rounding.
    assert.ok(worst <= 4, `int8 strays ${worst.toFixed(2)} output steps from tfjs`);
  }
});

test('int8 follows TFLite\'s conventions: asymmetric activations, symmetric int8 weights, int32 bias at s_in * s_w', async () => {
  const model = stackModel();
  const data = samples(200, 3, 5);
  const bytes = convert(model, { quantize: 'int8', representativeData: data });
  const sg = readModel(bytes).subgraphs[0];
  const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  const input = sg.tensors[sg.inputs[0]];
  const flat = data.flat();
  const expected = activationParams({ min: Math.min(...flat), max: Math.max(...flat) });
  assert.ok(Math.abs(input.quantization.scale[0] - expected.scale) < 1e-9);
  assert.equal(input.quantization.zeroPoint[0], expected.zeroPoint);
  for (const op of sg.operators) {
    const [inIndex, wIndex, bIndex] = op.inputs;
    const w = sg.tensors[wIndex];
    assert.equal(typeName(w.type), 'int8');
    assert.equal(w.quantization.scale.length, 1, 'per-tensor weight scale');
    assert.equal(w.quantization.zeroPoint[0], 0);
    const values = interpreter.tensor(wIndex).data;
    assert.ok(values.every(v => v >= -127 && v <= 127), 'weights in [-127, 127]');
    assert.ok(values.some(v => Math.abs(v) === 127), 'the largest weight maps to +-127');
    if (bIndex >= 0) {
      const b = sg.tensors[bIndex];
      assert.equal(typeName(b.type), 'int32');
      const s = Math.fround(sg.tensors[inIndex].quantization.scale[0] * w.quantization.scale[0]);
      assert.ok(Math.abs(b.quantization.scale[0] - s) <= s * 1e-6, 'bias scale = input scale x weight scale');
      assert.equal(b.quantization.zeroPoint[0], 0);
    }
  }
  // relu outputs never go below 0: their zero point sits at -128.
  const relu = sg.tensors[sg.operators[0].outputs[0]];
  assert.equal(relu.quantization.zeroPoint[0], -128);
  assert.deepEqual(activationParams({ min: 0, max: 0 }), { scale: 1, zeroPoint: 0 });
  assert.deepEqual(activationParams({ min: -1, max: 1 }).zeroPoint, 0);
});

test('tflite-xs convert and embed as commands: files written, exit codes, one-line errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convert-'));
  const model = stackModel();
  const modelJson = await saveLayersModel(model, path.join(dir, 'tfjs'));
  const logs = [];
  const errors = [];
  const io = { log: line => logs.push(line), error: line => errors.push(line) };
  const codes = [
    await convertCommand([modelJson, '-o', path.join(dir, 'float.tflite')], io),
    await convertCommand([modelJson, '-o', path.join(dir, 'int8.tflite'), '--int8', '--representative-range', '-2:2'], io),
    await convertCommand([modelJson, '-o', path.join(dir, 'x.tflite'), '--int8'], io),
    await convertCommand([path.join(dir, 'missing.json'), '-o', path.join(dir, 'y.tflite')], io),
    await embedCommand([path.join(dir, 'float.tflite'), '-o', path.join(dir, 'app'), '--name', 'net'], io),
    await embedCommand([modelJson], io),
  ];
  assert.deepEqual(codes, [0, 0, 2, 1, 0, 1], 'exit 2 for a wrong command line, 1 for a file that fails');
  assert.match(errors[0], /warning: --representative-range .*real samples/);
  assert.match(errors[1], /--int8 needs --representative/);
  assert.match(errors[2], /cannot read the tfjs model .*missing\.json/);
  assert.match(errors[3], /not a \.tflite model/);
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'float.tflite')));
  const row = [0.3, -1.2, 0.8];
  const tfjs = model.predict(tf.tensor2d([row])).dataSync();
  const mine = ours(bytes, Float32Array.from(row));
  assert.ok(Math.abs(mine[0] - tfjs[0]) <= 1e-6 && Math.abs(mine[1] - tfjs[1]) <= 1e-6, 'the model loaded back from model.json converts to the same function');
  for (const f of ['net.tflite', 'net_data.js', 'net_data.d.ts', 'manifest_net_resource.json', 'manifest_net_preload.json']) {
    assert.ok(fs.existsSync(path.join(dir, 'app', f)), f);
  }
  assert.match(logs.join('\n'), /new Resource\("net\.tflite"\)/);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'app', 'manifest_net_preload.json'), 'utf8')), { modules: { '*': ['./net_data'] }, preload: ['net_data'] });
});

test('embed: the preload module exports the model as a frozen ArrayBuffer, which Model uses without copying', async () => {
  const bytes = convert(await trainedLine());
  const result = embed(bytes, { name: 'model' });
  assert.deepEqual(result.files['model.tflite'], bytes);
  assert.deepEqual(JSON.parse(result.files['manifest_model_resource.json']), { resources: { '*': ['./model.tflite'] } });
  assert.equal(result.costs.modelBytes, bytes.length);
  assert.ok(result.costs.arenaBytes > 0 && result.costs.arenaBytes < 256);
  assert.ok(result.costs.preloadFlash > 2 * bytes.length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-'));
  const file = path.join(dir, 'model_data.mjs');
  fs.writeFileSync(file, result.files['model_data.js']);
  const { default: buffer } = await import(pathToFileURL(file).href);
  assert.ok(buffer instanceof ArrayBuffer);
  assert.ok(Object.isFrozen(buffer));
  assert.deepEqual(new Uint8Array(buffer), bytes);
  const model = new Model({ model: buffer, resolver: allOps() });
  assert.ok(Math.abs(model.predict(0.5)) < 1e-4);
  const interpreter = model.interpreter;
  for (let i = 0; i < interpreter.model.subgraphs[0].tensors.length; i++) {
    const t = interpreter.tensor(i);
    if (t.isConstant) assert.equal(t.bytes.buffer, buffer, `${t.describe()} views the module's buffer`);
  }
  // Every length mod 3 decodes exactly (base64 padding).
  for (const n of [8, 9, 10, 11]) {
    const blob = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 5) & 255);
    blob.set([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33].slice(0, Math.min(8, n)));
    const text = preloadModuleSource(blob, 'x');
    const f = path.join(dir, `blob${n}.mjs`);
    fs.writeFileSync(f, text);
    assert.deepEqual(new Uint8Array((await import(pathToFileURL(f).href)).default), blob);
  }
});

test('embed: the preload module decodes the same bytes inside the XS engine', async () => {
  const bytes = convert(await trainedLine());
  const source = embed(bytes).files['model_data.js'];
  assert.match(source, /^export default model;$/m);
  await import('@endo/init'); // xsnap's host side needs the realm locked down first
  const { xsnap } = await import('@agoric/xsnap');
  const { spawn } = await import('node:child_process');
  const { default: tmp } = await import('tmp');
  let received = null;
  const worker = await xsnap({
    os: os.type(), spawn, fs: { ...fs, ...fs.promises }, tmpName: tmp.tmpName, meteringLimit: 0,
    handleCommand: async message => { received = message.slice(); return new Uint8Array(0); },
  });
  try {
    // A script cannot export: hand the module's default export to the host instead.
    await worker.evaluate(source.replace(/^export default model;$/m, 'issueCommand(Object.isFrozen(model) ? model : new ArrayBuffer(0));'));
  } finally {
    await worker.close();
  }
  assert.deepEqual(received, bytes);
});
