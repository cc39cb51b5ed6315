// The E.convolve paths (issue 14): FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D take their
// integer sums from Espruino's E.convolve where the engine has it. Neither Node nor XS has it, so
// this test installs a faithful one as globalThis.E (Espruino's jswrap_espruino_convolve:
// Σ a[i] · b[(i + offset) mod b.length] over i < a.length, summed in a double), runs the golden
// cases and random single-op models through those paths, in Node and in XS, and requires the
// outputs to equal the golden ones and the plain paths' bit for bit. Without E the choosers must
// never pick a convolve path (the kernels would call nothing: the counter stays still).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseConvPath, wantsPackedWeights, fieldFor, MAX_PACKED_TERMS, chooseDepthwisePath, DEPTHWISE_PATH_NAMES,
  chooseFcConvolve, convolvePrimitive, CONVOLVE_MIN_LENGTH,
} from './lib/testing.mjs';
import { XsEngine } from './lib/host.mjs';
import { generateCase, caseSeed, caseBytes, runOurs } from './lib/testing.mjs';
import { loadCases, worstDifference } from './lib/cases.mjs';

const FLOAT32 = 0, INT32 = 2, INT64 = 4, INT16 = 7, INT8 = 9;

/** Espruino's E.convolve, counting its calls (the source also runs inside XS). E is a function there. */
function makeE() {
  const E = function E() {};
  E.calls = 0;
  E.convolve = function convolve(a, b, offset) {
    const l = b.length;
    if (!(l > 0)) throw new Error('E.convolve: empty second array (Espruino divides by its length)');
    let j = offset % l;
    if (j < 0) j += l;
    let conv = 0;
    for (let i = 0; i < a.length; i++) {
      conv += a[i] * b[j];
      if (++j === l) j = 0;
    }
    E.calls++;
    return conv;
  };
  return E;
}

function withE(fn) {
  const E = makeE();
  globalThis.E = E;
  try {
    return fn(E);
  } finally {
    delete globalThis.E;
  }
}

const bytesOf = v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

test('the fake E.convolve follows Espruino: wraps b by the offset, sums in a double', () => {
  const { convolve } = makeE();
  assert.equal(convolve(new Int8Array([1, 2, 3]), new Int8Array([4, 5, 6, 7]), 0), 4 + 10 + 18);
  assert.equal(convolve(new Int8Array([1, 2, 3]), new Int8Array([4, 5, 6, 7]), 2), 6 + 14 + 12);
  assert.equal(convolve(new Int8Array([1, 1]), new Int8Array([4, 5, 6]), -1), 6 + 4);
  // int8 × int8 sums stay exact far beyond int32: 100000 · 128 · 128 > 2^30.
  const big = new Int8Array(100000).fill(-128);
  assert.equal(convolve(big, big, 0), 100000 * 16384);
});

test('Node has no E: no primitive, and every chooser keeps its plain path without one', () => {
  assert.equal(typeof globalThis.E, 'undefined');
  assert.equal(convolvePrimitive(), null);
  withE(E => assert.equal(convolvePrimitive(), E.convolve));
  assert.equal(convolvePrimitive(), null);
  for (const windowSize of [1, 4, 9, 72, 4000]) {
    for (const groups of [1, 2]) {
      for (const inputType of [INT8, INT16, FLOAT32]) {
        const s = {
          inputType, biasType: INT32, groups, windowSize, positions: 9,
          field: inputType === INT8 && groups === 1 && windowSize <= MAX_PACKED_TERMS ? fieldFor(windowSize, 127) : 0,
          offsetsFit: true, convolve: false,
        };
        for (const granted of [false, true]) assert.notEqual(chooseConvPath(s, granted), 6, `conv ${JSON.stringify(s)}`);
      }
    }
    assert.equal(chooseFcConvolve({ quantized: true, accumDepth: windowSize, outputDepth: 16, convolve: false }), false);
  }
  for (const [fH, fW, M] of [[3, 3, 1], [10, 8, 8], [1, 1, 1], [5, 5, 2]]) {
    const d = chooseDepthwisePath(depthwise({ filterHeight: fH, filterWidth: fW, depthMultiplier: M }));
    assert.notEqual(DEPTHWISE_PATH_NAMES[d.path], 'CONVOLVE');
  }
});

