// The flexbuffers reader for custom options: hand-made maps of every width, the real options of
// TFLM's audio preprocessor, and hostile bytes (every truncation and many corruptions of real
// options must end in a ModelError or a correct read, never another exception).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readModel, ModelError, flexMap, flexInt, flexBool, flexFloat, flexIntVector, flexKeyAt, flexFind } from './lib/tflite.mjs';
import { XsEngine } from './lib/host.mjs';
import { flexbuffersMap } from './lib/flexbuffers-writer.mjs';
import { needsShared } from './lib/cases.mjs';

const AUDIO = fileURLToPath(new URL('../../shared/fixtures/audio/', import.meta.url));
const haveAudio = fs.existsSync(AUDIO);

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

for (const width of [1, 2, 4, 8]) {
  test(`hand-made map, values ${width} bytes wide`, () => {
    const small = width === 1 ? 100 : width === 2 ? 30000 : 2000000000;
    const bytes = flexbuffersMap([
      ['shift', { int: -7 }], ['big', { int: small }], ['flag', { bool: true }], ['off', { bool: false }],
      ['u', { uint: width === 1 ? 200 : 60000 }], ['vec', { intVector: [1, -2, 3] }], ['mixed', { untypedVector: [4, 5] }],
      ['pair', { fixedInt: [9, -9] }], ['ind', { indirectInt: -123456 }],
      ...(width >= 4 ? [['gain', { float: 0.75 }]] : []),
    ], { width, keyWidth: width === 8 ? 2 : 1, rootWidth: width === 8 ? 2 : 1 });
    const m = flexMap(bytes, 'test options');
    assert.equal(flexInt(m, 'shift'), -7);
    assert.equal(flexInt(m, 'big'), small);
    assert.equal(flexBool(m, 'flag'), true);
    assert.equal(flexBool(m, 'off'), false);
    assert.equal(flexInt(m, 'u'), width === 1 ? 200 : 60000);
    assert.deepEqual(flexIntVector(m, 'vec'), [1, -2, 3]);
    assert.deepEqual(flexIntVector(m, 'mixed'), [4, 5]);
    assert.deepEqual(flexIntVector(m, 'pair'), [9, -9]);
    assert.equal(flexInt(m, 'ind'), -123456);
    if (width >= 4) assert.equal(flexFloat(m, 'gain'), 0.75);
    assert.equal(flexInt(m, 'absent', 42), 42);
    assert.throws(() => flexInt(m, 'absent'), e => e instanceof ModelError && /test options: has no "absent"/.test(e.message));
    assert.throws(() => flexInt(m, 'vec'), e => e instanceof ModelError && /"vec" is of flexbuffers type 11/.test(e.message));
    assert.throws(() => flexIntVector(m, 'shift'), ModelError);
    assert.equal(flexKeyAt(m, flexFind(m, 'shift')), 'shift');
  });
}

test('an int that does not fit int32 is refused, not truncated', () => {
  const m = flexMap(flexbuffersMap([['n', { int: 2 ** 40 }]], { width: 8 }), 'opts');
  assert.throws(() => flexInt(m, 'n'), /does not fit int32/);
});

function preprocessorOptions() {
  const model = readModel(new Uint8Array(fs.readFileSync(`${AUDIO}/audio_preprocessor_int8.tflite`)));
  return model.subgraphs[0].operators.filter(op => op.customOptions).map(op => [op.opName, op.customOptions]);
}

