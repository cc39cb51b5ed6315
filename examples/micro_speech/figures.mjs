#!/usr/bin/env node
// The figures of examples/micro_speech/README.md: arenas, RAM as `npm run bench` counts it (arena
// + 16 B × XS heap slots the loaded model holds after a collection), the app's own buffers, XS
// computrons and Node milliseconds per window and per inference.
//   node examples/micro_speech/figures.mjs      (after npm run build)
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODELS, startMessage, opMessage } from './host.mjs';
import { startBridgedWorker } from '../lib/xs-host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { XsEngine, PngScreen, memorySink, readWav } = await import(pathToFileURL(path.join(root, 'dist/node/host.js')).href);
const { xsRam } = await import(pathToFileURL(path.join(root, 'test-host/lib/xs-ram.mjs')).href);
const { KeywordSpotter } = await import(pathToFileURL(path.join(root, 'dist/examples/micro-speech-app.js')).href);
const models = { preprocessor: new Uint8Array(fs.readFileSync(MODELS.preprocessor)), keyword: new Uint8Array(fs.readFileSync(MODELS.keyword)) };
const yes = readWav(new Uint8Array(fs.readFileSync(path.join(here, 'yes_1000ms.wav')))).samples;

const engine = await XsEngine.start();
const ram = {};
try {
  for (const [name, bytes] of Object.entries(models)) ram[name] = await xsRam(engine, bytes);
} finally {
  await engine.close();
}
for (const [name, r] of Object.entries(ram)) console.log(`${name}: arena ${r.arenaBytes} B, ${r.slots} slots, RAM ${r.ramBytes} B`);
console.log(`both models: arena ${ram.preprocessor.arenaBytes + ram.keyword.arenaBytes} B, RAM ${ram.preprocessor.ramBytes + ram.keyword.ramBytes} B`);

// The app in XS, quiet: the display and the log go nowhere (what is measured is the app).
const worker = await startBridgedWorker({ name: 'micro_speech_figures', bundle: path.join(root, 'dist/examples/micro-speech-xs.js'), screen: null, sink: null });
try {
  const run = async message => (await worker.issueCommand(message)).meterUsage;
  const before = (await run(opMessage(3))).currentHeapCount;
  await run(startMessage(models, { width: 240, height: 320 }, { quiet: true }));
  const held = (await run(opMessage(3))).currentHeapCount;
  const slots = held - before, arenas = ram.preprocessor.arenaBytes + ram.keyword.arenaBytes;
  console.log(`the app in XS (both interpreters, recognizer, view, logger): ${slots} slots after a collection; arenas + 16 B × slots = ${arenas + 16 * slots} B`);
  await run(opMessage(1, yes));
  const median = async op => {
    const c = [];
    for (let i = 0; i < 5; i++) c.push((await run(opMessage(op))).compute);
    return c.sort((a, b) => a - b)[2];
  };
  const window = await median(5), keyword = await median(4), inference = await median(6);
  console.log(`XS computrons: a preprocessor window ${window}, a keyword inference ${keyword}, an app inference (model, recognizer, drawing) ${inference}`);
  console.log(`XS computrons per second of sound (50 windows, 10 inferences): ${50 * window + 10 * inference}`);
} finally {
  await worker.close();
}

// Node: milliseconds, the median of 200.
const spotter = new KeywordSpotter({ ...models, display: new PngScreen(), sink: memorySink() });
spotter.feed(yes);
const time = (f, n = 200) => {
  const t = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); f(); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[n >> 1];
};
const features = new Int8Array(40), silence = new Int16Array(480);
const ms = {
  window: time(() => spotter.speech.computeWindow(silence, 0, features, 0)),
  keyword: time(() => spotter.speech.keyword.invoke()),
  inference: time(() => spotter.infer()),
};
console.log(`Node ms: a preprocessor window ${ms.window.toFixed(3)}, a keyword inference ${ms.keyword.toFixed(3)}, an app inference (with drawing into a PNG screen) ${ms.inference.toFixed(3)}`);
const buffers = 480 * 2 + 49 * 40 + 4 * 8 + 320 * 2 + spotter.recognizer.capacity * (4 + 4) + 4 * 4;
console.log(`the app's own buffers: ${buffers} B (window 960, feature ring 1960, chunk 640, recognizer queue ${spotter.recognizer.capacity * 8} + 16, bar values 32)`);
