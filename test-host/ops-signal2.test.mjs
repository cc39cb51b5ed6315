// The Signal library's stateful framing kernels (SignalFramer, SignalStacker, SignalOverlapAdd,
// SignalDelay), on Node and XS (which must agree to the bit, invoke after invoke), against the
// golden tables and procedures of TFLM's signal/micro/kernels/{framer,stacker,overlap_add,delay}_test.cc
// (TFLM's expectations, copied here), their Reset tests (resetVariables() on Node), and prepare errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import { flexbuffersMap } from './lib/flexbuffers-writer.mjs';

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

const bytesOf = v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();

/** One custom op reading tensor 0, writing the others. */
function customModel(name, options, tensors) {
  const outputs = tensors.map((_, i) => i).slice(1);
  return writeModel({ subgraphs: [{ tensors, inputs: [0], outputs, operators: [{ op: { custom: name }, inputs: [0], outputs, customOptions: flexbuffersMap(options, { width: 4 }) }] }] });
}

/**
 * Invokes once per entry of `steps` (the input's values), on Node, then resetVariables() and the
 * same steps again (which must give the same outputs), then on XS (which must give the same
 * bytes). Returns Node's outputs: per step, per output, a copy. With `hasValid` (framer,
 * stacker: output 1 is output_valid), an invalid step's output 0 is whatever it held before (TFLM
 * leaves it), so only the flag is compared after the reset.
 */
async function runSteps(model, steps, hasValid = false) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  const once = () => steps.map(values => {
    it.input(0).bytes.set(bytesOf(values));
    it.invoke();
    const outs = [];
    for (let o = 0; o < it.outputCount; o++) outs.push(it.output(o).data.slice());
    return outs;
  });
  const first = once();
  it.resetVariables();
  const again = once();
  const comparable = run => run.map(outs => outs.map((o, i) => (hasValid && i === 0 && !outs[1][0] ? null : bytesOf(o))));
  assert.deepEqual(comparable(again), comparable(first), 'the same outputs after resetVariables()');
  const loaded = await xs.load(model);
  const all = new Uint8Array(steps.reduce((n, v) => n + v.byteLength, 0));
  let at = 0;
  for (const v of steps) { all.set(bytesOf(v), at); at += v.byteLength; }
  const result = await xs.run([all], steps.length, loaded.outputs.map(o => o.byteLength));
  for (let o = 0; o < it.outputCount; o++) {
    const size = loaded.outputs[o].byteLength;
    steps.forEach((_, s) => assert.deepEqual(result.outputs[o].subarray(s * size, (s + 1) * size), bytesOf(first[s][o]), `XS output ${o} step ${s} differs from Node's`));
  }
  return first;
}

// ---- framer_test.cc (TestFramerInvoke's procedure; TestReset: runSteps resets and repeats) ----
const FRAMER_3_1_0 = { frameSize: 3, frameStep: 1, prefill: false, golden: [0x0, 0x0, 0x1234, 0x5678, 0x4321, 0x7777] };
const FRAMER_5_2_1 = { frameSize: 5, frameStep: 2, prefill: true, golden: [0x0, 0x0, 0x0, 0x1010, 0x0202, 0x7070, 0x0606] };
for (const [name, f, inputShape, outputShape] of [
  ['FramerTest_3_1_0 and TestReset', FRAMER_3_1_0, [1], [1, 3]],
  ['FramerTest_5_2_1', FRAMER_5_2_1, [2], [1, 5]],
  ['FramerTest_5_2_1_NFrames2', FRAMER_5_2_1, [4], [2, 5]],
  ['FramerTest_5_2_1_NFrames2OuterDims4', FRAMER_5_2_1, [2, 2, 4], [2, 2, 2, 5]],
]) {
  test(`SignalFramer ${name} (TFLM framer_test.cc)`, async () => {
    const model = customModel('SignalFramer', [['frame_size', { int: f.frameSize }], ['frame_step', { int: f.frameStep }], ['prefill', { bool: f.prefill }]], [
      { type: 'int16', shape: inputShape }, { type: 'int16', shape: outputShape }, { type: 'bool', shape: [] },
    ]);
    const inputSize = inputShape[inputShape.length - 1], outerDims = inputShape.reduce((a, b) => a * b, 1) / inputSize;
    const nFrames = outputShape[outputShape.length - 2], latency = f.frameSize - f.frameStep;
    const steps = [], starts = [];
    for (let i = 0; i < f.golden.length - latency; i += inputSize) {
      const row = f.golden.slice(latency + i, latency + i + inputSize);
      steps.push(Int16Array.from(Array(outerDims).fill(row).flat()));
      starts.push(i);
    }
    const outs = await runSteps(model, steps, true);
    outs.forEach(([output, valid], s) => {
      const i = starts[s];
      assert.equal(valid[0] ? 1 : 0, i >= latency || f.prefill ? 1 : 0, `output_valid at i = ${i}`);
      if (!valid[0]) return;
      for (let outer = 0; outer < outerDims; outer++) {
        for (let frame = 0; frame < nFrames; frame++) {
          const at = outer * f.frameSize * nFrames + frame * f.frameSize;
          assert.deepEqual(Array.from(output.subarray(at, at + f.frameSize)), f.golden.slice(i + frame * f.frameStep, i + frame * f.frameStep + f.frameSize), `i ${i} row ${outer} frame ${frame}`);
        }
      }
    });
  });
}

