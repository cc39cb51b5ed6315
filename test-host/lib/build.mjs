// What a test run from the sources needs built, built on demand:
//  - ensureXsBundle(): dist/xs/tflite-xs.js (the script the XS engine evaluates), rebuilt with
//    rollup when missing or older than a device source; one process builds, the others wait.
//  - builtSkip(...files): for the tests that need the rest of dist/ (examples, the packed
//    package): false when the files exist, else the skip message naming `npm run build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const XS_BUNDLE = path.join(root, 'dist/xs/tflite-xs.js');
const XS_SOURCES = ['src/index.ts', 'src/core', 'src/kernels', 'src/drivers', 'src/components', 'src/host/runtime/xs-bundle.ts'];

function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function xsBundleCurrent() {
  if (!fs.existsSync(XS_BUNDLE)) return false;
  const built = fs.statSync(XS_BUNDLE).mtimeMs;
  return XS_SOURCES.every(entry => newestMtime(path.join(root, entry)) <= built);
}

/** Synchronous, so that spawnSync-based helpers can call it too. */
export function ensureXsBundle() {
  if (xsBundleCurrent()) return;
  const lock = `${XS_BUNDLE}.lock`;
  fs.mkdirSync(path.dirname(XS_BUNDLE), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // Another test process builds it; a lock older than 10 minutes was left by a killed one.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      if (xsBundleCurrent()) return;
    }
  }
  try {
    if (xsBundleCurrent()) return;
    const rollup = path.join(root, 'node_modules/rollup/dist/bin/rollup');
    const r = spawnSync(process.execPath, [rollup, '-c', '--silent', '--environment', 'ONLY:xs'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the XS bundle failed (rollup -c --environment ONLY:xs):\n${r.stderr}${r.stdout}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function builtSkip(...files) {
  const missing = files.filter(file => !fs.existsSync(path.join(root, file)));
  return missing.length > 0 && `needs \`npm run build\` (${missing.join(', ')} missing)`;
}
