// The micro_speech example (examples/micro_speech): TFLM's labels for its four recordings from the
// streaming app in XS and in Node, the screen it draws, the smoothing (RecognizeCommands) against
// TFLM's rules and its test, nothing allocated per inference in XS, the recorded audio source,
// and a manifest that carries both models' kernels and nothing else on lin and esp32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { PngScreen, memorySink, readWav, resolverFiles, runAudioOnNode, appSize } from './lib/host.mjs';
import { RecognizeCommands, RecordedAudio, wavClip, MicroSpeech, MICRO_SPEECH_LABELS } from './lib/components.mjs';
import { FrameViewDriver } from './lib/drivers.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { builtSkip } from './lib/build.mjs';
import { needsShared } from './lib/cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'examples/micro_speech');
const fixtures = path.resolve(root, '../shared/fixtures/audio');
// The example runs from dist/ (its Node app and XS bundle): without a build its tests skip.
const notBuilt = builtSkip('dist/examples/micro-speech-app.js', 'dist/examples/micro-speech-xs.js');
const app = notBuilt ? null : await import(pathToFileURL(path.join(root, 'dist/examples/micro-speech-app.js')).href);
const hostEntry = await import(pathToFileURL(path.join(dir, 'host.mjs')).href);
const { startBridgedWorker } = await import(pathToFileURL(path.join(root, 'examples/lib/xs-host.mjs')).href);
const WORDS = ['yes', 'no', 'silence', 'noise'];
const file = word => path.join(dir, `${word}_1000ms.wav`);
const clip = word => readWav(new Uint8Array(fs.readFileSync(file(word)))).samples;
const models = {
  preprocessor: new Uint8Array(fs.readFileSync(path.join(dir, 'audio_preprocessor_int8.tflite'))),
  keyword: new Uint8Array(fs.readFileSync(path.join(dir, 'micro_speech_quantized.tflite'))),
};
/** TFLM's label for a clip: its 49 windows from a fresh state, the keyword model's best score. */
const tflmLabel = word => runAudioOnNode(clip(word), models).label;

