// CIRCULAR_BUFFER (TFLM's custom op) on Node and in XS (which must agree to the bit, invoke after
// invoke), against TFLM's kernels/circular_buffer_test.cc: its goldens, its invoke statuses
// (kTfLiteAbort until the period is up: Interpreter.invoke() returns false), its generated
// options (circular_buffer_flexbuffers_generated_data.cc, the bytes copied here) and its Reset
// test; then what an abort means for the operators after it, and named prepare errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError, ModelError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import { flexbuffersMap } from './lib/flexbuffers-writer.mjs';

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

/** TFLM's g_gen_data_circular_buffer_config: {cycles_max: 1}. */
const CYCLES_MAX_1 = Uint8Array.of(0x63, 0x79, 0x63, 0x6c, 0x65, 0x73, 0x5f, 0x6d, 0x61, 0x78, 0x00, 0x01, 0x0c, 0x01, 0x01, 0x01, 0x01, 0x04, 0x02, 0x24, 0x01);

function model(depth, slots, customOptions, { variable = true, after = false, inShape = [1, 1, 1, depth], outShape = [1, slots, 1, depth], type = 'int8' } = {}) {
  const q = { scale: 1, zeroPoint: 0 };
  const tensors = [{ type, shape: inShape, ...q }, { type, shape: outShape, ...q, isVariable: variable || undefined }];
  const operators = [{ op: { custom: 'CIRCULAR_BUFFER' }, inputs: [0], outputs: [1], customOptions }];
  if (after) {
    // An operator after the buffer: it runs only when the buffer lets the invoke go on.
    tensors.push({ type, shape: outShape, ...q });
    operators.push({ op: 'RELU', inputs: [1], outputs: [2] });
  }
  return writeModel({ subgraphs: [{ tensors, inputs: [0], outputs: after ? [1, 2] : [1], operators }] });
}

/** Invokes once per step on Node (statuses and outputs), then in XS, whose outputs must equal Node's. */
async function runSteps(bytes, steps) {
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  const statuses = [], outputs = [];
  for (const values of steps) {
    it.input(0).data.set(values);
    statuses.push(it.invoke());
    outputs.push(Array.from(it.output(0).data));
  }
  const loaded = await xs.load(bytes);
  const all = Int8Array.from(steps.flat());
  const result = await xs.run([new Uint8Array(all.buffer)], steps.length, loaded.outputs.map(o => o.byteLength));
  const size = loaded.outputs[0].byteLength;
  outputs.forEach((o, s) => assert.deepEqual(Array.from(new Int8Array(result.outputs[0].buffer, result.outputs[0].byteOffset + s * size, size)), o, `XS step ${s}`));
  return { statuses, outputs, it };
}

const stepsOf = (count, depth) => Array.from({ length: count }, (_, i) => Array.from({ length: depth }, (_, j) => i * depth + j + 1));
const GOLDENS_4 = [[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3], [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]];

test('CIRCULAR_BUFFER OutputTensorLength4: runs every other invoke (TFLM circular_buffer_test.cc)', async () => {
  const { statuses, outputs } = await runSteps(model(3, 4, undefined), stepsOf(5, 3));
  assert.deepEqual(outputs, GOLDENS_4);
  // kRunPeriod 2: kTfLiteOk at i % 2 === 1, kTfLiteAbort otherwise.
  assert.deepEqual(statuses, [false, true, false, true, false]);
});

test('CIRCULAR_BUFFER OutputTensorOnEveryIterationLength4: TFLM\'s cycles_max 1 flexbuffer', async () => {
  const { statuses, outputs } = await runSteps(model(3, 4, CYCLES_MAX_1), stepsOf(5, 3));
  assert.deepEqual(outputs, GOLDENS_4);
  assert.deepEqual(statuses, [true, true, true, true, true]);
});

