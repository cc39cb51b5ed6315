#!/usr/bin/env node
// The magic wand app on the host: each accelerometer trace (CSV, "t_ms,x,y,z" in m/s², 25 Hz;
// its last 128 samples are the window) is replayed through RecordedAccelerometer into the device
// app (app.ts), run inside the XS engine (xsnap) or in Node. The app's serial log comes out here
// (the four scores, then the gesture) and what its display shows is written as a PNG per trace.
// The last line printed is the last trace's gesture.
//   node examples/magic_wand/host.mjs [TRACE.csv...] [--engine xs|node] [--out DIR]
//   node examples/magic_wand/host.mjs --train [--epochs N] [--count N] [--update-example]
// Without traces: the example's held-out traces (traces/*.csv). With --train (what
// `npm run example:magic_wand` runs): first synthesize the data set, train the CNN with
// TensorFlow.js, convert it to int8 with our converter and measure it, then run that model.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBridgedWorker } from '../lib/xs-host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DIST = {
  host: path.join(root, 'dist/node/host.js'),
  index: path.join(root, 'dist/node/index.js'),
  app: path.join(root, 'dist/examples/magic-wand-app.js'),
  gestures: path.join(root, 'dist/examples/magic-wand-gestures.js'),
  train: path.join(root, 'dist/examples/magic-wand-train.js'),
  xs: path.join(root, 'dist/examples/magic-wand-xs.js'),
};
export const TRACE_NAMES = Object.freeze(['wing', 'ring', 'slope', 'negative']);
export const DEFAULT_TRACES = Object.freeze(TRACE_NAMES.map(name => path.join(here, 'traces', `${name}.csv`)));
/** The generated test set the README's accuracy is measured on: not the training seed. */
export const TEST_SET = Object.freeze({ count: 400, seed: 7 });
const WINDOW = 128;
const USAGE = 'usage: node examples/magic_wand/host.mjs [TRACE.csv ...] [--engine xs|node] [--out DIR] [--train [--epochs N] [--count N] [--update-example]]';

export function parseArgs(argv) {
  const options = { engine: 'xs', traces: [], out: path.join(root, 'out/magic_wand'), train: false, epochs: undefined, count: undefined, updateExample: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    const whole = () => {
      const n = Number(value());
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`${arg} takes a positive whole number`);
      return n;
    };
    if (arg === '--engine') options.engine = value();
    else if (arg === '--out') options.out = path.resolve(value());
    else if (arg === '--train') options.train = true;
    else if (arg === '--epochs') options.epochs = whole();
    else if (arg === '--count') options.count = whole();
    else if (arg === '--update-example') options.updateExample = true;
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else options.traces.push(path.resolve(arg));
  }
  if (!['xs', 'node'].includes(options.engine)) throw new Error(`--engine takes xs or node, not ${options.engine}`);
  if (!options.train && (options.epochs || options.count || options.updateExample)) throw new Error(`--epochs, --count and --update-example go with --train\n${USAGE}`);
  if (options.traces.length === 0) options.traces = [...DEFAULT_TRACES];
  return options;
}

function ensureBuilt(log) {
  if (Object.values(DIST).every(file => fs.existsSync(file))) return;
  log('(building with rollup first: dist/ is missing)');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
}

/** A trace file's last WINDOW samples as RecordedAccelerometer's bytes (int16 LE milli-g). */
export async function traceBytes(file) {
  const { parseTraceCsv } = await import(pathToFileURL(DIST.gestures).href);
  const { encodeTrace } = await import(pathToFileURL(DIST.app).href);
  const values = parseTraceCsv(fs.readFileSync(file, 'utf8'), path.basename(file));
  if (values.length < WINDOW * 3) throw new Error(`${file}: ${values.length / 3} samples; the model needs ${WINDOW} (5.12 s at 25 Hz)`);
  return encodeTrace(values.subarray(values.length - WINDOW * 3));
}

/**
 * The device app in the XS engine: one command loads the model and the samples, then one per
 * trace. Returns the computrons of each window (samples, inference, drawing, log) and of one
 * inference alone.
 */
