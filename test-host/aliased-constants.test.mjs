// Issue 10, breach 2: constants in TFLite's offset/size form, two of them at the same misaligned
// offset with different sizes. Each gets its own aligned copy in the arena (keyed by offset and
// size), so neither overruns the other or the tensors after it: the answers are exact on Node and XS.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

const LONG = 64, SHORT = 4;

function model() {
  const tail = new Uint8Array(1 + 4 * LONG + 15);
  const view = new DataView(tail.buffer);
  for (let i = 0; i < LONG; i++) view.setInt32(1 + 4 * i, 1000 * (i + 1) - 7, true); // misaligned by one byte
  const bytes = writeModel({
    tail,
    subgraphs: [{
      tensors: [
        { name: 'x_long', type: 'int32', shape: [LONG] },
        { name: 'x_short', type: 'int32', shape: [SHORT] },
        { name: 'c_long', type: 'int32', shape: [LONG], location: { offset: 1, size: 4 * LONG, inTail: true } },
        { name: 'c_short', type: 'int32', shape: [SHORT], location: { offset: 1, size: 4 * SHORT, inTail: true } },
        { name: 'y_long', type: 'int32', shape: [LONG] },
        { name: 'y_short', type: 'int32', shape: [SHORT] },
      ],
      inputs: [0, 1], outputs: [4, 5],
      operators: [
        { op: 'ADD', inputs: [1, 3], outputs: [5] },
        { op: 'ADD', inputs: [0, 2], outputs: [4] },
      ],
    }],
  });
  return { bytes, constant: i => 1000 * (i + 1) - 7 };
}

function expected(constant, xLong, xShort) {
  return [Int32Array.from(xLong, (x, i) => x + constant(i)), Int32Array.from(xShort, (x, i) => x + constant(i))];
}

test('two misaligned offset/size constants at one offset, different sizes: exact on Node', () => {
  const { bytes, constant } = model();
  const before = bytes.slice();
  const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  const xLong = Int32Array.from({ length: LONG }, (_, i) => i * 3 - 50), xShort = Int32Array.from([5, -6, 7, -8]);
  interpreter.setInput(0, xLong);
  interpreter.setInput(1, xShort);
  interpreter.invoke();
  const [yLong, yShort] = expected(constant, xLong, xShort);
  assert.deepEqual(interpreter.output(0).int32(), yLong);
  assert.deepEqual(interpreter.output(1).int32(), yShort);
  assert.deepEqual(bytes, before, 'the model is not written');
});

test('the same on XS', async () => {
  const { bytes, constant } = model();
  const engine = await XsEngine.start();
  try {
    await engine.load(bytes);
    const xLong = Int32Array.from({ length: LONG }, (_, i) => 17 - i), xShort = Int32Array.from([1, 2, 3, 4]);
    const r = await engine.run([new Uint8Array(xLong.buffer), new Uint8Array(xShort.buffer)], 1, [4 * LONG, 4 * SHORT]);
    const [yLong, yShort] = expected(constant, xLong, xShort);
    assert.deepEqual(new Int32Array(r.outputs[0].slice().buffer), yLong);
    assert.deepEqual(new Int32Array(r.outputs[1].slice().buffer), yShort);
  } finally {
    await engine.close();
  }
});
