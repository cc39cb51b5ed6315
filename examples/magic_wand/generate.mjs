#!/usr/bin/env node
// Writes the example's held-out traces: traces/<gesture>.csv (what host.mjs replays, "t_ms,x,y,z"
// in m/s² as an ECMA-419 accelerometer's sample() gives them) and traces.bin (the same samples as
// int16 LE milli-g, the Resource main.ts replays on a board without the sensor).
// They come from gestures.ts with seed 2026 (training uses seed 1, the test set seed 7): for each
// gesture the first example of that label the seed yields. The training data are not written:
// train.ts synthesizes them at train time (1200 examples in about a second).
//   node examples/magic_wand/generate.mjs [--seed N] [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
export const TRACE_SEED = 2026;

export async function writeTraces({ seed = TRACE_SEED, out = here } = {}) {
  const { generate, traceCsv, parseTraceCsv, LABELS, SAMPLES, AXES } = await import(pathToFileURL(path.join(root, 'dist/examples/magic-wand-gestures.js')).href);
  const { encodeTrace } = await import(pathToFileURL(path.join(root, 'dist/examples/magic-wand-app.js')).href);
  const set = generate(16, seed);
  fs.mkdirSync(path.join(out, 'traces'), { recursive: true });
  const parts = [];
  for (let label = 0; label < LABELS.length; label++) {
    const index = set.labels.indexOf(label);
    const csv = traceCsv(set.data, index * SAMPLES * AXES);
    fs.writeFileSync(path.join(out, 'traces', `${LABELS[label]}.csv`), csv);
    parts.push(encodeTrace(parseTraceCsv(csv)));
  }
  const bin = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { bin.set(p, at); at += p.length; }
  fs.writeFileSync(path.join(out, 'traces.bin'), bin);
  return { labels: LABELS, bin };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const options = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') options.seed = Number(args[++i]);
    else if (args[i] === '--out') options.out = path.resolve(args[++i]);
    else { console.error('usage: node examples/magic_wand/generate.mjs [--seed N] [--out DIR]'); process.exit(2); }
  }
  const { labels, bin } = await writeTraces(options);
  console.log(`traces/${labels.join('.csv, traces/')}.csv and traces.bin (${bin.length} bytes)`);
}
