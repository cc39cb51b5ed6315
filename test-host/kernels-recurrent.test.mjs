// Recurrent and resource-variable kernels: UNIDIRECTIONAL_SEQUENCE_LSTM, VAR_HANDLE,
// READ_VARIABLE, ASSIGN_VARIABLE, CALL_ONCE.
// Expected values come from TFLM's LSTM kernel tests (lstm_test_data.cc goldens and tolerances),
// from TFLM's own LSTM kernel compiled for the host (tflite-micro 90b983c: unidirectional_
// sequence_lstm.cc + lstm_eval*.cc run through its KernelRunner) on the seeded models built here,
// from reference TFLite, and from independent arithmetic in the tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, runReference, referenceAvailable, XsEngine } from './lib/host.mjs';

const f32 = Math.fround;
const GATES = ['input', 'forget', 'cell', 'output'];
// Tensor positions in the models lstmModel writes: 0 input, 1-12 weights and biases.
const HIDDEN = 13, CELL = 14;

// ---- model building ------------------------------------------------------------------------

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A one-operator UNIDIRECTIONAL_SEQUENCE_LSTM model (the standard 24-input layout, no peephole,
 * projection or layer norm). `gates[name]` = {w, r, b} in stored form; `q` quantizes the input,
 * hidden and cell states; `gq[gate]` = {w, r, b} scales.
 */
function lstmModel({ act, batch, steps, inSize, units, timeMajor = false, cellClip = 0, gates, q = {}, gq = {}, drop = [], cellType, activation = 4, weightsAsInputs = false }) {
  const wType = act === 'float32' ? 'float32' : 'int8';
  const bType = act === 'float32' ? 'float32' : act === 'int8' ? 'int32' : 'int64';
  cellType ??= act === 'float32' ? 'float32' : 'int16';
  const quant = (scale, zeroPoint = 0) => (act === 'float32' || scale === undefined ? {} : { scale, zeroPoint });
  const tensors = [];
  const add = t => (tensors.push(t), tensors.length - 1);
  const ins = new Array(24).fill(-1);
  ins[0] = add({ type: act, shape: timeMajor ? [steps, batch, inSize] : [batch, steps, inSize], ...quant(q.input?.scale, q.input?.zeroPoint) });
  GATES.forEach((g, k) => { ins[1 + k] = add({ type: wType, shape: [units, inSize], data: weightsAsInputs ? undefined : gates[g].w, ...quant(gq[g]?.w) }); });
  GATES.forEach((g, k) => { ins[5 + k] = add({ type: wType, shape: [units, units], data: weightsAsInputs ? undefined : gates[g].r, ...quant(gq[g]?.r) }); });
  GATES.forEach((g, k) => { ins[12 + k] = add({ type: bType, shape: [units], data: weightsAsInputs ? undefined : gates[g].b, ...quant(gq[g]?.b) }); });
  ins[18] = add({ type: act, shape: [batch, units], isVariable: true, ...quant(q.hidden?.scale, q.hidden?.zeroPoint) });
  ins[19] = add({ type: cellType, shape: [batch, units], isVariable: true, ...quant(q.cell?.scale, 0) });
  const out = add({ type: act, shape: timeMajor ? [steps, batch, units] : [batch, steps, units], ...quant(q.hidden?.scale, q.hidden?.zeroPoint) });
  for (const i of drop) ins[i] = -1;
  return writeModel({
    subgraphs: [{
      tensors, inputs: weightsAsInputs ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [ins[0]], outputs: [out],
      operators: [{ op: 'UNIDIRECTIONAL_SEQUENCE_LSTM', inputs: ins, outputs: [out], options: { fusedActivationFunction: activation, cellClip, projClip: 0, timeMajor } }],
    }],
  });
}

function randomGates(act, inSize, units, seed) {
  const r = lcg(seed);
  const gates = {};
  for (const g of GATES) {
    if (act === 'float32') {
      gates[g] = {
        w: Float32Array.from({ length: units * inSize }, () => (r() * 2 - 1) * 0.6),
        r: Float32Array.from({ length: units * units }, () => (r() * 2 - 1) * 0.6),
        b: Float32Array.from({ length: units }, () => (r() * 2 - 1) * 0.5),
      };
    } else {
      const int8 = n => Int8Array.from({ length: n }, () => Math.floor(r() * 255) - 127);
      gates[g] = {
        w: int8(units * inSize), r: int8(units * units),
        b: act === 'int8' ? Int32Array.from({ length: units }, () => Math.floor((r() * 2 - 1) * 3000))
          : Array.from({ length: units }, () => Math.floor((r() * 2 - 1) * 2e6)),
      };
    }
  }
  return gates;
}

