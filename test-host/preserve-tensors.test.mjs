// preserveAllTensors (TFLM's preserve_all_tensors): every planned tensor lives to the end of the
// invoke, so each intermediate can be read afterwards. The default plan must not move; the
// preserved values must be what the operators wrote; bad use names the error; XS behaves alike.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, UsageError, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { XsEngine } from './lib/host.mjs';
import { runOursByOperator } from './lib/testing.mjs';
import { loadCases, haveCases } from './lib/cases.mjs';

const skip = !haveCases && 'no shared fixtures (../shared/fixtures/cases)';
const cases = loadCases();

/** One invoke's worth of each input (multi-step cases hold several). */
const firstStep = c => c.inputs.map(b => b.subarray(0, b.byteLength / c.steps));

/** The value of every operator output of the main subgraph, copied right after its operator ran. */
function captureEachOperator(model, inputs) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  inputs.forEach((b, i) => it.setInput(i, b));
  const values = new Map();
  const ops = readModel(model).subgraphs[0].operators;
  ops.forEach((op, i) => {
    it.invokeOperator(i);
    for (const t of op.outputs) if (t >= 0) values.set(t, it.tensor(t).bytes.slice());
  });
  return values;
}

/** Last operator each planned tensor of the main subgraph is used by (graph outputs: the last operator). */
function lastUses(model) {
  const g = readModel(model).subgraphs[0];
  const last = new Map();
  for (const t of g.inputs) last.set(t, 0);
  g.operators.forEach((op, at) => { for (const t of [...op.inputs, ...op.outputs, ...op.intermediates]) if (t >= 0) last.set(t, at); });
  for (const t of g.outputs) last.set(t, Math.max(g.operators.length - 1, 0));
  return last;
}

/** Pairs of head buffers alive at the same operator whose bytes overlap. */
function overlaps(graph) {
  const bad = [];
  const b = graph.buffers.filter(x => x.bytes > 0);
  for (let i = 0; i < b.length; i++) {
    for (let j = i + 1; j < b.length; j++) {
      const live = b[i].first <= b[j].last && b[j].first <= b[i].last;
      const share = b[i].offset < b[j].offset + b[j].bytes && b[j].offset < b[i].offset + b[i].bytes;
      if (live && share) bad.push([b[i], b[j]]);
    }
  }
  return bad;
}

test('every golden case: default lifetimes end at the last use, preserved ones at the last operator; no live buffers overlap; the arena only grows', { skip }, () => {
  const seen = new Set();
  for (const c of cases) {
    const key = c.model.byteLength + ':' + c.model[c.model.byteLength >> 1];
    if (seen.has(key)) continue;
    seen.add(key);
    const plain = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
    const kept = new Interpreter(c.model, { resolver: allOps(), preserveAllTensors: true }).allocateTensors();
    assert.equal(plain.preservesAllTensors, false);
    assert.equal(kept.preservesAllTensors, true);
    assert.ok(kept.arenaBytes >= plain.arenaBytes, `${c.name}: ${kept.arenaBytes} >= ${plain.arenaBytes}`);
    assert.ok(kept.plannedArenaBytes >= plain.plannedArenaBytes, c.name);
    assert.equal(kept.arenaBytes - kept.plannedArenaBytes, plain.arenaBytes - plain.plannedArenaBytes, `${c.name}: the tail does not change`);
    const a = plain.memoryLayout(), b = kept.memoryLayout();
    assert.equal(a.arenaBytes, plain.arenaBytes, c.name);
    assert.equal(b.arenaBytes, kept.arenaBytes, c.name);
    const uses = lastUses(c.model), end = Math.max(readModel(c.model).subgraphs[0].operators.length - 1, 0);
    for (const buf of a.graphs[0].buffers) if (buf.tensor >= 0) assert.equal(buf.last, uses.get(buf.tensor), `${c.name} tensor ${buf.tensor}`);
    for (const buf of b.graphs[0].buffers) if (buf.tensor >= 0) assert.equal(buf.last, end, `${c.name} tensor ${buf.tensor} kept`);
    for (const plan of [a, b]) for (const g of plan.graphs) assert.deepEqual(overlaps(g), [], c.name);
    // Kept: no two tensors share bytes at all, so the head holds at least all of them.
    const g = b.graphs[0], tensorBytes = g.buffers.filter(x => x.tensor >= 0).reduce((s, x) => s + Math.ceil(x.bytes / 16) * 16, 0);
    assert.ok(g.headBytes >= tensorBytes, `${c.name}: kept head ${g.headBytes} >= ${tensorBytes}`);
  }
  assert.ok(seen.size >= 10, `${seen.size} distinct models`);
});

