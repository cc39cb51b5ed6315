// The unrolled loops are generated (tools/gen-unrolled.mjs): the checked-in files must be
// exactly what the generator writes, so an edit to either alone fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/cases.mjs';
import { FILES } from '../tools/gen-unrolled.mjs';

test('every generated file equals the generator output', () => {
  assert.ok(Object.keys(FILES).length > 0);
  for (const [file, make] of Object.entries(FILES)) {
    assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), make(), `${file}: run node tools/gen-unrolled.mjs`);
  }
});
