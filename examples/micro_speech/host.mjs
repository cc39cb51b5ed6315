#!/usr/bin/env node
// The micro_speech app on the host: each WAV file (16 kHz, 16-bit mono) is the sound a microphone
// would hear, fed to the device app (app.ts) in 20 ms chunks, followed by half a second of
// silence, inside the XS engine (xsnap) or in Node. Each file is a stream of its own (the
// preprocessor's state and the recognizer start afresh). The app's serial log comes out here
// ("Heard yes (255) @1300ms" for each new command), then the file's verdict: the word heard last,
// or silence when none was. What the display shows when the verdict was heard is written as a PNG
// per file. The last line printed is the last file's verdict.
//   node examples/micro_speech/host.mjs [FILE.wav...] [--engine xs|node] [--out DIR]
// Without files: TFLM's four test recordings (yes, no, silence, noise).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt, parseHostArgs, startBridgedWorker } from '../lib/xs-host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DIST = {
  host: path.join(root, 'dist/node/host.js'),
  app: path.join(root, 'dist/examples/micro-speech-app.js'),
  xs: path.join(root, 'dist/examples/micro-speech-xs.js'),
};
export const MODELS = Object.freeze({
  preprocessor: path.join(here, 'audio_preprocessor_int8.tflite'),
  keyword: path.join(here, 'micro_speech_quantized.tflite'),
});
export const DEFAULT_FILES = Object.freeze(['yes', 'no', 'silence', 'noise'].map(word => path.join(here, `${word}_1000ms.wav`)));
/** Samples of silence after each file: 500 ms, time for the smoothing to hear a word at its end. */
export const TAIL = 8000;
/** Samples a microphone hands over at a time: one stride, 20 ms. */
export const CHUNK = 320;
const SCREEN = Object.freeze({ width: 240, height: 320 });
const USAGE = 'usage: node examples/micro_speech/host.mjs [FILE.wav ...] [--engine xs|node] [--out DIR]';

export function parseArgs(argv) {
  return parseHostArgs(argv, { usage: USAGE, out: path.join(root, 'out/micro_speech'), defaults: DEFAULT_FILES });
}

/** The file's samples, then the tail of silence, in microphone-sized chunks. */
function* chunks(samples) {
  const all = new Int16Array(samples.length + TAIL);
  all.set(samples);
  for (let at = 0; at < all.length; at += CHUNK) yield all.subarray(at, Math.min(all.length, at + CHUNK));
}

/**
 * The device app in the XS engine: one command makes the spotter, then per file (after onFile(i))
 * a reset and one command per chunk. Returns, per file, the computrons its chunks cost (windows,
 * inferences, drawing, log).
 */
export async function runInXs({ models, clips, screen, sink, onFile }) {
  const worker = await startBridgedWorker({ name: 'micro_speech', bundle: DIST.xs, screen, sink });
  const computrons = [];
  try {
    await worker.issueCommand(startMessage(models, screen));
    for (let i = 0; i < clips.length; i++) {
      onFile(i);
      await worker.issueCommand(opMessage(2));
      let total = 0;
      for (const chunk of chunks(clips[i])) {
        const { meterUsage } = await worker.issueCommand(opMessage(1, chunk));
        total += meterUsage.compute;
      }
      computrons.push(total);
    }
  } finally {
    await worker.close();
  }
  return computrons;
}

export function startMessage(models, screen, extra = {}) {
  const header = new TextEncoder().encode(JSON.stringify({
    width: screen.width, height: screen.height, preprocessorBytes: models.preprocessor.length, keywordBytes: models.keyword.length, ...extra,
  }));
  const message = new Uint8Array(4 + header.length + models.preprocessor.length + models.keyword.length);
  new DataView(message.buffer).setUint32(0, header.length, true);
  message.set(header, 4);
  message.set(models.preprocessor, 4 + header.length);
  message.set(models.keyword, 4 + header.length + models.preprocessor.length);
  return message;
}

export function opMessage(op, samples = new Int16Array(0)) {
  const message = new Uint8Array(8 + samples.byteLength);
  new DataView(message.buffer).setUint32(4, op, true);
  message.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), 8);
  return message;
}

/** The device app in Node, on the same bundle of the library the tests use. */
export async function runInNode({ models, clips, screen, sink, onFile }) {
  const { KeywordSpotter } = await import(pathToFileURL(DIST.app).href);
  const spotter = new KeywordSpotter({ preprocessor: models.preprocessor, keyword: models.keyword, display: screen, sink });
  for (let i = 0; i < clips.length; i++) {
    onFile(i);
    spotter.reset();
    for (const chunk of chunks(clips[i])) spotter.feed(chunk);
  }
  return null;
}

export async function main(argv = process.argv.slice(2), log = line => console.log(line)) {
  const options = parseArgs(argv);
  ensureBuilt(Object.values(DIST), log);
  const host = await import(pathToFileURL(DIST.host).href);
  const { lastHeard } = await import(pathToFileURL(DIST.app).href);
  const models = {
    preprocessor: new Uint8Array(fs.readFileSync(MODELS.preprocessor)),
    keyword: new Uint8Array(fs.readFileSync(MODELS.keyword)),
  };
  const clips = [], pngs = [];
  fs.mkdirSync(options.out, { recursive: true });
  for (const file of options.files) {
    const wav = host.readWav(new Uint8Array(fs.readFileSync(file)), path.relative(process.cwd(), file));
    if (wav.sampleRate !== 16000) throw new Error(`${file} is sampled at ${wav.sampleRate} Hz; the models need 16000 Hz`);
    clips.push(wav.samples);
    pngs.push(path.join(options.out, `${path.basename(file).replace(/\.[^.]*$/, '')}.png`));
  }
  const screen = new host.PngScreen(SCREEN);
  // Each file's log lines; the screen is saved when a command is heard (the app logs it after
  // drawing), and at the end of the file when none was.
  const perFile = clips.map(() => []);
  let current = -1;
  const sink = {
    write: line => {
      if (current >= 0) {
        perFile[current].push(line);
        if (line.startsWith('Heard ')) screen.writePNG(pngs[current]);
      }
      log(line);
    },
  };
  const verdicts = [];
  const finish = i => {
    if (!perFile[i].some(line => line.startsWith('Heard '))) screen.writePNG(pngs[i]);
    verdicts.push(lastHeard(perFile[i]));
    log(`${path.relative(process.cwd(), options.files[i])}: ${verdicts[i]}`);
  };
  const onFile = i => {
    if (current >= 0) finish(current);
    current = i;
    log(`\n${path.relative(process.cwd(), options.files[i])} -> ${path.relative(process.cwd(), pngs[i])}`);
  };
  log(`micro_speech in ${options.engine === 'xs' ? 'the XS engine (xsnap)' : 'Node'}: ${clips.length} file(s), 16 kHz`);
  const run = options.engine === 'xs' ? runInXs : runInNode;
  const computrons = await run({ models, clips, screen, sink, onFile });
  if (current >= 0) finish(current);
  if (computrons) log(`computrons per file (its sound + 0.5 s of silence: windows, inferences, drawing, log): ${computrons.join(', ')}`);
  log(verdicts[verdicts.length - 1]);
  return { verdicts, perFile, pngs, screen, computrons };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(error => {
    console.error(`micro_speech: ${error.message}`);
    process.exit(1);
  });
}
