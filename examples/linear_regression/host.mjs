#!/usr/bin/env node
// `npm start`: the whole example on the host, with no arguments needed.
//   1. train y = 2x - 1 with TensorFlow.js (pure JS cpu backend), progress as Keras prints it;
//   2. convert the trained model to .tflite with our converter (float32, and int8 too);
//   3. embed it the way a Moddable app would (resource + preload module, with their costs);
//   4. run the device app (app.ts) inside the XS engine (xsnap): 100 random x, the log lines
//      come back over the command channel, the plot's frames are drawn into a PNG framebuffer.
// Options: --engine xs|node  --int8  --seed N  --count N  --out DIR
//          --update-example  (also write the float model into this folder, where manifest.json takes it)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt, startBridgedWorker } from '../lib/xs-host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DIST = {
  host: path.join(root, 'dist/node/host.js'),
  train: path.join(root, 'dist/examples/linear-regression-train.js'),
  app: path.join(root, 'dist/examples/linear-regression-app.js'),
  xs: path.join(root, 'dist/examples/linear-regression-xs.js'),
};

export function parseArgs(argv) {
  const options = { engine: 'xs', int8: false, seed: undefined, count: 100, out: path.join(root, 'out/linear_regression'), updateExample: false, trainSeed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--engine') options.engine = value();
    else if (arg === '--int8') options.int8 = true;
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--count') options.count = Number(value());
    else if (arg === '--out') options.out = path.resolve(value());
    else if (arg === '--update-example') options.updateExample = true;
    else throw new Error(`unknown option ${arg} (options: --engine xs|node, --int8, --seed N, --count N, --out DIR, --update-example)`);
  }
  if (!['xs', 'node'].includes(options.engine)) throw new Error(`--engine takes xs or node, not ${options.engine}`);
  if (!(Number.isInteger(options.count) && options.count > 0)) throw new Error('--count takes a positive whole number');
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new Error('--seed takes a whole number');
  return options;
}

/** Runs the device app in the XS engine; log lines go to `sink`, frames onto `screen`. */
export async function runInXs({ model, screen, sink, count, seed }) {
  const worker = await startBridgedWorker({ name: 'linear_regression', bundle: DIST.xs, screen, sink });
  try {
    const header = new TextEncoder().encode(JSON.stringify({ width: screen.width, height: screen.height, count, seed }));
    const message = new Uint8Array(4 + header.length + model.length);
    new DataView(message.buffer).setUint32(0, header.length, true);
    message.set(header, 4);
    message.set(model, 4 + header.length);
    await worker.issueCommand(message);
  } finally {
    await worker.close();
  }
}

/** Runs the device app in Node, on the same bundle of the library the tests use. */
export async function runInNode({ model, screen, sink, count, seed }) {
  const { runExample } = await import(pathToFileURL(DIST.app).href);
  await new Promise((resolve, reject) => {
    const board = runExample({ model, display: screen, sink, count, seed, onDone: resolve });
    board.on('error', reject);
  });
}

/** "X Value: 0.14" / "Y Value: -0.52" pairs out of log lines. */
export function valuePairs(lines) {
  const pairs = [];
  let x = null;
  for (const line of lines) {
    const m = /^([XY]) Value: (-?\d+\.\d+)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'X') x = Number(m[2]);
    else if (x !== null) {
      pairs.push([x, Number(m[2])]);
      x = null;
    }
  }
  return pairs;
}

export async function main(argv = process.argv.slice(2), log = line => console.log(line)) {
  const options = parseArgs(argv);
  const started = Date.now();
  ensureBuilt(Object.values(DIST), log);
  const host = await import(pathToFileURL(DIST.host).href);
  const { train } = await import(pathToFileURL(DIST.train).href);
  fs.mkdirSync(options.out, { recursive: true });

  log('== 1. Train: one Dense unit, SGD, mean squared error, 200 epochs (TensorFlow.js, cpu backend)');
  const trained = await train({ seed: options.trainSeed, logEvery: 20, log });

  log('\n== 2. Convert to .tflite (tflite-xs converter)');
  const tfjsDir = path.join(options.out, 'tfjs');
  await host.saveLayersModel(trained.model, tfjsDir);
  const float = host.convert(trained.model);
  const int8 = host.convert(trained.model, { quantize: 'int8', representativeData: host.evenlySpaced(-1, 4, 100) });
  const floatPath = path.join(options.out, 'model.tflite');
  const int8Path = path.join(options.out, 'model_int8.tflite');
  fs.writeFileSync(floatPath, float);
  fs.writeFileSync(int8Path, int8);
  log(`tfjs model: ${path.relative(process.cwd(), path.join(tfjsDir, 'model.json'))}`);
  log(`float32:    ${path.relative(process.cwd(), floatPath)} (${float.length} bytes)`);
  log(`int8:       ${path.relative(process.cwd(), int8Path)} (${int8.length} bytes)`);
  if (options.updateExample) {
    fs.writeFileSync(path.join(here, 'model.tflite'), float);
    log(`updated ${path.relative(process.cwd(), path.join(here, 'model.tflite'))}`);
  }
  const model = options.int8 ? int8 : float;

  log('\n== 3. Embed for Moddable (tflite-xs embed)');
  const embedded = host.embed(model, { name: 'model', source: options.int8 ? int8Path : floatPath });
  const embedDir = path.join(options.out, 'embed');
  host.writeEmbedFiles(embedded, embedDir);
  const c = embedded.costs;
  log(`${path.relative(process.cwd(), embedDir)}/: model.tflite (resource) and model_data.js (preload module), with manifest fragments`);
  log(`flash: resource ${c.resourceFlash} bytes, preloaded module about ${c.preloadFlash} bytes; RAM: arena ${c.arenaBytes} bytes, weights stay in flash`);

  log(`\n== 4. Run the device app in ${options.engine === 'xs' ? 'the XS engine (xsnap)' : 'Node'}: ${options.count} random x in [0, 1)`);
  const screen = new host.PngScreen({ width: 240, height: 320 });
  const lines = [];
  const sink = { write: line => { lines.push(line); log(line); } };
  const run = options.engine === 'xs' ? runInXs : runInNode;
  await run({ model, screen, sink, count: options.count, seed: options.seed });
  const pngPath = path.join(options.out, 'plot.png');
  screen.writePNG(pngPath);

  const pairs = valuePairs(lines);
  const worst = pairs.reduce((m, [x, y]) => Math.max(m, Math.abs(y - (2 * x - 1))), 0);
  log(`\n${pairs.length} predictions; largest |y - (2x - 1)| of the printed values: ${worst.toFixed(3)}`);
  log(`plot: ${pngPath}`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { pairs, pngPath, screen, lines, float, int8 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(error => {
    console.error(`linear_regression: ${error.message}`);
    process.exit(1);
  });
}
