// Files the host code reads beside itself (dist/xs/tflite-xs.js, src/, package.json, ../shared)
// are found from the package root, so the same code works bundled into dist/node or dist/dev and
// run from src/ by the tests' loader (test-host/lib/ts-register.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the package.json named "tflite-xs" that holds this module. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'tflite-xs') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json of tflite-xs above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package root. */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