function randomInputs(act, count, invokes, seed) {
  const r = lcg(seed);
  return Array.from({ length: invokes }, () => {
    if (act === 'float32') return Float32Array.from({ length: count }, () => (r() * 2 - 1) * 1.5);
    if (act === 'int8') return Int8Array.from({ length: count }, () => Math.floor(r() * 256) - 128);
    return Int16Array.from({ length: count }, () => Math.floor(r() * 65536) - 32768);
  });
}

/** Invokes once per input on one interpreter; returns [output, hidden, cell] bytes after each. */
function runSteps(model, inputs) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  return inputs.map(v => {
    it.setInput(0, v);
    it.invoke();
    return [it.output(0).bytes.slice(), it.tensor(HIDDEN).bytes.slice(), it.tensor(CELL).bytes.slice()];
  });
}

const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
const fromHex = (s, Type) => {
  const bytes = Uint8Array.from(s.match(/../g), h => parseInt(h, 16));
  return new Type(bytes.buffer);
};

function assertNear(got, want, tolerance, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= tolerance;
    if (!ok) assert.fail(`${what}[${i}]: got ${got[i]}, want ${want[i]} (tolerance ${tolerance})`);
  }
}

// ---- TFLM's LSTM kernel tests (unidirectional_sequence_lstm_test.cc, lstm_test_data.cc) ---------

// Get2X2LstmEvalCheckData: 2 batches, 3 steps, 2 inputs, 2 units, states starting at zero.
const GOLDEN_INPUT = [0.2, 0.3, 0.2, 0.3, 0.2, 0.3, -0.98, 0.62, 0.01, 0.99, 0.49, -0.32];
const GOLDEN_OUTPUT = [0.26455893, 0.26870455, 0.47935803, 0.47937014, 0.58013272, 0.58013278,
  -1.41184672e-3, -1.43329117e-5, 0.46887168, 0.46891281, 0.50054074, 0.50054148];
const GOLDEN_HIDDEN = [0.58013272, 0.58013278, 0.50054074, 0.50054148];
const GOLDEN_CELL = [0.89740515, 0.8974053, 0.80327607, 0.80327785];
// Create2x3x2X2FloatNodeContents: (activation weights, recurrent weights, bias) per gate.
const GOLDEN_GATES = {
  forget: { w: [-10, -10, -20, -20], r: [-10, -10, -20, -20], b: [1, 2] },
  input: { w: [10, 10, 20, 20], r: [10, 10, 20, 20], b: [-1, -2] },
  cell: { w: [1, 1, 1, 1], r: [1, 1, 1, 1], b: [0, 0] },
  output: { w: [1, 1, 1, 1], r: [1, 1, 1, 1], b: [0, 0] },
};
const GOLDEN_SHAPE = { batch: 2, steps: 3, inSize: 2, units: 2, cellClip: 6 };

/** micro_utils' FloatToSymmetricQuantizedType: round(value / scale) in float, clamped to [min + 1, max]. */
function symmetric(values, scale, bits) {
  const max = 2 ** (bits - 1) - 1;
  return values.map(v => {
    const x = f32(f32(v) / f32(scale));
    const q = x < 0 ? -Math.round(-x) : Math.round(x);
    return Math.max(-max, Math.min(max, q));
  });
}

function quantizeInput(values, scale, zeroPoint, Type, lo, hi) {
  return Type.from(values, v => {
    const x = f32(f32(v) / f32(scale));
    return Math.max(lo, Math.min(hi, (x < 0 ? -Math.round(-x) : Math.round(x)) + zeroPoint));
  });
}