// ---- stacker_test.cc (each TestStackerReset: runSteps resets and repeats) ----
for (const [name, channels, step, input] of [
  ['StackerTest3ChannelStep1', 3, 1, [0x1234, 0x5678, 0x4321]],
  ['StackerTest10ChannelStep2_1stTest', 10, 2, [252, 477, 1071, 166, 1022, 312, 1171, 1586, 1491, 145]],
  ['StackerTest10ChannelStep2_2ndTest', 10, 2, [1060, 200, 69, 1519, 883, 1317, 182, 724, 143, 334]],
]) {
  test(`SignalStacker ${name} and its Reset test (TFLM stacker_test.cc)`, async () => {
    const model = customModel('SignalStacker', [['num_channels', { int: channels }], ['stacker_left_context', { int: 1 }], ['stacker_right_context', { int: 0 }], ['stacker_step', { int: step }]], [
      { type: 'int16', shape: [channels] }, { type: 'int16', shape: [2 * channels] }, { type: 'bool', shape: [] },
    ]);
    const [[output, valid]] = await runSteps(model, [Int16Array.from(input)], true);
    assert.equal(valid[0], 1);
    assert.deepEqual(Array.from(output), [...input, ...input]);
  });
}

test('SignalStacker right context and steps: valid once a whole stack is in, then every stacker_step frames', async () => {
  // 2 channels, left 1, right 1, step 2: frame t is [t, -t]; the first is padded once on the left.
  const model = customModel('SignalStacker', [['num_channels', { int: 2 }], ['stacker_left_context', { int: 1 }], ['stacker_right_context', { int: 1 }], ['stacker_step', { int: 2 }]], [
    { type: 'int16', shape: [2] }, { type: 'int16', shape: [6] }, { type: 'bool', shape: [] },
  ]);
  const frames = [1, 2, 3, 4, 5, 6].map(t => Int16Array.from([t, -t]));
  const outs = await runSteps(model, frames, true);
  assert.deepEqual(outs.map(([, v]) => v[0]), [0, 1, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(outs[1][0]), [1, -1, 1, -1, 2, -2]);
  assert.deepEqual(Array.from(outs[3][0]), [2, -2, 3, -3, 4, -4]);
  assert.deepEqual(Array.from(outs[5][0]), [4, -4, 5, -5, 6, -6]);
});

// ---- overlap_add_test.cc (testReset: runSteps resets and repeats) ----
const OA_INT16_IN = [125, -12, -895, 1000, 65, -212, 63, 71, 52, 1, -17, 32];
const OA_INT16_OUT = [125, 988, -767, -140];
const OA_FLOAT_IN = [12.5, -1.2, -89.5, 100.0, 6.5, -21.2, 6.3, 7.1, 5.2, 0.1, -1.7, 3.2];
const OA_FLOAT_OUT = [12.5, 98.8, -76.7, -14.0];
for (const [name, type, Typed, inputShape, outputShape, goldenIn, goldenOut] of [
  ['OverlapAddTestInt16', 'int16', Int16Array, [1, 3], [1], OA_INT16_IN, OA_INT16_OUT],
  ['OverlapAddTestFloat', 'float32', Float32Array, [1, 3], [1], OA_FLOAT_IN, OA_FLOAT_OUT],
  ['OverlapAddTestNframes4Int16', 'int16', Int16Array, [4, 3], [4], OA_INT16_IN, OA_INT16_OUT],
  ['OverlapAddTestNframes4OuterDims4Int16 and testReset', 'int16', Int16Array, [2, 2, 4, 3], [2, 2, 4], OA_INT16_IN, OA_INT16_OUT],
]) {
  test(`SignalOverlapAdd ${name} (TFLM overlap_add_test.cc)`, async () => {
    const model = customModel('SignalOverlapAdd', [['T', { int: type === 'int16' ? 7 : 0 }], ['frame_step', { int: 1 }]], [
      { type, shape: inputShape }, { type, shape: outputShape },
    ]);
    const frameSize = inputShape[inputShape.length - 1], nFrames = inputShape[inputShape.length - 2];
    const outerDims = inputShape.reduce((a, b) => a * b, 1) / (frameSize * nFrames);
    const iters = goldenIn.length / (frameSize * nFrames);
    const steps = [];
    for (let i = 0; i < iters; i++) steps.push(Typed.from(Array(outerDims).fill(goldenIn.slice(i * nFrames * frameSize, (i + 1) * nFrames * frameSize)).flat()));
    const outs = await runSteps(model, steps);
    outs.forEach(([output], i) => {
      const want = Typed.from(Array(outerDims).fill(goldenOut.slice(i * nFrames, (i + 1) * nFrames)).flat());
      assert.deepEqual(bytesOf(output), bytesOf(want), `iteration ${i}`); // TFLM compares with memcmp
    });
  });
}

test('SignalOverlapAdd int16 saturates the running sum; frame_step 2 of 4', async () => {
  const model = customModel('SignalOverlapAdd', [['T', { int: 7 }], ['frame_step', { int: 2 }]], [
    { type: 'int16', shape: [1, 4] }, { type: 'int16', shape: [2] },
  ]);
  const outs = await runSteps(model, [[30000, 30000, 30000, 30000], [30000, -30000, 5, 6], [-32768, -32768, 0, 0]].map(v => Int16Array.from(v)));
  // state [30000 30000 30000 30000] -> out 30000 30000, state [30000 30000 0 0]
  // + [30000 -30000 5 6] = [32767 0 5 6] -> out 32767 0, state [5 6 0 0]
  // + [-32768 -32768 0 0] = [-32763 -32762 0 0] -> out -32763 -32762
  assert.deepEqual(outs.map(([o]) => Array.from(o)), [[30000, 30000], [32767, 0], [-32763, -32762]]);
});

// ---- delay_test.cc (the Reset tests: runSteps resets and repeats) ----
for (const [name, delay, shape, input, golden] of [
  ['DelayTestSingleDimDelayLessThanFrameSize', 3, [8], [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0]],
  ['DelayTestSingleDimDelayGreaterThanFrameSize', 5, [3], [1, 2, 3, 4, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 2, 3, 4]],
  ['DelayTestMultiDimDelayLessThanFrameSize', 3, [4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, ...Array(16).fill(0)],
    [0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 13, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0, 14, 15, 0, 0]],
  ['DelayTestMultiDimDelayGreaterThanFrameSize', 5, [4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, ...Array(32).fill(0)],
    [...Array(16).fill(0), 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 4, 0, 0, 0, 8, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0]],
]) {
  test(`SignalDelay ${name} (TFLM delay_test.cc)`, async () => {
    const model = customModel('SignalDelay', [['delay_length', { int: delay }]], [{ type: 'int16', shape }, { type: 'int16', shape }]);
    const size = shape.reduce((a, b) => a * b, 1);
    const steps = [];
    for (let i = 0; i < input.length; i += size) steps.push(Int16Array.from(input.slice(i, i + size)));
    const outs = await runSteps(model, steps);
    assert.deepEqual(outs.flatMap(([o]) => Array.from(o)), golden);
  });
}

// ---- prepare errors ----
test('prepare errors are named: wrong types, shapes, options out of range', () => {
  const prep = model => new Interpreter(model, { resolver: allOps() }).allocateTensors();
  const named = (re) => e => e instanceof OpError && re.test(e.message);
  const framer = (size, step, prefill, inShape = [4], outShape = [4 / step, size], inType = 'int16', validType = 'bool') =>
    customModel('SignalFramer', [['frame_size', { int: size }], ['frame_step', { int: step }], ['prefill', { bool: prefill }]], [
      { type: inType, shape: inShape }, { type: 'int16', shape: outShape }, { type: validType, shape: [] }]);
  assert.throws(() => prep(framer(5, 2, true, [4], [2, 5], 'int8')), named(/SignalFramer \(operator 0\): input .* must be int16/));
  assert.throws(() => prep(framer(5, 2, true, [4], [2, 5], 'int16', 'int8')), named(/output_valid .* must be bool/));
  assert.throws(() => prep(framer(5, 3, true, [4], [1, 5])), named(/not a multiple of frame_step 3/));
  assert.throws(() => prep(framer(5, 8, false, [4], [1, 5])), named(/shorter than frame_step 8/));
  assert.throws(() => prep(framer(1, 2, true, [4], [2, 1])), named(/prefill needs frame_size 1 >= frame_step 2/));
  assert.throws(() => prep(framer(5, 0, true, [4], [2, 5])), named(/frame_step = 0 must be positive/));
  assert.throws(() => prep(framer(5, 2, true, [4], [3, 5])), named(/must hold 2 frames of 5/));
  assert.throws(() => prep(framer(5, 2, true, [4], [10])), named(/output .* must have 2 dimensions/));
  const stacker = (ch, left, right, step, inLen = ch, outLen = ch * (left + right + 1)) =>
    customModel('SignalStacker', [['num_channels', { int: ch }], ['stacker_left_context', { int: left }], ['stacker_right_context', { int: right }], ['stacker_step', { int: step }]], [
      { type: 'int16', shape: [inLen] }, { type: 'int16', shape: [outLen] }, { type: 'bool', shape: [] }]);
  assert.throws(() => prep(stacker(3, 1, 0, 3)), named(/stacker_step = 3 must be in \[1, 2\]/));
  assert.throws(() => prep(stacker(3, 1, 0, 0)), named(/stacker_step = 0/));
  assert.throws(() => prep(stacker(3, -1, 0, 1)), named(/must not be negative/));
  assert.throws(() => prep(stacker(3, 1, 0, 1, 2)), named(/must hold num_channels = 3 values/));
  assert.throws(() => prep(stacker(3, 1, 0, 1, 3, 5)), named(/must hold 6 values/));
  const oa = (type, step, inShape = [2, 4], outShape = [2 * step], inType = type === 7 ? 'int16' : 'float32') =>
    customModel('SignalOverlapAdd', [['T', { int: type }], ['frame_step', { int: step }]], [{ type: inType, shape: inShape }, { type: inType, shape: outShape }]);
  assert.throws(() => prep(oa(9, 1, [2, 4], [2], 'int8')), named(/type int8 \(option T\) is not supported/));
  assert.throws(() => prep(oa(7, 1, [2, 4], [2], 'float32')), named(/input .* must be int16/));
  assert.throws(() => prep(oa(7, 5, [2, 4], [10])), named(/frame_step = 5 must be in \[0, 4\]/));
  assert.throws(() => prep(oa(7, 1, [2, 4], [3])), named(/must hold 2 values/));
  assert.throws(() => prep(oa(0, 1, [4], [])), named(/at least 2 dimensions/));
  const delay = (d, inShape = [4], outShape = inShape, type = 'int16') =>
    customModel('SignalDelay', [['delay_length', { int: d }]], [{ type, shape: inShape }, { type: 'int16', shape: outShape }]);
  assert.throws(() => prep(delay(-1)), named(/delay_length = -1 must not be negative/));
  assert.throws(() => prep(delay(2, [4], [3])), named(/must hold as many values as input/));
  assert.throws(() => prep(delay(2, [4], [4], 'float32')), named(/input .* must be int16/));
});
