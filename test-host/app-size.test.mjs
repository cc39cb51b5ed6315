// The bench's app sizes: an example's device bundle holds the kernels its generated resolver
// names and no other, and a bundle that takes every kernel is measured as bigger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appSize, appSizes, formatAppSizes } from './lib/host.mjs';
import { root } from './lib/cases.mjs';

// Kernels are src/kernels/*.ts and, the Signal ops', src/kernels/signal/*.ts.
const KERNEL_FILES = [
  ...fs.readdirSync(path.join(root, 'src/kernels')).filter(f => f.endsWith('.ts') && f !== 'index.ts' && f !== 'all.ts'),
  ...fs.readdirSync(path.join(root, 'src/kernels/signal')).filter(f => f.endsWith('.ts')).map(f => `signal/${f}`),
];

test('linear_regression: the bundle carries FULLY_CONNECTED and its internal modules, no other kernel', async () => {
  const [size] = await appSizes({ examples: ['linear_regression'] });
  assert.equal(size.name, 'linear_regression');
  assert.deepEqual(size.kernels, ['fully_connected']);
  assert.ok(size.libraryModules.includes('core/interpreter') && size.libraryModules.includes('components/model'));
  // Another kernel's module, not FULLY_CONNECTED's own internal helpers (its E.convolve path).
  assert.ok(!size.libraryModules.some(m => /^kernels\/[^/]*(conv|pool|softmax)/.test(m)), size.libraryModules.join(' '));
  assert.ok(size.bytes > 10000, `${size.bytes} bytes`);
  assert.match(formatAppSizes([size]), /^linear_regression: \d+ bytes, 1 kernel \(fully_connected\), \d+ library modules$/);
});

test('magic_wand: a module its tsconfig maps to declarations only (the SDK\'s LIS3DH driver) stays the device\'s', async () => {
  const [size] = await appSizes({ examples: ['magic_wand'] });
  assert.deepEqual(size.kernels, ['average_pool_2d', 'conv_2d', 'fully_connected', 'max_pool_2d', 'reshape', 'softmax']);
  assert.ok(size.bytes > 10000, `${size.bytes} bytes`);
});

test('an app that registers every kernel measures bigger, with every kernel in it', async () => {
  // A root of its own for the two apps (inside the package, where the TypeScript plugin compiles
  // files); src/ is this package's.
  const dir = path.join(root, 'out', `app-size-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const app = (name, body) => {
    fs.mkdirSync(path.join(dir, 'examples', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'examples', name, 'main.ts'), body);
    fs.writeFileSync(path.join(dir, 'examples', name, 'tsconfig.json'), JSON.stringify({
      extends: path.join(root, 'tsconfig.json'),
      compilerOptions: { rootDir: '/', paths: { 'tflite-xs': [path.join(root, 'src/index.ts')], 'tflite-xs/*': [path.join(root, 'src/*')] } },
      include: ['*.ts', path.join(root, 'src/**/*.ts')],
    }));
  };
  app('one', 'import { Interpreter, OpResolver } from "tflite-xs";\nimport { FULLY_CONNECTED } from "tflite-xs/kernels/fully_connected";\nexport const run = (m: Uint8Array) => new Interpreter(m, { resolver: new OpResolver([FULLY_CONNECTED]) });\n');
  app('every', 'import { Interpreter } from "tflite-xs";\nimport { allOps } from "tflite-xs/kernels/all";\nexport const run = (m: Uint8Array) => new Interpreter(m, { resolver: allOps() });\n');
  try {
    const srcDir = path.join(root, 'src');
    const one = await appSize('one', { root: dir, srcDir });
    const every = await appSize('every', { root: dir, srcDir });
    assert.deepEqual(one.kernels, ['fully_connected']);
    assert.deepEqual(every.kernels, KERNEL_FILES.map(f => f.slice(0, -3)).sort());
    assert.ok(every.bytes > 3 * one.bytes, `every kernel ${every.bytes} bytes, one ${one.bytes}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