test('TFLM golden: float LSTM, 2 batches × 3 steps (tolerance 1e-6)', () => {
  const gates = {};
  for (const g of GATES) gates[g] = { w: Float32Array.from(GOLDEN_GATES[g].w), r: Float32Array.from(GOLDEN_GATES[g].r), b: Float32Array.from(GOLDEN_GATES[g].b) };
  const model = lstmModel({ act: 'float32', ...GOLDEN_SHAPE, gates });
  const [[output, hidden, cell]] = runSteps(model, [Float32Array.from(GOLDEN_INPUT)]);
  assertNear(new Float32Array(output.buffer), GOLDEN_OUTPUT, 1e-6, 'output');
  assertNear(new Float32Array(hidden.buffer), GOLDEN_HIDDEN, 1e-6, 'hidden state');
  assertNear(new Float32Array(cell.buffer), GOLDEN_CELL, 1e-6, 'cell state');
});

// Get2X2Int8LstmQuantizationSettings / Get2X2Int16LstmQuantizationSettings
const GOLDEN_QUANT = {
  int8: {
    input: { scale: 0.00784313725490196, zeroPoint: 0 }, hidden: { scale: 0.004705882165580988, zeroPoint: -21 },
    cell: { scale: 0.00024414062 }, sigmoidBias: 0.0012351397251814111, tanhBias: 6.175698625907056e-5,
    tolerance: { hidden: 1e-2, cell: 1e-2 },
  },
  int16: {
    input: { scale: 3.0518044e-5, zeroPoint: 0 }, hidden: { scale: 2.1362956633198035e-05, zeroPoint: 0 },
    cell: { scale: 0.00024414062 }, sigmoidBias: 4.8059911474468205e-06, tanhBias: 2.40299557372341e-07,
    tolerance: { hidden: 1e-3, cell: 1e-2 },
  },
};

for (const act of ['int8', 'int16']) {
  test(`TFLM golden: ${act === 'int8' ? 'int8' : 'int16x8'} LSTM, 2 batches × 3 steps (TFLM's tolerances)`, () => {
    const s = GOLDEN_QUANT[act];
    const gq = {}, gates = {};
    for (const g of GATES) {
      const big = g === 'forget' || g === 'input';
      const w = big ? 0.15748031496062992 : 0.007874015748031496;
      gq[g] = { w, r: w, b: big ? s.sigmoidBias : s.tanhBias };
      gates[g] = {
        w: Int8Array.from(symmetric(GOLDEN_GATES[g].w, w, 8)),
        r: Int8Array.from(symmetric(GOLDEN_GATES[g].r, w, 8)),
        b: act === 'int8' ? Int32Array.from(symmetric(GOLDEN_GATES[g].b, gq[g].b, 32)) : symmetric(GOLDEN_GATES[g].b, gq[g].b, 64),
      };
    }
    const model = lstmModel({ act, ...GOLDEN_SHAPE, gates, q: s, gq });
    const input = act === 'int8'
      ? quantizeInput(GOLDEN_INPUT, s.input.scale, s.input.zeroPoint, Int8Array, -128, 127)
      : quantizeInput(GOLDEN_INPUT, s.input.scale, s.input.zeroPoint, Int16Array, -32768, 32767);
    const [[output, hidden, cell]] = runSteps(model, [input]);
    const Type = act === 'int8' ? Int8Array : Int16Array;
    const dequantize = (bytes, T, scale, zp) => Array.from(new T(bytes.buffer), v => (v - zp) * f32(scale));
    assertNear(dequantize(output, Type, s.hidden.scale, s.hidden.zeroPoint), GOLDEN_OUTPUT, s.tolerance.hidden, 'output');
    assertNear(dequantize(hidden, Type, s.hidden.scale, s.hidden.zeroPoint), GOLDEN_HIDDEN, s.tolerance.hidden, 'hidden state');
    assertNear(dequantize(cell, Int16Array, s.cell.scale, 0), GOLDEN_CELL, s.tolerance.cell, 'cell state');
  });
}

// ---- bit-exact against TFLM's kernel ---------------------------------------------------------

const GQ8 = { input: { w: 0.013, r: 0.008, b: 0.00026 }, forget: { w: 0.011, r: 0.009, b: 0.00022 }, cell: { w: 0.02, r: 0.015, b: 0.0004 }, output: { w: 0.017, r: 0.012, b: 0.00034 } };
/**
 * Seeded models and what TFLM's kernel produced for them over 3 invokes with the states kept
 * (output after each invoke, then the final hidden and cell states), as hex bytes.
 */