test('CIRCULAR_BUFFER OutputTensorLength5: 5 slots run every cycle', async () => {
  const { statuses, outputs } = await runSteps(model(4, 5, undefined), stepsOf(6, 4));
  assert.deepEqual(outputs, [
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  ]);
  assert.ok(statuses.every(s => s === true));
});

test('CIRCULAR_BUFFER Reset: resetVariables() restores the period (and zeroes the buffer)', () => {
  const it = new Interpreter(model(1, 2, undefined), { resolver: allOps() }).allocateTensors();
  assert.equal(it.invoke(), false);
  it.resetVariables();
  assert.equal(it.invoke(), false);
  assert.equal(it.invoke(), true);
  it.input(0).data[0] = 7;
  it.invoke();
  it.resetVariables();
  assert.deepEqual(Array.from(it.output(0).data), [0, 0]);
});

test('CIRCULAR_BUFFER: an aborted invoke does not run the operators after it; a cycles_max option sets the period', async () => {
  const bytes = model(2, 3, flexbuffersMap([['cycles_max', { int: 3 }]], { width: 4 }), { after: true });
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  const seen = [];
  for (let i = 1; i <= 6; i++) {
    it.input(0).data.set([i, -i]);
    seen.push([it.invoke(), Array.from(it.output(1).data)]);
  }
  // RELU runs at invokes 3 and 6 only, on the buffer as it is then.
  assert.deepEqual(seen.map(([s]) => s), [false, false, true, false, false, true]);
  assert.deepEqual(seen[2][1], [1, 0, 2, 0, 3, 0]);
  assert.deepEqual(seen[5][1], [4, 0, 5, 0, 6, 0]);
});

test('CIRCULAR_BUFFER: the period guess counts such operators per interpreter (TFLM\'s fifth [.., 2, 96] buffer runs every cycle)', () => {
  const q = { scale: 1, zeroPoint: 0 };
  const tensors = [], operators = [];
  for (let k = 0; k < 5; k++) {
    tensors.push({ type: 'int8', shape: [1, 1, 2, 96], ...q }, { type: 'int8', shape: [1, 3, 2, 96], ...q, isVariable: true });
    operators.push({ op: { custom: 'CIRCULAR_BUFFER' }, inputs: [2 * k], outputs: [2 * k + 1] });
  }
  const bytes = writeModel({ subgraphs: [{ tensors, inputs: [0, 2, 4, 6, 8], outputs: [1, 3, 5, 7, 9], operators }] });
  // The first four prepared get period 2, the fifth period 1. Each runs only when those before it
  // let the invoke go on, so operator k first completes at invoke 2^(k+1); the fifth runs at
  // invoke 16 and, with period 1, completes it. With period 2 invoke 16 would abort.
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  for (let k = 0; k < 5; k++) it.input(k).data.fill(k + 1);
  const statuses = [];
  for (let n = 1; n <= 16; n++) statuses.push(it.invoke());
  assert.deepEqual(statuses, [...new Array(15).fill(false), true]);
  assert.equal(it.output(4).data[2 * 96 * 2], 5, 'the fifth operator ran once');
  assert.equal(it.output(4).data[2 * 96 * 1], 0);
});

test('CIRCULAR_BUFFER prepare errors are named', () => {
  const bad = (bytes, re) => assert.throws(() => new Interpreter(bytes, { resolver: allOps() }).allocateTensors(), e => (e instanceof OpError || e instanceof ModelError) && re.test(e.message), String(re));
  bad(model(3, 4, undefined, { type: 'int16' }), /only int8/);
  bad(model(3, 4, undefined, { inShape: [1, 2, 1, 3] }), /input .* must be \[1, 1, 1, 3\]/);
  bad(model(3, 4, undefined, { inShape: [1, 1, 3] }), /must have 4 dimensions/);
  bad(model(3, 0, undefined), /at least one slot/);
  bad(model(3, 4, Uint8Array.of(1, 2, 3)), /custom options/);
});