function runHost(args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'micro-speech-'));
  const r = spawnSync(process.execPath, ['examples/micro_speech/host.mjs', '--out', out, ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, `host.mjs failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const lines = r.stdout.trimEnd().split('\n');
  const verdicts = lines.map(l => /^\S+\.wav: (\w+)$/.exec(l)?.[1]).filter(Boolean);
  return { out, stdout: r.stdout, lines, verdicts };
}

test('the example\'s models and recordings are TFLM\'s (the fixtures\' files)', { skip: notBuilt || needsShared('audio') }, () => {
  for (const name of ['audio_preprocessor_int8.tflite', 'micro_speech_quantized.tflite', ...WORDS.map(w => `${w}_1000ms.wav`)]) {
    assert.deepEqual(fs.readFileSync(path.join(dir, name)), fs.readFileSync(path.join(fixtures, name)), name);
  }
});

let xsRun;
test('host.mjs in XS: yes -> yes, no -> no, silence -> silence, noise -> silence (TFLM\'s labels); the last line is the verdict', { skip: notBuilt }, () => {
  xsRun = runHost([]);
  const { verdicts, lines, stdout, out } = xsRun;
  assert.deepEqual(verdicts, WORDS.map(tflmLabel));
  assert.deepEqual(verdicts, ['yes', 'no', 'silence', 'silence']);
  assert.equal(lines[lines.length - 1], 'silence');
  assert.match(stdout, /^micro_speech: arenas \d+ \+ \d+ bytes, an inference every 100 ms$/m);
  assert.match(stdout, /^Heard yes \(\d+\) @\d+ms$/m);
  assert.match(stdout, /^Heard no \(\d+\) @\d+ms$/m);
  assert.match(stdout, /^computrons per file \(.*\): \d+, \d+, \d+, \d+$/m);
  for (const word of WORDS) assert.ok(fs.existsSync(path.join(out, `${word}_1000ms.png`)), word);
});

test('host.mjs: the same log on Node as in XS; a file named on the command line gives its label', { skip: notBuilt || needsShared('audio') }, () => {
  const node = runHost(['--engine', 'node']);
  const appLines = r => r.lines.filter(l => /^(Heard |micro_speech: arenas|\S+\.wav: )/.test(l));
  assert.deepEqual(appLines(node), appLines(xsRun));
  const single = runHost([path.join(fixtures, 'no_1000ms.wav'), '--engine', 'node']);
  assert.equal(single.lines[single.lines.length - 1], 'no');
  const r = spawnSync(process.execPath, ['examples/micro_speech/host.mjs', '--engine', 'v8'], { cwd: root, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--engine takes xs or node/);
});

test('the stream\'s window ring holds, after a whole clip, exactly the features TFLM\'s pipeline computes for it', { skip: notBuilt }, () => {
  const spotter = new app.KeywordSpotter({ ...models, display: new PngScreen(), sink: memorySink() });
  const yes = clip('yes');
  // In microphone-sized pieces of odd lengths: the windows do not depend on how the sound comes.
  for (let at = 0; at < yes.length; at += 173) spotter.feed(yes.subarray(at, Math.min(yes.length, at + 173)));
  assert.equal(spotter.windows, 49);
  assert.equal(spotter.inferences, 0, 'no inference before the ring holds a whole second, and then every 5 windows');
  const speech = new MicroSpeech({ ...models, resolver: allOps() });
  speech.computeFeatures(yes);
  assert.deepEqual(spotter.features, speech.featureData);
  spotter.feed(new Int16Array(320));
  assert.equal(spotter.inferences, 1);
  spotter.reset();
  assert.equal(spotter.windows, 0);
  assert.equal(spotter.heard, -1);
});

test('the screen: the spectrogram, YES in green when yes is heard, the four bars; every Poco frame within a display list', { skip: notBuilt }, () => {
  const png = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'yes_1000ms.png')));
  assert.deepEqual([png.width, png.height], [240, 320]);
  const at = (x, y) => { const i = 4 * (y * png.width + x); return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]; };
  const view = new FrameViewDriver({ display: new PngScreen(), frameWidth: 40, frameHeight: 49, classes: app.LABELS, positive: app.WORDS, title: 'micro speech' });
  const { frameX, frameY, scale, panelY } = view;
  assert.equal(scale, 3);
  const grays = new Set();
  for (let y = 0; y < 49; y++) for (let x = 0; x < 40; x++) grays.add(at(frameX + x * scale + 1, frameY + y * scale + 1));
  assert.ok(grays.size > 8, `${grays.size} gray levels in the spectrogram`);
  let green = 0;
  for (let y = panelY; y < panelY + 15; y++) for (let x = 0; x < 240; x++) if (at(x, y) === 0x30d060) green++;
  assert.ok(green > 30, `${green} green pixels of "YES"`);
  // Silence heard nothing: no verdict, amber or green, under the spectrogram.
  const quiet = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'silence_1000ms.png')));
  let lit = 0;
  for (let y = panelY; y < panelY + 15; y++) for (let x = 0; x < 240; x++) { const i = 4 * (y * 240 + x); if (quiet.data[i] + quiet.data[i + 1] + quiet.data[i + 2] > 0) lit++; }
  assert.equal(lit, 0, 'no verdict drawn for silence');
  const screen = new PngScreen();
  const spotter = new app.KeywordSpotter({ ...models, display: screen, sink: memorySink() });
  spotter.feed(clip('yes'));
  spotter.feed(new Int16Array(8000));
  assert.ok(spotter.inferences > 0);
  assert.ok(screen.maxCommandsPerFrame <= 60, `${screen.maxCommandsPerFrame} rectangles in one frame`);
});

test('nothing is allocated per window or per inference inside XS (the heap after each command, net of the command\'s own)', { skip: notBuilt }, async () => {
  const worker = await startBridgedWorker({ name: 'micro-speech-alloc', bundle: path.join(root, 'dist/examples/micro-speech-xs.js'), screen: null, sink: null });
  try {
    await worker.issueCommand(hostEntry.startMessage(models, { width: 240, height: 320 }, { quiet: true }));
    const heap = async message => (await worker.issueCommand(message)).meterUsage.currentHeapCount;
    // Slots a command leaves after a collection: the bridge's own (message, views, reply) and the app's.
    const cost = async message => { const collected = await heap(hostEntry.opMessage(3)); return (await heap(message)) - collected; };
    const base = await cost(hostEntry.opMessage(4));
    assert.ok(base < 20, `a bare command holds ${base} slots`);
    // The ring holds the yes recording, then 5 windows of silence: the first inference ran (window 50).
    await heap(hostEntry.opMessage(1, clip('yes')));
    await heap(hostEntry.opMessage(1, new Int16Array(5 * 320)));
    assert.equal(await cost(hostEntry.opMessage(5)), base, 'a preprocessor window');
    // Inferences on the same second: the third decides yes (a log line, a string), the next ones suppress it.
    const inferences = [];
    for (let i = 0; i < 6; i++) inferences.push(await cost(hostEntry.opMessage(6)) - base);
    assert.deepEqual(inferences.slice(3), [0, 0, 0], `slots per inference (model, recognizer, drawing): ${inferences}`);
    // Feeding: the command's view of its samples is the bridge's. Three windows with no inference
    // (51, 52, 53), then two windows and an inference (55).
    const feedBase = await cost(hostEntry.opMessage(1, new Int16Array(0)));
    assert.equal(await cost(hostEntry.opMessage(1, new Int16Array(3 * 320))), feedBase, 'feeding three windows');
    assert.equal(await cost(hostEntry.opMessage(1, new Int16Array(2 * 320))), feedBase, 'feeding two windows and an inference');
  } finally {
    await worker.close();
  }
});

// TFLM's rules, written out plainly (a queue of {time, scores}), to compare the component with.
function tflmRecognizer({ window = 1000, threshold = 200, suppression = 1500, minimum = 3, capacity = 50 } = {}) {
  const queue = [];
  let previous = 0, previousTime = null;
  return (scores, time) => {
    if (queue.length && time < queue[0].time) return { error: true };
    if (queue.length < capacity) queue.push({ time, scores: [...scores] });
    while (queue.length && queue[0].time < time - window) queue.shift();
    if (queue.length < minimum || time - queue[0].time < Math.trunc(window / 4)) return { command: previous, score: 0, isNew: false };
    const averages = scores.map((_, i) => Math.trunc(queue.reduce((sum, r) => sum + r.scores[i] + 128, 0) / queue.length));
    let top = 0, topScore = 0;
    averages.forEach((a, i) => { if (a > topScore) { topScore = a; top = i; } });
    const since = previous === 0 || previousTime === null ? Infinity : time - previousTime;
    const isNew = topScore > threshold && (top !== previous || since > suppression);
    if (isNew) { previous = top; previousTime = time; }
    return { command: top, score: topScore, isNew };
  };
}

test('RecognizeCommands: TFLM\'s recognize_commands_test (yes found once, then no with 231; too few; bad length; bad times)', { skip: notBuilt }, () => {
  const labels = MICRO_SPEECH_LABELS;
  const basic = new RecognizeCommands({ labels });
  assert.equal(basic.process(Int8Array.of(127, -128, -128, -128), 0), false);
  const r = new RecognizeCommands({ labels, averageWindowMs: 1000, detectionThreshold: 51 });
  const found = [];
  for (let i = 0; i < 10; i++) if (r.process(Int8Array.of(-128, -128, 127, -128), i * 100)) found.push(r.label);
  assert.deepEqual(found, ['yes']);
  found.length = 0;
  for (let i = 0; i < 10; i++) if (r.process(Int8Array.of(-128, -128, -128, 127), 1000 + i * 100)) found.push(r.label);
  assert.deepEqual(found, ['no']);
  // TFLM checks the score of the last call: at 1900 ms the window holds one yes and ten no.
  assert.equal(r.score, 231);
  assert.equal(r.label, 'no');
  assert.throws(() => new RecognizeCommands({ labels, detectionThreshold: 51 }).process(Int8Array.of(-128, -128, 127), 0), /4 int8 scores expected/);
  const times = new RecognizeCommands({ labels, detectionThreshold: 51 });
  times.process(Int8Array.of(-128, -128, 127, -128), 100);
  assert.throws(() => times.process(Int8Array.of(-128, -128, 127, -128), 0), /increasing time order; 0 ms is earlier than 100 ms/);
  const few = new RecognizeCommands({ labels, detectionThreshold: 51 });
  assert.equal(few.process(Int8Array.of(-128, -128, 127, -128), 100), false);
  assert.equal(few.score, 0);
});

test('RecognizeCommands: the same command, score and "new" as TFLM\'s rules on random streams (suppression, silence, pruning, a full queue)', { skip: notBuilt }, () => {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const settings of [{}, { threshold: 120, suppression: 300 }, { window: 400, minimum: 2 }, { capacity: 5, threshold: 100 }, { window: 1000, capacity: 8, suppression: 0 }]) {
    const ours = new RecognizeCommands({ labels: MICRO_SPEECH_LABELS, averageWindowMs: settings.window, detectionThreshold: settings.threshold, suppressionMs: settings.suppression, minimumCount: settings.minimum, capacity: settings.capacity });
    const theirs = tflmRecognizer(settings);
    let time = 0, news = 0;
    for (let step = 0; step < 3000; step++) {
      // Runs of one dominant class, so that commands win, repeat, change and fall silent.
      const dominant = Math.floor(step / 37) % 4;
      const scores = Int8Array.from({ length: 4 }, (_, i) => Math.round((i === dominant ? 60 + random() * 67 : -128 + random() * 120)));
      time += 20 + Math.floor(random() * 120);
      const expected = theirs([...scores], time);
      const isNew = ours.process(scores, time);
      assert.deepEqual({ command: ours.command, score: ours.score, isNew }, expected, `step ${step} at ${time} ms (${JSON.stringify(settings)})`);
      if (isNew) news++;
    }
    assert.ok(news > 10, `${news} commands recognised`);
  }
});

test('RecordedAudio plays clips with gaps of silence, in a loop or once; wavClip reads a WAV in place', { skip: notBuilt }, () => {
  const a = Int16Array.of(1, 2, 3), b = Int16Array.of(4, 5);
  const audio = new RecordedAudio({ clips: [a, b], gap: 2 });
  const into = new Int16Array(4);
  const heard = [];
  for (let i = 0; i < 5; i++) { assert.equal(audio.read(into), 4); heard.push(...into); }
  assert.deepEqual(heard, [1, 2, 3, 0, 0, 4, 5, 0, 0, 1, 2, 3, 0, 0, 4, 5, 0, 0, 1, 2]);
  const once = new RecordedAudio({ clips: [a], loop: false });
  assert.equal(once.read(into), 3);
  assert.equal(once.read(into), 0);
  assert.throws(() => new RecordedAudio({ clips: [] }), /at least one clip/);
  const bytes = fs.readFileSync(file('yes'));
  const samples = wavClip(bytes);
  assert.equal(samples.buffer, bytes.buffer, 'a view of the file\'s bytes');
  assert.deepEqual(samples, clip('yes'));
  assert.throws(() => wavClip(new Uint8Array(10)), /not a RIFF\/WAVE file/);
});

// mcconfig's rule (tools/mcmanifest.js matchPlatform): the first key equal to the platform, or a
// "x/*" it starts with, trying "esp32/board" then "esp32"; else "...".
function matchPlatform(platforms, name) {
  const parts = name.split('/');
  while (parts.length) {
    const partial = parts.join('/');
    for (const key of Object.keys(platforms)) {
      if (key.endsWith('/*') ? partial.startsWith(key.slice(0, -1)) : partial === key) return platforms[key];
    }
    parts.length -= 1;
  }
  return platforms['...'];
}

test('the manifest: both models\' kernels and no other; recorded audio on lin and esp32 (ILI9341), AudioIn where the board has a microphone', { skip: notBuilt }, () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const { files, ops } = resolverFiles([models.preprocessor, models.keyword], dir);
  for (const [name, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), text, `${name} is what \`tflite-xs resolver\` writes now`);
  const fragment = JSON.parse(files['manifest_resolver.json']);
  const kernels = Object.keys(fragment.modules).filter(n => n.startsWith('tflite-xs/kernels/') && !n.startsWith('tflite-xs/kernels/internal/')).sort();
  const imported = [...files['resolver.js'].matchAll(/from "(tflite-xs\/kernels\/[^"]+)"/g)].map(m => m[1]).sort();
  assert.deepEqual(kernels, imported, 'the fragment compiles the kernel modules resolver.js imports, and no other');
  assert.ok(ops.includes('FULLY_CONNECTED') && ops.includes('SignalPCAN') && !ops.includes('CONV_2D'), ops.join(', '));
  assert.ok(manifest.include.includes('./manifest_resolver.json') && !JSON.stringify(manifest).includes('all-kernels'));
  const recorded = fs.readFileSync(path.join(dir, 'audio-recorded.ts'), 'utf8');
  const clips = JSON.parse(/CLIPS[^=]*= Object\.freeze\((\[[^\]]+\])\)/.exec(recorded)[1]);
  for (const [platform, input] of [['lin', './audio-recorded'], ['esp32', './audio-recorded'], ['esp32/moddable_two', './audio-recorded'], ['esp32/m5stack_core2', './audio-mic']]) {
    const section = matchPlatform(manifest.platforms, platform);
    assert.ok(section && !section.error, `${platform} builds`);
    assert.equal(section.modules['audio-input'], input, `${platform}: audio-input`);
    assert.ok(fs.existsSync(path.join(dir, `${input}.ts`)));
    // "data", not "resources": mcconfig turns a .wav resource into a MAUD one (wav2maud,
    // resampled and ADPCM), and new Resource("yes_1000ms.wav") found nothing in the simulator.
    if (input === './audio-recorded') assert.deepEqual(section.data['*'], clips.map(c => `./${c}`), `${platform}: the recordings audio-recorded.ts opens, untransformed`);
    else assert.ok(section.include.includes('$(MODDABLE)/modules/io/audioin/manifest.json'));
  }
  assert.equal(matchPlatform(manifest.platforms, 'esp32').config.screen, 'ili9341');
  assert.ok(!matchPlatform(manifest.platforms, 'esp32/moddable_two').config, 'a board with its own screen keeps it');
  assert.match(matchPlatform(manifest.platforms, 'mac').error, /lin .* and esp32/);
  const main = fs.readFileSync(path.join(dir, 'main.ts'), 'utf8');
  const opened = [...main.matchAll(/new Resource\("([^"]+)"\)/g)].map(m => `./${m[1]}`).sort();
  assert.deepEqual([...manifest.resources['*']].sort(), opened);
  assert.ok(!/\.wav"/.test(JSON.stringify([manifest.resources, ...Object.values(manifest.platforms).map(p => p.resources)])), 'no WAV among the resources');
});