const TFLM_RUNS = {
  'int8 batch-major, cell scale 2^-11, cell clip 3': {
    config: { act: 'int8', batch: 2, steps: 3, inSize: 5, units: 4, timeMajor: false, cellClip: 3, seed: 11,
      q: { input: { scale: 0.02, zeroPoint: -3 }, hidden: { scale: 1 / 128, zeroPoint: 5 }, cell: { scale: 2 ** -11 } }, gq: GQ8 },
    outputs: ['06190506fc1210f6c3061d14050805055e0504024905cd03', '02600039f909fd0a0541ee067b0503ff1708a012104a0520', '05105c1eb1057608a8f17ff7051055075bfb56e54e041d04'],
    hidden: 'a8f17ff74e041d04', cell: '91f81df8b71110ff4605effafd0ad9ff',
  },
  'int8 time-major, cell scale 2^-14': {
    config: { act: 'int8', batch: 2, steps: 4, inSize: 3, units: 6, timeMajor: true, cellClip: 0, seed: 12,
      q: { input: { scale: 0.05, zeroPoint: 7 }, hidden: { scale: 0.01, zeroPoint: -10 }, cell: { scale: 2 ** -14 } }, gq: GQ8 },
    outputs: ['3ef7faefacfaf6fcf60afbf6f64af638eff942f600f6bbf742f6fff6a413f643fcf6f5f627f5f608f643ef49fcf3e6f6', '53020df6f0f6f651f6edaff64ff70ef6b3f6f6f6f63cf63ef620f640f80af6f7f63af63ef7f6f642e8b742f6f7f6970d', 'f642f641f6cef6f6f63ef651f701f6f6f6d4f6d2f642f64ef108f7f6f6f6f6f5f63df64ef6dff641f6da2df6dfd6d3e6'],
    hidden: 'f6dff641f6da2df6dfd6d3e6', cell: '61f647eadde5093f113ea4eded3a073f0bc234dbc7e7cdea',
  },
  'int16x8 batch-major, int64 bias, cell clip 1': {
    config: { act: 'int16', batch: 1, steps: 5, inSize: 4, units: 3, timeMajor: false, cellClip: 1, seed: 13,
      q: { input: { scale: 1e-4, zeroPoint: 0 }, hidden: { scale: 3.2e-5, zeroPoint: 0 }, cell: { scale: 2 ** -12 } },
      gq: { input: { w: 0.004, r: 0.006 }, forget: { w: 0.005, r: 0.003 }, cell: { w: 0.01, r: 0.012 }, output: { w: 0.007, r: 0.009 } } },
    outputs: ['1b04db00d227e90e9a008536e823c901423fe63bd1f0ff071900490077eb', '76149401f003432fd6f69cfa13e125e15bfa6f1eb42818fd382587003ff0', '3b107220acfba34620e22dfe0d52e7b106f5f7526cebc0f5ff2d43eedaea'],
    hidden: 'ff2d43eedaea', cell: '00100ff084f8',
  },
};

function tflmRunModel(config) {
  return lstmModel({ ...config, gates: randomGates(config.act, config.inSize, config.units, config.seed) });
}

function tflmRunInputs(config) {
  return randomInputs(config.act, config.batch * config.steps * config.inSize, 3, config.seed + 100);
}

for (const [name, run] of Object.entries(TFLM_RUNS)) {
  test(`bit-exact with TFLM's kernel: ${name}, 3 invokes with state kept`, () => {
    const results = runSteps(tflmRunModel(run.config), tflmRunInputs(run.config));
    results.forEach(([output], i) => assert.equal(hex(output), run.outputs[i], `output of invoke ${i}`));
    assert.equal(hex(results[2][1]), run.hidden, 'final hidden state');
    assert.equal(hex(results[2][2]), run.cell, 'final cell state');
  });
}

test("bit-exact with TFLM's kernel when the weights are not constants (computed at eval)", () => {
  for (const name of ['int8 batch-major, cell scale 2^-11, cell clip 3', 'int16x8 batch-major, int64 bias, cell clip 1']) {
    const run = TFLM_RUNS[name];
    const config = run.config;
    const gates = randomGates(config.act, config.inSize, config.units, config.seed);
    const model = lstmModel({ ...config, gates, weightsAsInputs: true });
    const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
    const int64 = values => Int32Array.from(values.flatMap(v => [Number(BigInt.asIntN(32, BigInt(v))), Math.floor(v / 4294967296)]));
    const constants = [...GATES.map(g => gates[g].w), ...GATES.map(g => gates[g].r),
      ...GATES.map(g => (config.act === 'int16' ? int64(gates[g].b) : gates[g].b))];
    constants.forEach((values, i) => it.setInput(i + 1, values));
    tflmRunInputs(config).forEach((v, i) => {
      it.setInput(0, v);
      it.invoke();
      assert.equal(hex(it.output(0).bytes), run.outputs[i], `${name}: output of invoke ${i}`);
    });
  }
});

