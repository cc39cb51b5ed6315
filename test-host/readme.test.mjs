// README.md must stay true: its operator table is the kernel registry's, and the commands it
// gives exist in package.json.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ALL_KERNELS } from './lib/kernels-all.mjs';
import { withOpTable } from './lib/testing.mjs';

const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

test('the README operator table is generated from the registry (run `npm run docs`)', () => {
  assert.equal(readme, withOpTable(readme, ALL_KERNELS));
});

test('every `npm run X` the README names is a package.json script', () => {
  for (const m of readme.matchAll(/npm run ([a-z_:-]+)/g)) assert.ok(pkg.scripts[m[1]], `npm run ${m[1]}`);
  assert.ok(readme.includes('npm install') && readme.includes('npm test'));
});
