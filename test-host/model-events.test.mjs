// The Model component as a Johnny-Five sensor: "data" after every predict with the outputs,
// "change" when its value moves (a classifier's top class; a one-value model's output past its
// threshold), predict(x, into) filling the caller's array, and no allocation per predict: in
// Node and inside XS (0 heap slots per predict, with listeners and a profiler attached).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from './lib/tflite.mjs';
import * as components from './lib/components.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import { buildApiBundle, slotsPerCall } from './lib/xs-api-bundle.mjs';

const lib = { ...core, ...components };
const { Model, Profiler, UsageError, allOps } = lib;

/** A 3-feature, 4-class classifier: scores x0, x1, x2 and -(x0+x1+x2), then SOFTMAX; float32 or int8. */
function classifier(int8) {
  const weights = [1, 0, 0, 0, 1, 0, 0, 0, 1, -1, -1, -1];
  const tensors = int8
    ? [
      { type: 'int8', shape: [1, 3], scale: 1 / 16, zeroPoint: 0 },
      { type: 'int8', shape: [4, 3], scale: 1 / 64, zeroPoint: 0, data: weights.map(w => w * 64) },
      { type: 'int32', shape: [4], scale: 1 / 1024, zeroPoint: 0, data: [0, 0, 0, 0] },
      { type: 'int8', shape: [1, 4], scale: 1 / 8, zeroPoint: 0 },
      { type: 'int8', shape: [1, 4], scale: 1 / 256, zeroPoint: -128 },
    ]
    : [
      { type: 'float32', shape: [1, 3] },
      { type: 'float32', shape: [4, 3], data: weights },
      { type: 'float32', shape: [4], data: [0, 0, 0, 0] },
      { type: 'float32', shape: [1, 4] },
      { type: 'float32', shape: [1, 4] },
    ];
  return writeModel({
    subgraphs: [{
      tensors, inputs: [0], outputs: [4],
      operators: [
        { op: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3] },
        { op: 'SOFTMAX', inputs: [3], outputs: [4], options: { beta: 1 } },
      ],
    }],
  });
}

/** y = 2x - 1, float32: a one-value model. */
function line() {
  return writeModel({
    subgraphs: [{
      tensors: [
        { type: 'float32', shape: [1, 1] }, { type: 'float32', shape: [1, 1], data: [2] },
        { type: 'float32', shape: [1], data: [-1] }, { type: 'float32', shape: [1, 1] },
      ],
      inputs: [0], outputs: [3],
      operators: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3] }],
    }],
  });
}

const ROWS = [[1, 0, 0], [1, 0, 0], [0, 2, 0], [-1, -1, -1], [0, 0, 0.5], [0, 0, 0.5]];
const TOPS = [0, 0, 1, 3, 2, 2];

/**
 * Builds a Model from `payload` with listeners and a profiler, predicts ROWS, and installs the
 * steps the slot count calls. Runs on Node and, from its source text, inside XS: only its
 * arguments and the language.
 */
function eventsProbe(lib, payload, spec) {
  const model = new lib.Model({ model: payload, resolver: lib.allOps(), profiler: new lib.Profiler(() => performance.now()) });
  const changes = [];
  let data = 0, wrongThis = 0, sameArray = 0;
  model.on('data', function (values) {
    data++;
    if (this !== model) wrongThis++;
    if (values === model.values) sameArray++;
  });
  model.on('change', function (top, values) {
    if (this !== model) wrongThis++;
    changes.push([top, values.length]);
  });
  const outputs = [];
  let first = null, reused = true;
  for (let r = 0; r < spec.rows.length; r++) {
    const values = model.predict(spec.rows[r]);
    if (first === null) first = values;
    else if (values !== first) reused = false;
    const copy = [];
    for (let i = 0; i < values.length; i++) copy.push(values[i]);
    outputs.push(copy);
  }
  const row = spec.rows[0];
  const into = new Float32Array(model.outputSize);
  globalThis.predictOwn = () => model.predict(row);
  globalThis.predictInto = () => model.predict(row, into);
  globalThis.dequantizeInto = () => model.interpreter.output(0).dequantize(into);
  return { changes, data, wrongThis, sameArray, outputs, reused, value: model.value };
}