test('the real options of the audio preprocessor read as TFLM reads them', { skip: needsShared('audio') }, () => {
  const options = Object.fromEntries(preprocessorOptions());
  const read = (name, key) => flexInt(flexMap(options[name], name), key);
  // Values a reader can be checked against: fft length from the tensors (514 complex halves = 2 × 257,
  // fft 512), 40 channels (the filter bank's output), the energy band inside 257 bins.
  assert.equal(read('SignalRfft', 'fft_length'), 512);
  assert.equal(read('SignalRfft', 'T'), 7);
  assert.equal(read('SignalFilterBank', 'num_channels'), 40);
  assert.equal(read('SignalFilterBankSpectralSubtraction', 'num_channels'), 40);
  const start = read('SignalEnergy', 'start_index'), end = read('SignalEnergy', 'end_index');
  assert.ok(start >= 0 && start < end && end <= 257, `energy band ${start}..${end}`);
  assert.equal(end - start, 236); // the strided slice after it keeps 236 bins
  const ss = flexMap(options.SignalFilterBankSpectralSubtraction, 'ss');
  assert.equal(typeof flexBool(ss, 'clamping'), 'boolean');
  for (const key of ['smoothing', 'one_minus_smoothing', 'alternate_smoothing', 'alternate_one_minus_smoothing']) {
    assert.ok(flexInt(ss, key) >= 0);
  }
  assert.equal(flexInt(ss, 'smoothing') + flexInt(ss, 'one_minus_smoothing'), 1 << flexInt(ss, 'spectral_subtraction_bits'));
});

/** Every read the Signal kernels make, on possibly hostile bytes: a ModelError or values. */
function readAll(bytes) {
  try {
    const m = flexMap(bytes, 'hostile');
    for (let i = 0; i < m.length; i++) {
      const key = flexKeyAt(m, i);
      for (const read of [flexInt, flexBool, flexFloat, flexIntVector]) {
        try { read(m, key); } catch (e) { if (!(e instanceof ModelError)) throw e; }
      }
    }
    return 'ok';
  } catch (e) {
    if (e instanceof ModelError) return 'ModelError';
    throw e;
  }
}

test('hostile bytes: truncations, corruptions, absurd widths and offsets end in a ModelError', () => {
  const samples = [flexbuffersMap([['a', { int: 1 }], ['v', { intVector: [1, 2] }], ['u', { untypedVector: [3] }]], { width: 2 })];
  if (haveAudio) for (const [, bytes] of preprocessorOptions()) samples.push(bytes);
  let errors = 0;
  for (const sample of samples) {
    for (let n = 0; n < sample.length; n++) if (readAll(sample.subarray(n)) === 'ModelError') errors++;
    for (let n = 0; n < sample.length; n++) readAll(sample.subarray(0, n));
    for (let i = 0; i < sample.length; i++) {
      for (const value of [0, 1, 0x7f, 0x80, 0xff, 0x0b, 0x27, 0x2b]) {
        const bad = sample.slice();
        bad[i] = value;
        readAll(bad);
      }
    }
  }
  assert.ok(errors > 0);
  assert.equal(readAll(null), 'ModelError');
  assert.equal(readAll(new Uint8Array([1, 0x24, 1])), 'ModelError');
  // A root offset pointing before the buffer, and a key width of 3.
  assert.throws(() => flexMap(new Uint8Array([0, 0, 0, 9, 0x24, 1]), 'x'), /outside the options|points outside/);
  assert.throws(() => flexMap(new Uint8Array([0, 3, 0, 0, 0x24, 1]), "x"), /byte width 3/);
});

test('XS reads the same options', { skip: needsShared('audio') }, async () => {
  for (const [name, bytes] of preprocessorOptions()) {
    const m = flexMap(bytes, name);
    const keys = [];
    for (let i = 0; i < m.length; i++) keys.push(flexKeyAt(m, i));
    const expected = keys.map(k => flexInt(m, k));
    const code = `{ const m = tflite.flexMap(new Uint8Array(${JSON.stringify([...bytes])}), "x");
      const got = ${JSON.stringify(keys)}.map(k => tflite.flexInt(m, k));
      if (JSON.stringify(got) !== ${JSON.stringify(JSON.stringify(expected))}) throw new Error("${name}: " + JSON.stringify(got)); }`;
    await xs.evaluate(code);
  }
  await assert.rejects(xs.evaluate(`tflite.flexMap(new Uint8Array([0, 0, 0, 9, 0x24, 1]), "x")`), /ModelError|outside/);
});