// Float: TFLM's tanhf/expf come from the host's libm, so its float results may differ from ours
// in the last bit; these are its outputs for a time-major model with cell clip 2.
const TFLM_FLOAT = {
  config: { act: 'float32', batch: 2, steps: 3, inSize: 3, units: 4, timeMajor: true, cellClip: 2, seed: 14 },
  outputs: ['b6f47d3dd274ba3d3df79abd5977833c5e5b0cbe991617bc2e64d7bdf55ab43d0da32d3b0ca0333e5b7ce63dcaa4d83d1dabf63d77ff203eaed715bc439fa73dcaff20be287b33bc1ac33a3da6a197bd45925abd8fbf713e01a7953db337b1bd', 'f0d49bbd757c96bb96e9b13c5f2a4bbe974611be8a1fb7bc2bd9bbbc7db716be14c5b0bba755da3d131f973c7b6682be2e951d3e9776703e59ae8cbc43f482be1cac643d6050533eb54dcf3c6ab2aebe047f53bc81c7013e861756b9fb67f8bc', '9dbfb73deab2513e9b321cbd7ee6b6beac38903d1b118b3efb0cc5bb1c3c21beb12bb33cf57af93dd9199fbcf1467dbd98ae6a3e95880b3f12d3ee3d90c3d0bee1cbf83d7ecd893eae2e403c4e518ebef311de3d062ed03e6b18dd3def17c9be'],
  cell: '48437a3e28d4b93ee12a423dd80cc7be084b7d3eb6a3833faa41793ed51107bf',
};

test("float LSTM agrees with TFLM's kernel within float rounding (time-major, cell clip)", () => {
  const results = runSteps(tflmRunModel(TFLM_FLOAT.config), tflmRunInputs(TFLM_FLOAT.config));
  results.forEach(([output], i) => {
    assertNear(new Float32Array(output.buffer), fromHex(TFLM_FLOAT.outputs[i], Float32Array), 1e-6, `output of invoke ${i}`);
  });
  const cell = new Float32Array(results[2][2].buffer);
  assertNear(cell, fromHex(TFLM_FLOAT.cell, Float32Array), 1e-6, 'final cell state');
  assert.ok(cell.every(v => Math.abs(v) <= 2), 'cell state is clipped to ±2');
});

// ---- reference TFLite --------------------------------------------------------------------------

test('float LSTM agrees with reference TFLite over several invokes (batch- and time-major)', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  for (const timeMajor of [false, true]) {
    const config = { act: 'float32', batch: 3, steps: 4, inSize: 5, units: 6, timeMajor, cellClip: 0, seed: 21 };
    const model = lstmModel({ ...config, gates: randomGates('float32', 5, 6, 21) });
    const inputs = randomInputs('float32', 3 * 4 * 5, 3, 22);
    const ours = runSteps(model, inputs).map(([output]) => new Float32Array(output.buffer));
    const all = new Float32Array(inputs.length * inputs[0].length);
    inputs.forEach((v, i) => all.set(v, i * v.length));
    const [want] = await runReference(model, [all], inputs.length);
    ours.forEach((got, i) => assertNear(got, want.subarray(i * got.length, (i + 1) * got.length), 2e-6, `timeMajor ${timeMajor}, invoke ${i}`));
  }
});

// ---- state handling and validation -------------------------------------------------------------

test('resetVariables() returns the LSTM to its initial state (int8 hidden state to its zero point)', () => {
  const run = TFLM_RUNS['int8 batch-major, cell scale 2^-11, cell clip 3'];
  const model = tflmRunModel(run.config);
  const inputs = tflmRunInputs(run.config);
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  assert.deepEqual(Array.from(it.tensor(HIDDEN).data), new Array(8).fill(5), 'hidden state starts at its zero point');
  it.setInput(0, inputs[0]);
  it.invoke();
  it.setInput(0, inputs[1]);
  it.invoke();
  it.resetVariables();
  assert.deepEqual(Array.from(it.tensor(CELL).data), new Array(8).fill(0));
  it.setInput(0, inputs[0]);
  it.invoke();
  assert.equal(hex(it.output(0).bytes), run.outputs[0], 'first output again after the reset');
});

