// An XS bundle of the device API with the components (dist/xs/tflite-xs.js holds the core and the
// kernels only): built from dist/node by rollup into one script that defines `tflite`, for tests
// that run Model, Board and the Profiler inside the XS engine. Needs `npm run build` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './cases.mjs';

export async function buildApiBundle() {
  const { rollup } = await import('rollup');
  const entry = '\0xs-api-entry';
  const source = [
    `export * from ${JSON.stringify(path.join(root, 'dist/node/index.js'))};`,
    `export { Model, Board, Emitter } from ${JSON.stringify(path.join(root, 'dist/node/components.js'))};`,
  ].join('\n');
  const bundle = await rollup({
    input: entry,
    plugins: [{ name: 'xs-api-entry', resolveId: id => (id === entry ? id : null), load: id => (id === entry ? source : null) }],
    onwarn() {},
  });
  const { output } = await bundle.generate({ format: 'iife', name: 'tflite' });
  await bundle.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tflite-xs-api-')), 'bundle.js');
  fs.writeFileSync(file, output[0].code);
  return file;
}

/**
 * XS heap slots one call of `step` creates, measured as the bench does: each command first
 * collects garbage, then calls `step` 10, 10 and 90 times; every command leaves a slot or so of
 * its own behind, so the third command's growth less the second's, over 80, is what one call made.
 * `step` is the name of a global function installed in the engine.
 */
export async function slotsPerCall(engine, step) {
  const run = n => engine.evaluate(`gc(); for (let i = 0; i < ${n}; i++) ${step}();`);
  const first = await run(10), second = await run(10), third = await run(90);
  return ((third.heapCount - second.heapCount) - (second.heapCount - first.heapCount)) / 80;
}