export async function runInXs({ model, traces, screen, sink, onTrace, afterLoad }) {
  const worker = await startBridgedWorker({ name: 'magic_wand', bundle: DIST.xs, screen, sink });
  const windows = [];
  let inference = null;
  try {
    const header = new TextEncoder().encode(JSON.stringify({ width: screen.width, height: screen.height, modelBytes: model.length }));
    const samples = traces.reduce((n, t) => n + t.length, 0);
    const message = new Uint8Array(4 + header.length + model.length + samples);
    new DataView(message.buffer).setUint32(0, header.length, true);
    message.set(header, 4);
    message.set(model, 4 + header.length);
    let at = 4 + header.length + model.length;
    for (const t of traces) { message.set(t, at); at += t.length; }
    await worker.issueCommand(message);
    for (let i = 0; i < traces.length; i++) {
      const { meterUsage } = await worker.issueCommand(new Uint8Array(4));
      windows.push(meterUsage.compute);
      onTrace(i);
    }
    if (afterLoad) await afterLoad(worker);
    const one = new Uint8Array(4);
    one[0] = 1;
    inference = (await worker.issueCommand(one)).meterUsage.compute;
  } finally {
    await worker.close();
  }
  return { windows, inference };
}

/**
 * XS's live heap slots after commands of 1 and of `inferences` inferences (MagicWand.infer) on the
 * first window of `samples`, in turns: when an inference allocates nothing, both kinds of command
 * grow the heap by the same few slots (the command's own message and reply).
 */
export async function heapGrowth({ model, samples, inferences = 20, turns = 3 }) {
  const growth = { one: [], many: [] };
  const screen = { width: 240, height: 320, begin() {}, fillRectangle() {}, end() {} };
  await runInXs({
    model, traces: [samples.subarray(0, WINDOW * 6)], screen, sink: { write() {} }, onTrace() {},
    afterLoad: async worker => {
      const command = n => {
        const message = new Uint8Array(8);
        new DataView(message.buffer).setUint32(0, 1, true);
        new DataView(message.buffer).setUint32(4, n, true);
        return worker.issueCommand(message);
      };
      let last = (await command(1)).meterUsage.currentHeapCount;
      for (let t = 0; t < turns; t++) {
        for (const [key, n] of [['one', 1], ['many', inferences]]) {
          const now = (await command(n)).meterUsage.currentHeapCount;
          growth[key].push(now - last);
          last = now;
        }
      }
    },
  });
  return growth;
}

/** The device app in Node, on the same bundle of the library the tests use. Returns ms per inference. */
export async function runInNode({ model, traces, screen, sink, onTrace }) {
  const { MagicWand, RecordedAccelerometer } = await import(pathToFileURL(DIST.app).href);
  const bytes = new Uint8Array(traces.reduce((n, t) => n + t.length, 0));
  let at = 0;
  for (const t of traces) { bytes.set(t, at); at += t.length; }
  const wand = new MagicWand({ model, accelerometer: new RecordedAccelerometer({ samples: bytes }), display: screen, sink });
  for (let i = 0; i < traces.length; i++) {
    for (let k = 0; k < WINDOW; k++) wand.sample();
    wand.recognize();
    onTrace(i);
  }
  const runs = 200;
  for (let i = 0; i < 20; i++) wand.infer();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) wand.infer();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6 / runs };
}

/** "scores: wing 0.01, ring 0.97, slope 0.00, negative 0.02" then "ring", out of log lines. */
export function gestures(lines) {
  const found = [];
  let scores = null;
  for (const line of lines) {
    const m = /^scores: wing (\d\.\d\d), ring (\d\.\d\d), slope (\d\.\d\d), negative (\d\.\d\d)$/.exec(line);
    if (m) scores = m.slice(1).map(Number);
    else if (scores && TRACE_NAMES.includes(line)) {
      found.push({ scores, gesture: line });
      scores = null;
    }
  }
  return found;
}

