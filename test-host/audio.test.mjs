// micro_speech from audio: TFLM's four test clips through the audio preprocessor and the keyword
// model, on Node and in XS with the same device code (components/micro-speech.ts). TFLM's test
// expects yes → yes, no → no, silence → silence, noise → silence; the features of the yes clip
// must equal TFLM's (the audio_preprocessor_int8_yes case's outputs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { MicroSpeech, MICRO_SPEECH_LABELS } from './lib/components.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { readWav, runAudioOnNode, runAudioOnXs, loadAudioModels, XsEngine } from './lib/host.mjs';
import { cliCommand } from './lib/cli.mjs';
import { needsShared } from './lib/cases.mjs';

const AUDIO = fileURLToPath(new URL('../../shared/fixtures/audio/', import.meta.url));
const skip = needsShared('audio');
const CLIPS = { yes: 'yes', no: 'no', silence: 'silence', noise: 'silence' };
const wav = name => readWav(new Uint8Array(fs.readFileSync(`${AUDIO}${name}_1000ms.wav`)), name).samples;

let xs = null;
before(async () => { if (!skip) xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

test('the yes clip\'s 49 × 40 features are TFLM\'s, on Node and in XS', { skip }, async () => {
  const file = fs.readFileSync(`${AUDIO}cases/audio_preprocessor_int8_yes/output0.bin`);
  const expected = new Int8Array(file.buffer, file.byteOffset, file.length);
  assert.equal(expected.length, 49 * 40);
  const models = loadAudioModels();
  const speech = new MicroSpeech({ ...models, resolver: allOps() });
  assert.equal(speech.computeFeatures(wav('yes')), 49);
  assert.deepEqual(Array.from(speech.featureData), Array.from(expected));
  await xs.loadAudio(models.preprocessor, models.keyword);
  const r = await xs.audioFeatures(wav('yes'));
  assert.equal(r.windows, 49);
  assert.deepEqual(Array.from(r.features), Array.from(expected));
  console.log(`# XS: ${Math.round(r.computrons / 49)} computrons per window (preprocessor, 49 windows: ${r.computrons})`);
  // State is reset per clip: the same clip twice gives the same features.
  const again = await xs.audioFeatures(wav('yes'));
  assert.deepEqual(Array.from(again.features), Array.from(expected));
});

for (const [clip, label] of Object.entries(CLIPS)) {
  test(`${clip} → ${label}, on Node and in XS`, { skip }, async () => {
    const models = loadAudioModels();
    const node = runAudioOnNode(wav(clip), models);
    assert.equal(node.label, label, `Node scores ${node.scores}`);
    const inXs = await runAudioOnXs(wav(clip), models, xs);
    assert.deepEqual(inXs.scores, node.scores);
    assert.equal(inXs.label, label);
    assert.deepEqual(inXs.labels, MICRO_SPEECH_LABELS);
  });
}

test('a clip shorter than a window gives zero features; wrong models are refused by name', { skip }, () => {
  const models = loadAudioModels();
  const speech = new MicroSpeech({ ...models, resolver: allOps() });
  assert.equal(speech.computeFeatures(new Int16Array(479)), 0);
  assert.ok(speech.featureData.every(v => v === 0));
  assert.equal(speech.computeFeatures(new Int16Array(480 + 320)), 2);
  assert.throws(() => new MicroSpeech({ preprocessor: models.keyword, keyword: models.preprocessor, resolver: allOps() }), /preprocessor's input/);
  assert.throws(() => new MicroSpeech({ ...models }), /needs the kernels/);
});

test('the CLI: run-audio prints the scores and the label; --json; bad files exit 1, bad usage 2', { skip }, () => {
  const out = execFileSync(...cliCommand('run-audio', `${AUDIO}no_1000ms.wav`), { encoding: 'utf8' });
  assert.match(out, /^silence +-?\d+\nunknown +-?\d+\nyes +-?\d+\nno +-?\d+\nlabel: no\n$/);
  const json = JSON.parse(execFileSync(...cliCommand('run-audio', `${AUDIO}yes_1000ms.wav`, '--json', '--engine', 'xs'), { encoding: 'utf8' }));
  assert.equal(json.label, 'yes');
  assert.deepEqual(Object.keys(json.scores), ['silence', 'unknown', 'yes', 'no']);
  const fail = args => {
    try { execFileSync(...cliCommand(...args), { encoding: 'utf8', stdio: 'pipe' }); return 0; } catch (e) { return e.status; }
  };
  assert.equal(fail(['run-audio', `${AUDIO}micro_speech_quantized.tflite`]), 1);
  assert.equal(fail(['run-audio']), 2);
  assert.equal(fail(['run-audio', `${AUDIO}yes_1000ms.wav`, '--engine', 'gpu']), 2);
});

test('readWav refuses what is not 16-bit mono PCM, and chunks that run past the end', () => {
  const header = (channels, bits, dataSize, actual = dataSize) => {
    const b = new Uint8Array(44 + actual);
    const v = new DataView(b.buffer);
    b.set([...'RIFF'].map(c => c.charCodeAt(0)), 0);
    v.setUint32(4, 36 + actual, true);
    b.set([...'WAVEfmt '].map(c => c.charCodeAt(0)), 8);
    v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, channels, true);
    v.setUint32(24, 16000, true); v.setUint16(34, bits, true);
    b.set([...'data'].map(c => c.charCodeAt(0)), 36);
    v.setUint32(40, dataSize, true);
    return b;
  };
  assert.equal(readWav(header(1, 16, 8)).samples.length, 4);
  assert.throws(() => readWav(header(2, 16, 8)), /2 channels/);
  assert.throws(() => readWav(header(1, 8, 8)), /8-bit/);
  assert.throws(() => readWav(header(1, 16, 1000, 8)), /runs past the end/);
  assert.throws(() => readWav(new Uint8Array(10)), /not a RIFF/);
});
