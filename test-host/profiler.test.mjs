// The interpreter's Profiler (TFLM's MicroProfiler): a tick before and after every operator of the
// main subgraph, figures per operator in the arena, nothing allocated per invoke; the same on
// Node and inside XS, and the one code path of `tflite-xs profile`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveCases, loadCases } from './lib/cases.mjs';
import { slotsPerCall } from './lib/xs-api-bundle.mjs';
import * as lib from './lib/tflite.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

const { Interpreter, Profiler, UsageError, allOps } = lib;

/** A model of this file's own: three float ops in a chain, so the test runs without ../shared. */
function chainModel() {
  return writeModel({
    subgraphs: [{
      tensors: [
        { type: 'float32', shape: [1, 4] }, { type: 'float32', shape: [1, 4] },
        { type: 'float32', shape: [1, 4] }, { type: 'float32', shape: [1, 4] },
      ],
      inputs: [0], outputs: [3],
      operators: [
        { op: 'RELU', inputs: [0], outputs: [1] },
        { op: 'TANH', inputs: [1], outputs: [2] },
        { op: 'SOFTMAX', inputs: [2], outputs: [3], options: { beta: 1 } },
      ],
    }],
  });
}

/**
 * Profiles `payload` (the model, then its inputs' bytes) with a fake clock whose k-th read is k²,
 * so that operator i of invoke r (n operators) reads (2(rn+i)+1)² then (2(rn+i)+2)²: 4(rn+i)+3
 * ticks, a figure only the right reads in the right order give. Runs on Node and, from its
 * source text, inside XS: only its arguments and the language.
 */
function fakeClockProbe(lib, payload, spec) {
  let k = 0;
  const profiler = new lib.Profiler(() => { k++; return k * k; });
  const model = payload.subarray(0, spec.modelLength);
  const it = new lib.Interpreter(model, { resolver: lib.allOps(), profiler });
  it.allocateTensors();
  const plain = new lib.Interpreter(model, { resolver: lib.allOps() });
  plain.allocateTensors();
  // Inputs again before every invoke: the planner may reuse an input's bytes once it is read.
  const setInputs = interpreter => {
    let at = spec.modelLength;
    for (let i = 0; i < spec.inputLengths.length; i++) {
      interpreter.setInput(i, payload.subarray(at, at + spec.inputLengths[i]));
      at += spec.inputLengths[i];
    }
  };
  const runs = [];
  for (let r = 0; r < spec.invokes; r++) {
    setInputs(it);
    const before = k;
    it.invoke();
    const ticks = [];
    for (let i = 0; i < profiler.operatorCount; i++) ticks.push(profiler.ticks(i));
    runs.push({ reads: k - before, ticks, lastInvokeTicks: profiler.lastInvokeTicks });
  }
  setInputs(plain);
  plain.invoke();
  let sameOutputs = true;
  for (let o = 0; o < it.outputCount; o++) {
    const a = it.output(o).bytes, b = plain.output(o).bytes;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) sameOutputs = false;
  }
  const names = [], totals = [];
  for (let i = 0; i < profiler.operatorCount; i++) {
    names.push(profiler.operatorName(i));
    totals.push(profiler.totalTicks(i));
  }
  const lines = [];
  profiler.log(line => lines.push(line));
  const result = {
    names, runs, totals, lines, sameOutputs, invokeCount: profiler.invokeCount, operatorCount: it.operatorCount,
    arenaBytes: it.arenaBytes, plainArenaBytes: plain.arenaBytes,
  };
  profiler.clear();
  result.cleared = profiler.invokeCount === 0 && profiler.ticks(0) === 0 && profiler.totalTicks(0) === 0;
  // For the slot count: one profiled invoke as a global step.
  globalThis.profiledInvoke = () => it.invoke();
  return result;
}

function payloadOf(model, inputs = []) {
  const payload = new Uint8Array(model.byteLength + inputs.reduce((n, b) => n + b.byteLength, 0));
  payload.set(model);
  let at = model.byteLength;
  for (const b of inputs) { payload.set(b, at); at += b.byteLength; }
  return { payload, spec: { modelLength: model.byteLength, inputLengths: inputs.map(b => b.byteLength), invokes: 3 } };
}

