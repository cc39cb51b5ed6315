#!/usr/bin/env node
// The person detection app on the host: each image (BMP or PNG, gray or color; fitted to 96 × 96)
// is a camera frame for the device app (app.ts), run inside the XS engine (xsnap) or in Node.
// The app's serial log comes out here (the two scores, then the verdict), and what its display
// shows is written as a PNG per image. The last line printed is the last image's verdict.
//   node examples/person_detection/host.mjs [IMAGE...] [--engine xs|node] [--out DIR]
// Without images: the example's person.bmp and no_person.bmp (TFLM's test images).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt, parseHostArgs, startBridgedWorker } from '../lib/xs-host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DIST = {
  host: path.join(root, 'dist/node/host.js'),
  components: path.join(root, 'dist/node/components.js'),
  app: path.join(root, 'dist/examples/person-detection-app.js'),
  xs: path.join(root, 'dist/examples/person-detection-xs.js'),
};
export const FRAME = Object.freeze({ width: 96, height: 96 });
export const DEFAULT_IMAGES = Object.freeze([path.join(here, 'person.bmp'), path.join(here, 'no_person.bmp')]);
const USAGE = 'usage: node examples/person_detection/host.mjs [IMAGE.bmp|IMAGE.png ...] [--engine xs|node] [--out DIR]';

export function parseArgs(argv) {
  return parseHostArgs(argv, { usage: USAGE, out: path.join(root, 'out/person_detection'), defaults: DEFAULT_IMAGES });
}

/**
 * The device app in the XS engine: one command loads the model and the frames, then one command
 * per frame. Returns the computrons each frame cost (camera copy, inference, drawing, log).
 */
export async function runInXs({ model, frames, screen, sink, onFrame }) {
  const worker = await startBridgedWorker({ name: 'person_detection', bundle: DIST.xs, screen, sink });
  const computrons = [];
  try {
    const header = new TextEncoder().encode(JSON.stringify({
      width: screen.width, height: screen.height, frameWidth: FRAME.width, frameHeight: FRAME.height, frames: frames.length, modelBytes: model.length,
    }));
    const size = FRAME.width * FRAME.height;
    const message = new Uint8Array(4 + header.length + model.length + frames.length * size);
    new DataView(message.buffer).setUint32(0, header.length, true);
    message.set(header, 4);
    message.set(model, 4 + header.length);
    frames.forEach((frame, i) => message.set(frame, 4 + header.length + model.length + i * size));
    await worker.issueCommand(message);
    for (let i = 0; i < frames.length; i++) {
      const { meterUsage } = await worker.issueCommand(new Uint8Array(4));
      computrons.push(meterUsage.compute);
      onFrame(i);
    }
  } finally {
    await worker.close();
  }
  return computrons;
}

/** The device app in Node, on the same bundle of the library the tests use. */
export async function runInNode({ model, frames, screen, sink, onFrame }) {
  const { PersonDetector } = await import(pathToFileURL(DIST.app).href);
  const { RecordedCamera, grayFrame } = await import(pathToFileURL(DIST.components).href);
  const camera = new RecordedCamera({ frames: frames.map(f => grayFrame(f, FRAME.width, FRAME.height)) });
  const detector = new PersonDetector({ model, camera, display: screen, sink });
  for (let i = 0; i < frames.length; i++) {
    detector.detect();
    onFrame(i);
  }
  return null;
}

/** "person score: 0.94" / "no person score: 0.06" / "person" triples out of log lines. */
export function detections(lines) {
  const found = [];
  let person = null, noPerson = null;
  for (const line of lines) {
    let m;
    if ((m = /^person score: (\d\.\d\d)$/.exec(line))) person = Number(m[1]);
    else if ((m = /^no person score: (\d\.\d\d)$/.exec(line))) noPerson = Number(m[1]);
    else if ((line === 'person' || line === 'no person') && person !== null && noPerson !== null) {
      found.push({ person, noPerson, verdict: line });
      person = noPerson = null;
    }
  }
  return found;
}

export async function main(argv = process.argv.slice(2), log = line => console.log(line)) {
  const options = parseArgs(argv);
  ensureBuilt(Object.values(DIST), log);
  const host = await import(pathToFileURL(DIST.host).href);
  const model = new Uint8Array(fs.readFileSync(path.join(here, 'model.tflite')));
  const frames = [], pngs = [];
  fs.mkdirSync(options.out, { recursive: true });
  for (const file of options.files) {
    const image = host.readGrayImage(file);
    const frame = host.fitGrayImage(image, FRAME.width, FRAME.height);
    frames.push(frame.pixels);
    pngs.push(path.join(options.out, `${path.basename(file).replace(/\.[^.]*$/, '')}.png`));
  }
  const screen = new host.PngScreen({ width: 240, height: 320 });
  const lines = [];
  const sink = { write: line => { lines.push(line); log(line); } };
  // Announced before the frame's log, so that each image's verdict stays the last line of its block.
  let announced = 0;
  const announce = () => {
    if (announced >= options.files.length) return;
    const i = announced++;
    const file = options.files[i];
    log(`\n${path.relative(process.cwd(), file)} -> ${path.relative(process.cwd(), pngs[i])}`);
  };
  const onFrame = i => {
    screen.writePNG(pngs[i]);
    announce();
  };
  log(`person_detect in ${options.engine === 'xs' ? 'the XS engine (xsnap)' : 'Node'}: ${options.files.length} image(s), 96x96 gray`);
  announce();
  const run = options.engine === 'xs' ? runInXs : runInNode;
  const computrons = await run({ model, frames, screen, sink, onFrame });
  if (computrons) log(`computrons per frame (camera copy, inference, drawing, log): ${computrons.join(', ')}`);
  const found = detections(lines);
  if (found.length !== frames.length) throw new Error(`${found.length} verdicts for ${frames.length} images`);
  log(found[found.length - 1].verdict);
  return { found, lines, pngs, screen, computrons };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(error => {
    console.error(`person_detection: ${error.message}`);
    process.exit(1);
  });
}