/** Trains, converts to int8, measures on the generated test set; returns the int8 model's bytes. */
async function trainAndConvert(options, log) {
  const host = await import(pathToFileURL(DIST.host).href);
  const { train, predictClasses, representativeRows } = await import(pathToFileURL(DIST.train).href);
  const { generate, LABELS, SAMPLES, AXES } = await import(pathToFileURL(DIST.gestures).href);
  const started = Date.now();
  log('== 1. Train: synthetic wing / ring / slope / negative traces, Conv1D x 2 + Dense (TensorFlow.js, cpu backend)');
  const trained = await train({ epochs: options.epochs, count: options.count, log });
  log(`trained on ${trained.data.count} examples in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  log('\n== 2. Convert to int8 .tflite (tflite-xs converter, calibrated on 200 training examples)');
  const int8 = host.convert(trained.model, { quantize: 'int8', representativeData: representativeRows(trained.data) });
  fs.mkdirSync(options.out, { recursive: true });
  const modelPath = path.join(options.out, 'model.tflite');
  fs.writeFileSync(modelPath, int8);
  await host.saveLayersModel(trained.model, path.join(options.out, 'tfjs'));
  log(`int8: ${path.relative(process.cwd(), modelPath)} (${int8.length} bytes); float: ${path.relative(process.cwd(), path.join(options.out, 'tfjs/model.json'))}`);
  if (options.updateExample) {
    fs.writeFileSync(path.join(here, 'model.tflite'), int8);
    await host.saveLayersModel(trained.model, path.join(here, 'tfjs'));
    log(`updated ${path.relative(process.cwd(), path.join(here, 'model.tflite'))} and tfjs/`);
  }

  log(`\n== 3. Measure on a generated test set (${TEST_SET.count} examples, seed ${TEST_SET.seed}; training used seed 1)`);
  const test = generate(TEST_SET.count, TEST_SET.seed);
  const float = predictClasses(trained.model, test);
  const measured = measureInt8(await import(pathToFileURL(DIST.index).href), int8, test, SAMPLES * AXES);
  let floatRight = 0, int8Right = 0, agree = 0;
  for (let i = 0; i < test.count; i++) {
    floatRight += float[i] === test.labels[i] ? 1 : 0;
    int8Right += measured[i] === test.labels[i] ? 1 : 0;
    agree += measured[i] === float[i] ? 1 : 0;
  }
  const pct = n => `${(100 * n / test.count).toFixed(1)}%`;
  log(`accuracy: float (tfjs) ${pct(floatRight)}, int8 (tflite-xs) ${pct(int8Right)}; int8 agrees with float on ${pct(agree)} (labels ${LABELS.join(', ')})`);
  return int8;
}

/** The int8 model's class per example, through the interpreter in Node. */
export function measureInt8(library, bytes, set, width) {
  const interpreter = new library.Interpreter(bytes, { resolver: library.allOps() }).allocateTensors();
  const out = new Uint8Array(set.count);
  for (let i = 0; i < set.count; i++) {
    interpreter.input(0).quantize(set.data.subarray(i * width, (i + 1) * width));
    interpreter.invoke();
    const scores = interpreter.output(0).data;
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
    out[i] = best;
  }
  return out;
}

export async function main(argv = process.argv.slice(2), log = line => console.log(line)) {
  const options = parseArgs(argv);
  ensureBuilt(log);
  const host = await import(pathToFileURL(DIST.host).href);
  let model;
  if (options.train) {
    model = await trainAndConvert(options, log);
    log('');
  } else {
    model = new Uint8Array(fs.readFileSync(path.join(here, 'model.tflite')));
  }
  const traces = [], pngs = [];
  fs.mkdirSync(options.out, { recursive: true });
  for (const file of options.traces) {
    traces.push(await traceBytes(file));
    pngs.push(path.join(options.out, `${path.basename(file).replace(/\.[^.]*$/, '')}.png`));
  }
  const screen = new host.PngScreen({ width: 240, height: 320 });
  const lines = [];
  const sink = { write: line => { lines.push(line); log(line); } };
  let announced = 0;
  const announce = () => {
    if (announced >= options.traces.length) return;
    const i = announced++;
    log(`\n${path.relative(process.cwd(), options.traces[i])} -> ${path.relative(process.cwd(), pngs[i])}`);
  };
  const onTrace = i => {
    screen.writePNG(pngs[i]);
    announce();
  };
  log(`${options.train ? '== 4. ' : ''}magic_wand in ${options.engine === 'xs' ? 'the XS engine (xsnap)' : 'Node'}: ${options.traces.length} trace(s), ${WINDOW} samples at 25 Hz each`);
  announce();
  const run = options.engine === 'xs' ? runInXs : runInNode;
  const cost = await run({ model, traces, screen, sink, onTrace });
  if (cost.windows) log(`computrons per window (128 samples, inference, drawing, log): ${cost.windows.join(', ')}; one inference: ${cost.inference}`);
  if (cost.ms !== undefined) log(`one inference in Node: ${cost.ms.toFixed(3)} ms`);
  const found = gestures(lines);
  if (found.length !== traces.length) throw new Error(`${found.length} gestures for ${traces.length} traces`);
  log(found[found.length - 1].gesture);
  return { found, lines, pngs, screen, cost, model };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(error => {
    console.error(`magic_wand: ${error.message}`);
    process.exit(1);
  });
}