function depthwise(o) {
  return {
    type: INT8, filterHeight: 3, filterWidth: 3, inputDepth: 16, depthMultiplier: 1, strideWidth: 1, dilationWidth: 1,
    weightsConstant: true, biasConstant: true, maxAbsWeight: 127, quick: true, weightCacheBytes: 1 << 20, convolve: false, ...o,
  };
}

test('with E.convolve the choosers take it for integer inner products of enough terms, never for float32', () => {
  const conv = (o) => ({ inputType: INT8, biasType: INT32, groups: 1, windowSize: 27, positions: 2, field: 0, offsetsFit: false, convolve: true, ...o });
  assert.equal(chooseConvPath(conv({}), true), 9, 'int8, even where offsets overflow int32 (exact requantization)');
  assert.equal(wantsPackedWeights(conv({ field: fieldFor(27, 127), offsetsFit: true })), false, 'no weight cache asked for');
  assert.equal(chooseConvPath(conv({ inputType: INT16, biasType: INT64 }), false), 9, '16x8');
  assert.equal(chooseConvPath(conv({ inputType: FLOAT32 }), false), 0, 'float32: TFLM rounds every step');
  assert.equal(chooseConvPath(conv({ groups: 2 }), false), 1, 'grouped: the reference loops');
  assert.equal(chooseConvPath(conv({ windowSize: CONVOLVE_MIN_LENGTH - 1 }), false), 1, 'too short');
  assert.equal(chooseConvPath(conv({ windowSize: CONVOLVE_MIN_LENGTH }), false), 9, "ConvPath.CONVOLVE");

  const fc = (o) => chooseFcConvolve({ quantized: true, accumDepth: 64, outputDepth: 64, convolve: true, ...o });
  assert.equal(fc({}), true);
  assert.equal(fc({ quantized: false }), false);
  assert.equal(fc({ accumDepth: CONVOLVE_MIN_LENGTH - 1 }), false);
  assert.equal(fc({ outputDepth: 0 }), false);

  const dw = (o) => DEPTHWISE_PATH_NAMES[chooseDepthwisePath(depthwise({ convolve: true, ...o })).path];
  assert.equal(dw({ filterHeight: 10, filterWidth: 8, depthMultiplier: 8, inputDepth: 1 }), 'CONVOLVE', 'micro_speech');
  assert.equal(dw({ depthMultiplier: 2 }), 'CONVOLVE', '3x3, multiplier 2');
  assert.equal(dw({}), 'INT8_SLIDE', 'multiplier 1: the gather costs what it saves');
  assert.equal(dw({ depthMultiplier: 2, weightsConstant: false }), 'INT8_3X3', 'weights computed by the graph: no transposed copy');
  assert.equal(dw({ type: FLOAT32 }), 'FLOAT');
  assert.equal(dw({ type: INT16 }), 'INT16');
  assert.notEqual(dw({ filterHeight: 1, filterWidth: 3, depthMultiplier: 2 }), 'CONVOLVE', 'too few taps');
});

// Golden cases: every integer case with FULLY_CONNECTED, CONV_2D or DEPTHWISE_CONV_2D must call
// E.convolve and still match bit for bit; float cases must not call it at all.
const USES_CONVOLVE = ['hello_world_int8', 'micro_speech', 'person_detect', 'mlperf_kws_int8', 'mlperf_vww_int8',
  'mlperf_ic_resnet_int8', 'mlperf_ad_int8', 'seanet_conv', 'keyword_scrambled'];

function checkCase(c, run) {
  const outputs = run(c);
  c.outputs.forEach((want, k) => {
    const worst = worstDifference(want.dtype, bytesOf(outputs[k]), want.bytes);
    assert.ok(worst <= want.tolerance, `${c.name} output ${k}: off by ${worst}`);
  });
}

test('golden cases through E.convolve in Node: bit-exact, convolve used where it applies', () => {
  const cases = loadCases();
  if (cases.length === 0) return;
  for (const c of cases) {
    const calls = withE(E => { checkCase(c, c => runOurs(c.model, c.inputs, c.steps)); return E.calls; });
    if (USES_CONVOLVE.some(p => c.name.startsWith(p))) assert.ok(calls > 0, `${c.name}: E.convolve never called`);
    if (c.name.includes('float') || c.name.includes('fp32')) assert.equal(calls, 0, `${c.name}: float32 must not use E.convolve`);
  }
});