test('after invoke every kept intermediate equals what its operator wrote (per-operator capture), and diff reads the same', { skip }, () => {
  for (const name of ['hello_world_int8_0', 'micro_speech_random_1', 'mlperf_ad_int8_0', 'mlperf_kws_int8_0', 'keyword_scrambled_pattern']) {
    const c = cases.find(x => x.name === name);
    const inputs = firstStep(c);
    const captured = captureEachOperator(c.model, inputs);
    const it = new Interpreter(c.model, { resolver: allOps(), preserveAllTensors: true }).allocateTensors();
    inputs.forEach((b, i) => it.setInput(i, b));
    it.invoke();
    assert.ok(captured.size >= 3, name);
    for (const [t, bytes] of captured) assert.deepEqual(it.tensor(t).bytes, bytes, `${name} tensor ${t}`);
    // Without the option an early intermediate is overwritten by later operators in at least one
    // of these models: the option is what makes the reads right.
    const perOp = runOursByOperator(readModel(c.model), inputs);
    readModel(c.model).subgraphs[0].operators.forEach((op, i) => op.outputs.forEach((t, k) => t >= 0 && assert.deepEqual(perOp[i][k], captured.get(t), `${name} diff op ${i}`)));
  }
  const reused = ['mlperf_ad_int8_0', 'mlperf_kws_int8_0'].some(name => {
    const c = cases.find(x => x.name === name), inputs = firstStep(c);
    const captured = captureEachOperator(c.model, inputs);
    const it = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
    inputs.forEach((b, i) => it.setInput(i, b));
    it.invoke();
    return [...captured].some(([t, bytes]) => !it.tensor(t).bytes.every((v, i) => v === bytes[i]));
  });
  assert.ok(reused, 'the default plan reuses some intermediate\'s bytes');
});

test('misuse names the error', { skip }, () => {
  const c = cases.find(x => x.name === 'hello_world_int8_0');
  const count = readModel(c.model).subgraphs[0].tensors.length;
  assert.throws(() => new Interpreter(c.model, { resolver: allOps(), preserveAllTensors: 'yes' }),
    e => e instanceof UsageError && e.message === 'options.preserveAllTensors must be true or false, got yes');
  const it = new Interpreter(c.model, { resolver: allOps(), preserveAllTensors: true });
  assert.throws(() => it.tensor(0), e => e instanceof UsageError && /^tensor\(\) before allocateTensors\(\)$/.test(e.message));
  it.allocateTensors();
  for (const bad of [-1, count, 1.5, NaN, '1']) {
    assert.throws(() => it.tensor(bad), e => e instanceof UsageError && e.message === `tensor ${bad} does not exist: the model has ${count} tensors`, String(bad));
  }
});

test('XS: preserveAllTensors plans the same arena and keeps the same values as on Node', { skip }, async () => {
  const engine = await XsEngine.start();
  try {
    for (const name of ['micro_speech_random_1', 'mlperf_ad_int8_0']) {
      const c = cases.find(x => x.name === name), inputs = firstStep(c);
      const node = new Interpreter(c.model, { resolver: allOps(), preserveAllTensors: true }).allocateTensors();
      inputs.forEach((b, i) => node.setInput(i, b));
      node.invoke();
      const loaded = await engine.load(c.model, { preserveAllTensors: true });
      assert.equal(loaded.arenaBytes, node.arenaBytes, name);
      await engine.setInputs(inputs);
      await engine.invoke(1);
      const captured = captureEachOperator(c.model, inputs);
      for (const t of captured.keys()) assert.deepEqual(await engine.tensor(t), node.tensor(t).bytes.slice(), `${name} tensor ${t}`);
      const plain = await engine.load(c.model);
      assert.ok(plain.arenaBytes <= loaded.arenaBytes, name);
    }
    await assert.rejects(engine.tensor(10 ** 6), e => e.name === 'UsageError' && /^tensor 1000000 does not exist: the model has \d+ tensors$/.test(e.message));
  } finally {
    await engine.close();
  }
});
