// Device code (src/core, src/kernels, src/drivers, src/components) runs on XS, preloaded into
// flash: no Node modules, no Buffer or process, no module-level mutable bindings, and it never
// imports host code. The hardened-XS test proves the behaviour; this names the offending line.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['src/core', 'src/kernels', 'src/drivers', 'src/components'];

function files(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

const rules = [
  [/from\s+['"]node:|require\(/, 'imports a Node module'],
  [/from\s+['"][./]*\.\.\/(host|dev)\//, 'imports host code or test tooling'],
  [/\bBuffer\b|\bprocess\./, 'uses a Node global'],
  [/^(let|var|export let|export var)\s/, 'declares module-level mutable state'],
];

test('device code is XS- and preload-safe', () => {
  const problems = [];
  for (const dir of dirs) {
    for (const file of files(dir)) {
      const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const [re, what] of rules) if (re.test(line)) problems.push(`${file}:${i + 1} ${what}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(problems, []);
});