const OPS = ['FULLY_CONNECTED', 'CONV_2D', 'DEPTHWISE_CONV_2D'];
const N = Number(process.env.CONVOLVE_CASES ?? 120);

test(`random ${OPS.join(', ')} models: E.convolve paths equal the plain paths bit for bit (${N} each)`, () => {
  for (const op of OPS) {
    let used = 0;
    for (let i = 0; i < N; i++) {
      const seed = caseSeed(0xe5c0, i * 7 + OPS.indexOf(op));
      const c = generateCase(op, seed);
      const bytes = caseBytes(c);
      const plain = runOurs(bytes, c.inputs, c.steps);
      const calls = withE(E => {
        const ours = runOurs(bytes, c.inputs, c.steps);
        ours.forEach((o, k) => assert.deepEqual(bytesOf(o), bytesOf(plain[k]), `${op} seed ${seed} (${c.type}) output ${k}`));
        return E.calls;
      });
      if (calls > 0) used++;
      if (c.type === 'float32') assert.equal(calls, 0, `${op} seed ${seed}: float32 must not use E.convolve`);
    }
    assert.ok(used >= N / 8, `${op}: only ${used} of ${N} cases took a convolve path`);
    console.log(`${op}: ${used} of ${N} random cases took a convolve path`);
  }
});

test('inside XS: golden cases through E.convolve match, and without E nothing calls it', async (t) => {
  const cases = loadCases().filter(c => ['hello_world_int8_0', 'micro_speech_random_0', 'seanet_conv0', 'mlperf_kws_int8_0',
    'keyword_scrambled_pattern', 'mlperf_ad_int8_0'].includes(c.name));
  if (cases.length === 0) return;
  let engine;
  try {
    engine = await XsEngine.start();
  } catch (e) {
    t.skip(`no XS engine: ${e.message}`);
    return;
  }
  try {
    await engine.installProbe('(lib, payload, probe) => ({ calls: globalThis.fakeE.calls })');
    await engine.evaluate(`globalThis.fakeE = (${makeE.toString()})(); globalThis.E = globalThis.fakeE;`);
    const calls = async () => (await engine.probe(new Uint8Array(0), {})).result.calls;
    const runXs = async (c) => {
      const loaded = await engine.load(c.model);
      const sizes = loaded.outputs.map(o => o.byteLength);
      return (await engine.run(c.inputs, c.steps, sizes)).outputs;
    };
    for (const c of cases) {
      const before = await calls();
      const outputs = await runXs(c);
      c.outputs.forEach((want, k) => {
        const worst = worstDifference(want.dtype, outputs[k], want.bytes);
        assert.ok(worst <= want.tolerance, `XS ${c.name} output ${k}: off by ${worst}`);
      });
      assert.ok(await calls() > before, `XS ${c.name}: E.convolve never called`);
    }
    // Random models through both paths inside XS.
    for (const op of OPS) {
      for (let i = 0; i < 6; i++) {
        const c = generateCase(op, caseSeed(0x5e5, i * 3 + OPS.indexOf(op)));
        const bytes = caseBytes(c);
        const asBytes = c.inputs.map(bytesOf);
        const withConvolve = await runXs({ model: bytes, inputs: asBytes, steps: c.steps });
        await engine.evaluate('delete globalThis.E;');
        const plain = await runXs({ model: bytes, inputs: asBytes, steps: c.steps });
        await engine.evaluate('globalThis.E = globalThis.fakeE;');
        withConvolve.forEach((o, k) => assert.deepEqual(o, plain[k], `XS ${op} case ${i} (${c.type}) output ${k}`));
      }
    }
    // Without E: the same models load and run, and nothing reaches the counter.
    await engine.evaluate('delete globalThis.E;');
    const before = await calls();
    for (const c of cases) await runXs(c);
    assert.equal(await calls(), before, 'a convolve path was chosen without E');
  } finally {
    await engine.close();
  }
});