test('LSTM variants TFLM does not run are refused in prepare', () => {
  const config = { act: 'int8', batch: 1, steps: 2, inSize: 3, units: 2, seed: 5, q: { input: { scale: 0.02 }, hidden: { scale: 0.01 }, cell: { scale: 2 ** -11 } }, gq: GQ8 };
  const gates = randomGates('int8', 3, 2, 5);
  const prepare = model => new Interpreter(model, { resolver: allOps() }).allocateTensors();
  assert.doesNotThrow(() => prepare(lstmModel({ ...config, gates })));
  // CIFG (no input gate): input-to-input weights missing
  assert.throws(() => prepare(lstmModel({ ...config, gates, drop: [1] })), e => e instanceof OpError && /input 1/.test(e.message));
  // per-channel weights
  const perChannel = { ...GQ8, cell: { ...GQ8.cell, w: [0.02, 0.03] } };
  assert.throws(() => prepare(lstmModel({ ...config, gates, gq: perChannel })), e => e instanceof OpError && /per channel/.test(e.message));
  // float cell state with int8 activations
  assert.throws(() => prepare(lstmModel({ ...config, gates, cellType: 'float32' })), e => e instanceof OpError && /unsupported types/.test(e.message));
  // a cell activation other than tanh
  assert.throws(() => prepare(lstmModel({ ...config, gates, activation: 1 })), e => e instanceof OpError && /RELU/.test(e.message));
});

// ---- XS ----------------------------------------------------------------------------------------

test('LSTM runs identically in XS (int8, int16x8 and float, state kept across steps)', async () => {
  const engine = await XsEngine.start({ harden: true });
  try {
    const runs = [...Object.values(TFLM_RUNS).map(r => r.config), TFLM_FLOAT.config];
    for (const config of runs) {
      const model = tflmRunModel(config);
      const inputs = tflmRunInputs(config);
      const want = runSteps(model, inputs).map(([output]) => hex(output)).join('');
      const loaded = await engine.load(model);
      const all = new Uint8Array(inputs.reduce((n, v) => n + v.byteLength, 0));
      let at = 0;
      for (const v of inputs) { all.set(new Uint8Array(v.buffer), at); at += v.byteLength; }
      const run = await engine.run([all], inputs.length, loaded.outputs.map(o => o.byteLength));
      assert.equal(hex(run.outputs[0]), want, `${config.act} timeMajor ${config.timeMajor} in XS`);
    }
  } finally {
    await engine.close();
  }
});

// ---- resource variables ------------------------------------------------------------------------

/**
 * An accumulator: CALL_ONCE runs subgraph 1, which assigns `initial` to variable "acc"; every
 * invoke then reads acc, adds the input, assigns the sum back and outputs it.
 */
function accumulatorModel(initial, { type = 'float32', scale, zeroPoint } = {}) {
  const q = scale === undefined ? {} : { scale, zeroPoint };
  const shape = [initial.length];
  return writeModel({
    subgraphs: [
      {
        tensors: [
          { name: 'x', type, shape, ...q },
          { name: 'handle', type: 'resource', shape: [] },
          { name: 'value', type, shape, ...q },
          { name: 'sum', type, shape, ...q },
        ],
        inputs: [0], outputs: [3],
        operators: [
          { op: 'CALL_ONCE', inputs: [], outputs: [], options: { initSubgraphIndex: 1 } },
          { op: 'VAR_HANDLE', inputs: [], outputs: [1], options: { container: '', sharedName: 'acc' } },
          { op: 'READ_VARIABLE', inputs: [1], outputs: [2] },
          { op: 'ADD', inputs: [2, 0], outputs: [3] },
          { op: 'ASSIGN_VARIABLE', inputs: [1, 3], outputs: [] },
        ],
      },
      {
        name: 'init',
        tensors: [
          { name: 'handle', type: 'resource', shape: [] },
          { name: 'initial', type, shape, data: initial, ...q },
        ],
        inputs: [], outputs: [],
        operators: [
          { op: 'VAR_HANDLE', inputs: [], outputs: [0], options: { container: '', sharedName: 'acc' } },
          { op: 'ASSIGN_VARIABLE', inputs: [0, 1], outputs: [] },
        ],
      },
    ],
  });
}

