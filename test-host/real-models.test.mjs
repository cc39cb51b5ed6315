// Shapes found in real public models (TFLM's examples and vendors' exports) that the engine
// must accept as TFLM does. Each model here is a small stand-in built with the host writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpResolver, OpError, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel } from './lib/host.mjs';

// ---- a CUSTOM operator's scratch tensor (vela's ethos-u, xcore's XC_conv2d_v2) -------------------

/**
 * person_detect_vela.tflite's shape: one ethos-u operator whose inputs are the command stream
 * and weights (constants), a scratch tensor nothing writes, and the graph input.
 */
function scratchModel(scratchBytes = 64) {
  return writeModel({
    subgraphs: [{
      tensors: [
        { name: 'cmd', type: 'uint8', shape: [4], data: Uint8Array.of(1, 2, 3, 4) },
        { name: '_split_1_scratch', type: 'uint8', shape: [scratchBytes] },
        { name: 'input', type: 'int8', shape: [1, 4] },
        { name: 'output', type: 'int8', shape: [1, 4] },
      ],
      inputs: [2], outputs: [3],
      operators: [{ op: { custom: 'ethos-u' }, inputs: [0, 1, 2], outputs: [3] }],
    }],
  });
}

/** A stand-in for the NPU's kernel: fills its scratch from the input, then the output from the scratch. */
const FAKE_ETHOS_U = {
  code: 32, name: 'ethos-u', types: ['int8'],
  prepare(_ctx, node) { return { scratch: node.inputs[1].data, input: node.inputs[2].data, output: node.outputs[0].data }; },
  eval({ scratch, input, output }) {
    for (let i = 0; i < input.length; i++) scratch[i] = input[i] + 1;
    for (let i = 0; i < output.length; i++) output[i] = scratch[i] * 2;
  },
};

test('a CUSTOM operator may read a tensor nothing writes (its scratch), as TFLM plans it', () => {
  const model = scratchModel();
  assert.doesNotThrow(() => readModel(model));
  const interpreter = new Interpreter(model, { resolver: new OpResolver([FAKE_ETHOS_U]) }).allocateTensors();
  // The scratch gets arena bytes of its own (not the input's or the output's).
  const layout = interpreter.memoryLayout().graphs[0].buffers;
  const scratch = layout.find(b => b.tensor === 1);
  assert.ok(scratch && scratch.bytes === 64, 'the scratch tensor is planned in the arena');
  for (const other of layout.filter(b => b.tensor !== 1)) {
    assert.ok(other.offset + other.bytes <= scratch.offset || scratch.offset + scratch.bytes <= other.offset, `tensor ${other.tensor} overlaps the scratch`);
  }
  interpreter.setInput(0, Int8Array.of(1, 2, 3, -4));
  interpreter.invoke();
  assert.deepEqual(Array.from(interpreter.output(0).data), [4, 6, 8, -6]);
});

test('without its kernel, a model with a custom scratch fails on the missing kernel, not on the scratch', () => {
  assert.throws(() => new Interpreter(scratchModel(), { resolver: allOps() }).allocateTensors(),
    error => error instanceof OpError && /ethos-u \(operator 0\): no kernel for ethos-u in the op resolver/.test(error.message));
});

test('a builtin operator reading a non-empty tensor nothing writes is still refused', () => {
  const model = writeModel({
    subgraphs: [{
      tensors: [{ name: 'a', type: 'float32', shape: [2] }, { name: 'b', type: 'float32', shape: [2] }, { name: 'out', type: 'float32', shape: [2] }],
      inputs: [0], outputs: [2],
      operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2] }],
    }],
  });
  assert.throws(() => readModel(model), /ADD \(subgraph 0 operator 0\) reads tensor 1 "b" before any operator writes it/);
});

// ---- RESHAPE with an empty shape input (xmos' mobilenet: shape [0], no data) ---------------------

test('RESHAPE whose shape input is an empty tensor nothing writes takes the output shape, as TFLM', () => {
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { name: 'x', type: 'int8', shape: [1, 1, 1, 10], scale: 0.5, zeroPoint: 0 },
        { name: '1', type: 'int32', shape: [0] },
        { name: 'y', type: 'int8', shape: [1, 10], scale: 0.5, zeroPoint: 0 },
      ],
      inputs: [0], outputs: [2],
      operators: [{ op: 'RESHAPE', inputs: [0, 1], outputs: [2] }],
    }],
  });
  const interpreter = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  const x = Int8Array.from({ length: 10 }, (_, i) => i - 5);
  interpreter.setInput(0, x);
  interpreter.invoke();
  assert.deepEqual(Array.from(interpreter.output(0).data), Array.from(x));
  assert.deepEqual(Array.from(interpreter.output(0).shape), [1, 10]);
});
