// Reads the shared golden cases (../shared/fixtures/cases) for tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.resolve(root, '../shared/fixtures');
export const casesDir = path.join(fixturesDir, 'cases');
export const haveCases = fs.existsSync(casesDir);

/**
 * For node:test's `skip`: false when ../shared/fixtures/<part> is here, else the message saying
 * what is missing. A clone without ../shared (a checkout of the shared fixtures beside this one)
 * skips the tests that need it instead of failing on ENOENT.
 */
export function needsShared(part = 'cases') {
  return !fs.existsSync(path.join(fixturesDir, part)) && `needs ../shared/fixtures/${part} (the shared fixtures, a checkout beside this package)`;
}
export const noCases = needsShared('cases');

const TYPED = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array };

export function bytesOf(file) {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
}

/** Every case (or those whose name contains `only`): model, inputs and expected outputs as bytes. */
export function loadCases(only = '') {
  if (!haveCases) return [];
  return fs.readdirSync(casesDir).filter(d => d.includes(only) && fs.existsSync(path.join(casesDir, d, 'case.json'))).sort().map(name => {
    const dir = path.join(casesDir, name);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
    return {
      name,
      steps: spec.steps ?? 1,
      model: bytesOf(path.join(dir, spec.model)),
      inputs: spec.inputs.map(i => bytesOf(path.join(dir, i.file))),
      outputs: spec.outputs.map(o => ({ bytes: bytesOf(path.join(dir, o.file)), dtype: o.dtype, tolerance: o.tolerance ?? 0 })),
    };
  });
}

/** Largest element difference between two output byte buffers of `dtype`, or Infinity on length mismatch. */
export function worstDifference(dtype, got, want) {
  const T = TYPED[dtype];
  const a = new T(got.slice().buffer), b = new T(want.slice().buffer);
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