test('resource variables: CALL_ONCE initializes, READ/ASSIGN_VARIABLE keep a running sum', () => {
  const initial = Float32Array.from([10, -2.5, 0.125]);
  const it = new Interpreter(accumulatorModel(initial), { resolver: allOps() }).allocateTensors();
  const inputs = [[1, 2, 3], [0.5, 0.25, -4], [-11, 0, 1]];
  let expected = Array.from(initial);
  for (const x of inputs) {
    it.setInput(0, Float32Array.from(x));
    it.invoke();
    expected = expected.map((v, i) => f32(v + x[i]));
    assert.deepEqual(Array.from(it.output(0).data), expected);
  }
  // Reset: the variable returns to its fill value and CALL_ONCE runs the initializer again.
  it.resetVariables();
  it.setInput(0, Float32Array.from([1, 1, 1]));
  it.invoke();
  assert.deepEqual(Array.from(it.output(0).data), Array.from(initial, v => f32(v + 1)));
});

test('resource variables: int8 variable, two handles to one variable, buffer in the arena', () => {
  const initial = Int8Array.from([-100, 0, 50, 120]);
  const model = accumulatorModel(initial, { type: 'int8', scale: 0.5, zeroPoint: -3 });
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.setInput(0, Int8Array.from([-3, -3, -3, -3])); // real 0
  it.invoke();
  assert.deepEqual(Array.from(it.output(0).data), Array.from(initial));
  it.setInput(0, Int8Array.from([1, 7, -3, 100])); // real 2, 5, 0, 51.5
  it.invoke();
  // (q1 - zp) + (q2 - zp) + zp, saturated to int8
  assert.deepEqual(Array.from(it.output(0).data), [-96, 10, 50, 127]);
  assert.ok(it.arenaBytes >= 4, 'the variable buffer is counted in the arena');
});

test('resource variables: a variable read before any assignment holds its zero point', () => {
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { type: 'resource', shape: [] },
        { type: 'int8', shape: [3], scale: 0.1, zeroPoint: 9 },
      ],
      inputs: [], outputs: [1],
      operators: [
        { op: 'VAR_HANDLE', inputs: [], outputs: [0], options: { container: 'c', sharedName: 'v' } },
        { op: 'READ_VARIABLE', inputs: [0], outputs: [1] },
      ],
    }],
  });
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.invoke();
  assert.deepEqual(Array.from(it.output(0).data), [9, 9, 9]);
});

test('resource variables: mismatched sizes and bad CALL_ONCE indices are refused in prepare', () => {
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { type: 'resource', shape: [] },
        { type: 'float32', shape: [2], data: Float32Array.from([1, 2]) },
        { type: 'float32', shape: [3] },
      ],
      inputs: [], outputs: [2],
      operators: [
        { op: 'VAR_HANDLE', inputs: [], outputs: [0], options: { sharedName: 'v' } },
        { op: 'ASSIGN_VARIABLE', inputs: [0, 1], outputs: [] },
        { op: 'READ_VARIABLE', inputs: [0], outputs: [2] },
      ],
    }],
  });
  assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /READ_VARIABLE/.test(e.message) && /holds 8/.test(e.message));
  const callsMain = writeModel({
    subgraphs: [{ tensors: [{ type: 'float32', shape: [1] }], inputs: [0], outputs: [0], operators: [{ op: 'CALL_ONCE', inputs: [], outputs: [], options: { initSubgraphIndex: 0 } }] }],
  });
  assert.throws(() => new Interpreter(callsMain, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /CALL_ONCE/.test(e.message));
});

test('resource variables run identically in XS', async () => {
  const engine = await XsEngine.start({ harden: true });
  try {
    const model = accumulatorModel(Float32Array.from([1, 2, 3]));
    const loaded = await engine.load(model);
    const inputs = Float32Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const run = await engine.run([new Uint8Array(inputs.buffer)], 3, loaded.outputs.map(o => o.byteLength));
    assert.deepEqual(Array.from(new Float32Array(run.outputs[0].slice().buffer)), [2, 3, 4, 4, 5, 6, 7, 8, 9]);
  } finally {
    await engine.close();
  }
});