function checkEvents(r, what) {
  assert.equal(r.data, ROWS.length, `${what}: "data" after every predict`);
  assert.equal(r.sameArray, ROWS.length, `${what}: "data" carries the values predict filled`);
  assert.equal(r.wrongThis, 0, `${what}: listeners are called on the model`);
  assert.deepEqual(r.changes, [[0, 4], [1, 4], [3, 4], [2, 4]], `${what}: "change" (top class, values) only when the top class moves`);
  assert.equal(r.reused, true, `${what}: predict(x) fills one array, the model's`);
  assert.equal(r.value, 2);
  r.outputs.forEach((values, i) => {
    let top = 0;
    for (let c = 1; c < 4; c++) if (values[c] > values[top]) top = c;
    assert.equal(top, TOPS[i], `${what}: row ${i}`);
  });
}

test('Model emits "data" after each predict and "change" when the top class changes (float32 and int8)', () => {
  for (const int8 of [false, true]) {
    const r = eventsProbe(lib, classifier(int8), { rows: ROWS });
    checkEvents(r, int8 ? 'int8' : 'float32');
  }
});

test('predict(x, into) fills the caller\'s Float32Array, Float64Array or array with what dequantize() gives', () => {
  const model = new Model({ model: classifier(true), resolver: allOps() });
  const seen = [];
  model.on('data', values => seen.push(values));
  for (const into of [new Float32Array(4), new Float64Array(5), [0, 0, 0, 0]]) {
    assert.equal(model.predict([0.5, -0.25, 1], into), into);
    const want = model.interpreter.output(0).dequantize();
    for (let i = 0; i < 4; i++) assert.equal(into[i], into instanceof Float32Array ? want[i] : (model.interpreter.output(0).data[i] + 128) / 256);
    assert.equal(seen.at(-1), into, '"data" carries the caller\'s array');
    assert.equal(model.values, into);
  }
  const own = model.predict([0.5, -0.25, 1]);
  assert.ok(Array.isArray(own) && own.length === 4);
  assert.notEqual(own, seen[0]);
  assert.throws(() => model.predict([1, 2, 3], new Float32Array(3)), /has 4 outputs; into holds 3/);
  assert.throws(() => model.predict([1, 2, 3], {}), UsageError);
  assert.throws(() => model.predict([1, 2]), /takes 3 values, got 2/);
});

test('a one-value model: predict(number) is a number; "change" fires past the threshold, as a Johnny-Five sensor\'s', () => {
  const model = new Model({ model: line(), resolver: allOps(), threshold: 0.5 });
  assert.ok(Number.isNaN(model.value), 'no value before the first predict');
  const changes = [];
  let data = 0;
  model.on('change', value => changes.push(value));
  model.on('data', values => { data++; assert.equal(values.length, 1); });
  for (const x of [0, 0.1, 0.3, 0.3, 0.2, 0.35]) {
    const y = model.predict(x);
    assert.equal(typeof y, 'number');
    assert.equal(y, model.values[0]);
    assert.ok(Math.abs(y - (2 * x - 1)) < 1e-6, `${x} -> ${y}`);
  }
  assert.equal(data, 6);
  // -1 first; -0.8 is within 0.5 of -1; -0.4 is past it; then within 0.5 of -0.4 until the end.
  assert.deepEqual(changes.map(v => Math.round(v * 1e6) / 1e6), [-1, -0.4]);
  assert.equal(Math.round(model.value * 1e6) / 1e6, -0.3);
  assert.throws(() => new Model({ model: line(), resolver: allOps(), threshold: -1 }), /threshold must be a number >= 0/);
  const any = new Model({ model: line(), resolver: allOps() });
  let count = 0;
  any.on('change', () => count++);
  for (const x of [0, 0, 0.001, 0.001]) any.predict(x);
  assert.equal(count, 2, 'threshold 0: any change, and only a change');
});