test('the device bundle (main.ts, the recorded audio input) carries the kernels resolver.js names and no other', { skip: notBuilt }, async () => {
  const size = await appSize('micro_speech');
  const named = [...fs.readFileSync(path.join(dir, 'resolver.js'), 'utf8').matchAll(/from "tflite-xs\/kernels\/([^"]+)"/g)].map(m => m[1]).sort();
  assert.deepEqual(size.kernels, named);
  assert.ok(!size.libraryModules.some(m => m === 'kernels/all' || m === 'kernels/conv_2d'), size.libraryModules.join(' '));
  assert.ok(size.libraryModules.includes('components/recognize-commands') && size.libraryModules.includes('drivers/audio'), size.libraryModules.join(' '));
});

test('FrameViewDriver: a verdict given overrides the highest score, -1 shows none, and a bad one is refused', { skip: notBuilt }, () => {
  const screen = new PngScreen();
  const view = new FrameViewDriver({ display: screen, frameWidth: 40, frameHeight: 49, classes: app.LABELS, positive: app.WORDS });
  assert.equal(view.result([0.9, 0.05, 0.03, 0.02], 3), 3);
  assert.equal(view.verdict, 3);
  assert.equal(view.result([0.9, 0.05, 0.03, 0.02], -1), -1);
  assert.equal(view.result([0.1, 0.05, 0.8, 0.05]), 2);
  assert.throws(() => view.result([0.25, 0.25, 0.25, 0.25], 4), /verdict 4 is not a class index/);
});
