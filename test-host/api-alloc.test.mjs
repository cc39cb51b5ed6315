// An inference allocates nothing on the host either: predict(x), predict(x, into),
// dequantize(into) and a profiled invoke create no typed array or ArrayBuffer (constructor calls
// counted in Node; test-host/model-events.test.mjs and profiler.test.mjs count every XS heap slot).
// A file of its own: the counting wraps the global constructors, which the XS engine's lockdown refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countAllocation, countAllocations } from './lib/alloc-count.mjs';
import { Interpreter, Profiler, allOps } from './lib/tflite.mjs';
import { Model } from './lib/components.mjs';
import { writeModel } from './lib/host.mjs';

/** int8 [1, 3] -> FULLY_CONNECTED -> int8 [1, 2]. */
function int8Model() {
  return writeModel({
    subgraphs: [{
      tensors: [
        { type: 'int8', shape: [1, 3], scale: 1 / 16, zeroPoint: 0 },
        { type: 'int8', shape: [2, 3], scale: 1 / 64, zeroPoint: 0, data: [64, 0, -64, 0, 64, 32] },
        { type: 'int32', shape: [2], scale: 1 / 1024, zeroPoint: 0, data: [0, 512] },
        { type: 'int8', shape: [1, 2], scale: 1 / 8, zeroPoint: 3 },
      ],
      inputs: [0], outputs: [3],
      operators: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3] }],
    }],
  });
}

test('predict(x), predict(x, into), dequantize(into) and a profiled invoke create no typed array', () => {
  const model = new Model({ model: int8Model(), resolver: allOps(), profiler: new Profiler(() => performance.now()) });
  let events = 0;
  model.on('data', () => events++).on('change', () => events++);
  const x = [0.5, -1, 2], into = new Float32Array(2), plain = [0, 0];
  model.predict(x);
  const output = model.interpreter.output(0);
  const created = countAllocations(() => {
    for (let i = 0; i < 50; i++) {
      model.predict(x);
      model.predict(x, into);
      model.predict(x, plain);
      output.dequantize(into);
      model.interpreter.invoke();
    }
  });
  assert.deepEqual(created, []);
  assert.ok(events >= 150, 'listeners ran');
  assert.deepEqual(Array.from(into), Array.from(output.dequantize()));
  // The count sees what it should: dequantize() without `into` makes one Float32Array a call.
  assert.equal(countAllocations(() => output.dequantize()).length, 1);
});

test('a plain interpreter\'s invoke creates none either, with or without a profiler', () => {
  for (const profiler of [undefined, new Profiler(() => performance.now())]) {
    const it = new Interpreter(int8Model(), { resolver: allOps(), profiler }).allocateTensors();
    it.input(0).quantize([1, 2, 3]);
    it.invoke();
    assert.deepEqual(countAllocations(() => { for (let i = 0; i < 100; i++) it.invoke(); }), []);
  }
});

test('allocateTensors() with a profiler creates nothing outside the arena: its figures are arena views', () => {
  const profiler = new Profiler(() => 0);
  const it = new Interpreter(int8Model(), { resolver: allOps(), profiler });
  assert.deepEqual(countAllocation(it), []);
  const plain = new Interpreter(int8Model(), { resolver: allOps() }).allocateTensors();
  assert.equal(it.arenaBytes, plain.arenaBytes + 16, 'one operator: 16 bytes');
  it.invoke();
  assert.equal(profiler.invokeCount, 1);
});