test('a model whose CIRCULAR_BUFFER ends the invoke early: no output read, no event, completed is false', () => {
  // TFLM's default period: the buffer lets every other invoke through (kTfLiteAbort otherwise).
  const q = { scale: 1, zeroPoint: 0 };
  const bytes = writeModel({ subgraphs: [{
    tensors: [{ type: 'int8', shape: [1, 1, 1, 1], ...q }, { type: 'int8', shape: [1, 2, 1, 1], ...q, isVariable: true }],
    inputs: [0], outputs: [1],
    operators: [{ op: { custom: 'CIRCULAR_BUFFER' }, inputs: [0], outputs: [1] }],
  }] });
  const model = new Model({ model: bytes, resolver: allOps() });
  let data = 0;
  model.on('data', () => data++);
  const into = [7, 7];
  assert.equal(model.predict([1], into), into);
  assert.equal(model.completed, false);
  assert.deepEqual(into, [7, 7], 'an aborted invoke reads no output');
  assert.equal(data, 0);
  assert.deepEqual(Array.from(model.predict([2], into)), [1, 2]);
  assert.equal(model.completed, true);
  assert.equal(data, 1);
  assert.ok(Number.isNaN(model.predict(3)), 'a number predict on an aborted invoke is NaN');
  assert.equal(data, 1);
});

test('Emitter: once, off during an emit, listener counts', () => {
  const model = new Model({ model: line(), resolver: allOps() });
  const calls = [];
  const a = () => { calls.push('a'); model.off('data', b); };
  const b = () => calls.push('b');
  model.on('data', a).on('data', b).once('data', () => calls.push('once'));
  assert.equal(model.listenerCount('data'), 3);
  model.predict(1);
  assert.deepEqual(calls, ['a', 'b', 'once'], 'an emit calls the listeners it started with');
  model.predict(1);
  assert.deepEqual(calls, ['a', 'b', 'once', 'a'], 'off and once took effect for the next emit');
  assert.equal(model.listenerCount('data'), 1);
  assert.throws(() => model.on('data', 42), TypeError);
});

test('inside XS: the same events, and 0 heap slots per predict(x), predict(x, into) and dequantize(into)', { timeout: 180000 }, async t => {
  let engine;
  try {
    engine = await XsEngine.start({ bundlePath: await buildApiBundle() });
  } catch (error) {
    t.skip(`no XS engine: ${error.message.split('\n')[0]}`);
    return;
  }
  try {
    await engine.installProbe(String(eventsProbe));
    for (const int8 of [false, true]) {
      const what = `xs ${int8 ? 'int8' : 'float32'}`;
      const model = classifier(int8);
      const { result } = await engine.probe(model, { rows: ROWS });
      checkEvents(result, what);
      assert.deepEqual(result.outputs, eventsProbe(lib, model, { rows: ROWS }).outputs, `${what}: as on Node`);
      for (const step of ['predictOwn', 'predictInto', 'dequantizeInto']) {
        assert.equal(await slotsPerCall(engine, step), 0, `${what}: ${step} allocates nothing in XS`);
      }
    }
    await engine.evaluate('globalThis.allocatingStep = () => { globalThis.kept = [globalThis.kept]; };');
    assert.ok(await slotsPerCall(engine, 'allocatingStep') >= 1, 'the slot count sees an allocation');
  } finally {
    await engine.close();
  }
});

test('Board supplies the profiler\'s clock: performance.now() on the host, the one given (Time.ticks on Moddable), or none', () => {
  const { Board } = lib;
  const host = new Board({ scheduler: null });
  assert.equal(typeof host.ticks, 'function');
  const a = host.ticks(), b = host.ticks();
  assert.ok(typeof a === 'number' && b >= a);
  let t = 0;
  const given = () => (t += 5);
  const board = new Board({ scheduler: null, ticks: given });
  assert.equal(board.ticks, given);
  assert.equal(new Board({ scheduler: null, ticks: null }).ticks, null);
  assert.throws(() => new Board({ scheduler: null, ticks: 5 }), /ticks must be a function/);
  const profiler = new Profiler(board.ticks);
  const model = new Model({ model: line(), resolver: allOps(), profiler });
  model.predict(0.5);
  model.predict(0.5);
  assert.deepEqual([profiler.operatorName(0), profiler.ticks(0), profiler.totalTicks(0), profiler.invokeCount], ['FULLY_CONNECTED', 5, 10, 2]);
  assert.throws(() => new Profiler(new Board({ scheduler: null, ticks: null }).ticks), /needs a tick source/);
});
