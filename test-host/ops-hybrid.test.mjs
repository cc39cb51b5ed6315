// Hybrid models (float32 activations, int8/uint8 weights: the converter's dynamic range
// quantization). TFLM refuses them in prepare; so do we, with an OpError that names the hybrid
// model and full-integer quantization as the fix, not a type mismatch. EMBEDDING_LOOKUP's int8
// table with float32 output is TFLM's supported hybrid and keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel } from './lib/host.mjs';

function model(op, tensors, inputs, options = {}, outputs = [tensors.length - 1]) {
  return writeModel({ subgraphs: [{ tensors, inputs: [0], outputs, operators: [{ op, inputs, outputs, options }] }] });
}

function prepareError(bytes) {
  try {
    new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  } catch (error) {
    return error;
  }
  return null;
}

const q8 = (shape, n) => ({ type: 'int8', shape, data: Int8Array.from({ length: n }, (_, i) => (i % 7) - 3), scale: 0.05, zeroPoint: 0 });
const f32 = shape => ({ type: 'float32', shape });

const CASES = [
  ['FULLY_CONNECTED', [f32([1, 4]), q8([2, 4], 8), { type: 'float32', shape: [2], data: new Float32Array(2) }, f32([1, 2])], [0, 1, 2], 'weights'],
  ['FULLY_CONNECTED (uint8 weights)', [f32([1, 4]), { type: 'uint8', shape: [2, 4], data: new Uint8Array(8), scale: 0.1, zeroPoint: 128 }, f32([1, 2])], [0, 1], 'weights'],
  ['CONV_2D', [f32([1, 3, 3, 2]), q8([2, 2, 2, 2], 16), f32([1, 2, 2, 2])], [0, 1], 'filter', { padding: 'VALID', strideH: 1, strideW: 1, dilationHFactor: 1, dilationWFactor: 1 }],
  ['DEPTHWISE_CONV_2D', [f32([1, 3, 3, 2]), q8([1, 2, 2, 2], 8), f32([1, 2, 2, 2])], [0, 1], 'filter', { padding: 'VALID', strideH: 1, strideW: 1, dilationHFactor: 1, dilationWFactor: 1, depthMultiplier: 1 }],
  ['BATCH_MATMUL', [f32([1, 2, 3]), q8([1, 3, 2], 6), f32([1, 2, 2])], [0, 1], 'rhs'],
];

for (const [label, tensors, inputs, weightsName, options] of CASES) {
  test(`${label}: a hybrid model is refused by name with the fix (full-integer quantization)`, () => {
    const op = label.split(' ')[0];
    const error = prepareError(model(op, tensors, inputs, options));
    assert.ok(error instanceof OpError, `an OpError, got ${error}`);
    assert.match(error.message, new RegExp(`${op}.*hybrid model: float32 input .* ${weightsName} `));
    assert.match(error.message, /full-integer quantization/);
    assert.doesNotMatch(error.message, /needs float32|must have the type/);
  });
}

test('SVDF: float32 input with int8 weights_feature is refused as a hybrid model', () => {
  const tensors = [
    f32([1, 3]), q8([4, 3], 12), { type: 'float32', shape: [4, 2], data: new Float32Array(8) },
    { type: 'float32', shape: [1, 8], isVariable: true }, f32([1, 2]),
  ];
  const bytes = writeModel({ subgraphs: [{ tensors, inputs: [0], outputs: [4], operators: [{ op: 'SVDF', inputs: [0, 1, 2, -1, 3], outputs: [4], options: { rank: 2 } }] }] });
  const error = prepareError(bytes);
  assert.ok(error instanceof OpError);
  assert.match(error.message, /hybrid model: .*weights_feature.*full-integer quantization/);
});

test('a float32 model and an int8 model with the same shapes still prepare (the check is hybrid only)', () => {
  const float = [f32([1, 4]), { type: 'float32', shape: [2, 4], data: new Float32Array(8) }, f32([1, 2])];
  assert.equal(prepareError(model('FULLY_CONNECTED', float, [0, 1])), null);
  const int8 = [{ type: 'int8', shape: [1, 4], scale: 0.1, zeroPoint: 0 }, q8([2, 4], 8), { type: 'int8', shape: [1, 2], scale: 0.2, zeroPoint: 0 }];
  assert.equal(prepareError(model('FULLY_CONNECTED', int8, [0, 1])), null);
});

test('EMBEDDING_LOOKUP keeps TFLM\'s hybrid: an int8 table looked up into float32', () => {
  const tensors = [
    { type: 'int32', shape: [2] },
    { type: 'int8', shape: [3, 2], data: Int8Array.from([1, 2, 3, 4, 5, 6]), scale: 0.5, zeroPoint: 0 },
    f32([2, 2]),
  ];
  const it = new Interpreter(model('EMBEDDING_LOOKUP', tensors, [0, 1]), { resolver: allOps() }).allocateTensors();
  it.input(0).data.set([2, 0]);
  it.invoke();
  assert.deepEqual(Array.from(it.output(0).data), [2.5, 3, 0.5, 1]);
});
