// Subgraph nesting (issue 10): a chain of CALL_ONCE subgraphs deeper than the bound is refused
// by name before any recursion can exhaust XS's small native stack. (Kept apart from the
// memory-model tests: those wrap the typed-array constructors, which XS's lockdown refuses.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpResolver, ModelError, MAX_SUBGRAPH_DEPTH } from './lib/tflite.mjs';
import { CALL_ONCE } from './lib/kernels.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

/** Subgraph 0 calls 1 calls 2 ... calls `depth` through CALL_ONCE (no cycle). */
function callOnceChain(depth) {
  const subgraphs = [];
  for (let i = 0; i <= depth; i++) {
    const calls = i < depth ? [{ op: 'CALL_ONCE', inputs: [], outputs: [], options: { initSubgraphIndex: i + 1 } }] : [];
    subgraphs.push({ tensors: [{ name: `t${i}`, type: 'int8', shape: [1] }], inputs: [0], outputs: [0], operators: calls });
  }
  return writeModel({ subgraphs });
}

test(`subgraph nesting past ${MAX_SUBGRAPH_DEPTH} levels is refused by name on Node and XS; within it runs`, async () => {
  const ok = callOnceChain(MAX_SUBGRAPH_DEPTH - 1);
  new Interpreter(ok, { resolver: new OpResolver([CALL_ONCE]) }).allocateTensors().invoke();
  const deep = callOnceChain(100);
  assert.throws(() => new Interpreter(deep, { resolver: new OpResolver([CALL_ONCE]) }).allocateTensors(),
    e => e instanceof ModelError && new RegExp(`nest deeper than ${MAX_SUBGRAPH_DEPTH}`).test(e.message));
  const engine = await XsEngine.start();
  try {
    await assert.rejects(engine.load(deep), e => /nest deeper than/.test(e.message));
    const loaded = await engine.load(ok);
    assert.equal(loaded.operators.length, 1);
    await engine.invoke(1);
  } finally {
    await engine.close();
  }
});

// Issue 10, breaches 6 and 9 inside XS: a caller's arenaSize past the bound, and a model needing
// more than the device's maxArenaBytes, are named before anything is allocated (XS would
// otherwise end the whole machine with "not enough memory").
test('arena bounds inside XS: arenaSize 1 GB and a plan over maxArenaBytes are named errors', async () => {
  const model = callOnceChain(1);
  const engine = await XsEngine.start();
  try {
    await assert.rejects(engine.load(model, { arenaSize: 1073741824 }), e => /over the interpreter's limit/.test(e.message));
    await assert.rejects(engine.load(model, { maxArenaBytes: 16 }), e => /arena too small: the model needs \d+ bytes, the arena has 16/.test(e.message));
    const loaded = await engine.load(model);
    assert.ok(loaded.arenaBytes > 16);
  } finally {
    await engine.close();
  }
});