function checkFakeClock(r, opNames, what) {
  const n = opNames.length;
  assert.equal(r.operatorCount, n, what);
  assert.deepEqual(r.names, opNames, `${what}: every operator, in the model's order`);
  assert.equal(r.invokeCount, 3, what);
  for (let run = 0; run < r.runs.length; run++) {
    const { reads, ticks, lastInvokeTicks } = r.runs[run];
    assert.equal(reads, 2 * n, `${what}: two reads per operator, no more`);
    assert.deepEqual(ticks, opNames.map((_, i) => 4 * (run * n + i) + 3), `${what}: invoke ${run}`);
    assert.equal(lastInvokeTicks, ticks.reduce((a, b) => a + b, 0));
    for (const t of ticks) assert.ok(t >= 0);
  }
  assert.deepEqual(r.totals, opNames.map((_, i) => [0, 1, 2].reduce((s, run) => s + 4 * (run * n + i) + 3, 0)), `${what}: sums since allocateTensors`);
  assert.deepEqual(r.lines, opNames.map((name, i) => `${i} ${name} took ${4 * (2 * n + i) + 3} ticks`));
  assert.equal(r.sameOutputs, true, `${what}: profiling changes no output`);
  assert.equal(r.arenaBytes, r.plainArenaBytes + 16 * n, `${what}: 16 arena bytes per operator (the arena aligns to 16), only with a profiler`);
  assert.equal(r.cleared, true, `${what}: clear() forgets every figure`);
}

function opNamesOf(model) {
  return lib.readModel(model).subgraphs[0].operators.map(o => o.opName);
}

const goldens = haveCases ? [...loadCases('micro_speech_random_0'), ...loadCases('person_detect_person')] : [];

test('profile of a model: every operator, in order, with the ticks a fake deterministic clock gives (Node)', () => {
  const chain = chainModel();
  const { payload, spec } = payloadOf(chain);
  checkFakeClock(fakeClockProbe(lib, payload, spec), ['RELU', 'TANH', 'SOFTMAX'], 'chain');
  for (const c of goldens) {
    const { payload, spec } = payloadOf(c.model, c.inputs);
    checkFakeClock(fakeClockProbe(lib, payload, spec), opNamesOf(c.model), c.name);
  }
});

test('profiler misuse is a UsageError', () => {
  assert.throws(() => new Profiler(), UsageError);
  assert.throws(() => new Profiler(42), /needs a tick source/);
  assert.throws(() => new Interpreter(chainModel(), { resolver: allOps(), profiler: { tick: () => 0 } }), /must be a Profiler/);
  const profiler = new Profiler(() => 0);
  assert.throws(() => profiler.ticks(0), /not attached/);
  assert.throws(() => profiler.log(() => {}), /not attached/);
  new Interpreter(chainModel(), { resolver: allOps(), profiler }).allocateTensors();
  assert.throws(() => profiler.ticks(3), /has 3 operators/);
  assert.throws(() => profiler.ticks(-1), UsageError);
  assert.throws(() => new Interpreter(chainModel(), { resolver: allOps(), profiler }), /already attached/, 'one profiler per interpreter');
  // A kernel that throws mid-invoke is named as without a profiler, and the profiler stays usable.
  const bad = new Profiler(() => { throw new Error('clock broke'); });
  const it = new Interpreter(chainModel(), { resolver: allOps(), profiler: bad }).allocateTensors();
  assert.throws(() => it.invoke(), /RELU.*clock broke|clock broke/);
});

test('inside XS: the same figures from the fake clock, and 0 heap slots per profiled invoke', { timeout: 120000 }, async t => {
  let engine;
  try {
    engine = await XsEngine.start();
  } catch (error) {
    t.skip(`no XS engine: ${error.message.split('\n')[0]}`);
    return;
  }
  try {
    await engine.installProbe(String(fakeClockProbe));
    const cases = [{ name: 'chain', model: chainModel(), inputs: [], ops: ['RELU', 'TANH', 'SOFTMAX'] }];
    for (const c of goldens.slice(0, 1)) cases.push({ ...c, ops: opNamesOf(c.model) });
    for (const c of cases) {
      const { payload, spec } = payloadOf(c.model, c.inputs);
      const { result } = await engine.probe(payload, spec);
      checkFakeClock(result, c.ops, `xs ${c.name}`);
      assert.deepEqual(result, fakeClockProbe(lib, payload, spec), `xs ${c.name}: as on Node`);
    }
    assert.equal(await slotsPerCall(engine, 'profiledInvoke'), 0, 'a profiled invoke allocates nothing in XS');
    // The measure can fail: a step that makes one array is seen.
    await engine.evaluate('globalThis.allocatingStep = () => { globalThis.kept = [globalThis.kept]; };');
    assert.ok(await slotsPerCall(engine, 'allocatingStep') >= 1, 'the slot count sees an allocation');
  } finally {
    await engine.close();
  }
});
