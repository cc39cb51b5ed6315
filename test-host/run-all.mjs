#!/usr/bin/env node
// `npm test`: type check, the unit and integration tests (node's test runner), then the shared
// golden cases through the CLI on Node and inside XS. Ends with one "N passed, N failed" line
// that counts every test and every golden case.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
let passed = 0, failed = 0;
const problems = [];

function step(title, command, args, { parse } = {}) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = parse ? parse(r.stdout ?? '') : null;
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  }
  if (r.status !== 0 || r.error) {
    problems.push(`${title} (exit ${r.status ?? r.error?.message})`);
    if (!counts || counts.failed === 0) failed++;
  } else if (!counts) {
    passed++;
  }
  console.log(`== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s`);
}

const xsBinary = path.join(root, 'node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker');
if (!fs.existsSync(xsBinary)) {
  console.error(`The XS engine is not built (${xsBinary} is missing). @agoric/xsnap builds it in its install\n` +
    'script, which npm 11 runs only when approved: package.json\'s "allowScripts" approves it; run\n' +
    '`npm install-scripts approve @agoric/xsnap && npm rebuild @agoric/xsnap`, then `npm test` again.');
  process.exit(1);
}

step('type check (tsc --noEmit)', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
step('type check of the Moddable example', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/linear_regression']);
step('type check of the person_detection example', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/person_detection']);
step('type check of the magic_wand example', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/magic_wand']);
step('type check of the micro_speech example', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'examples/micro_speech']);

const testFiles = fs.readdirSync('test-host').filter(f => f.endsWith('.test.mjs')).sort().map(f => path.join('test-host', f));
// The tests read the sources through ts-register.mjs (tests still importing dist/ read the build).
step('unit and integration tests (node --test)', process.execPath, ['--import', './test-host/lib/ts-register.mjs', '--test', '--test-reporter=spec', ...testFiles], {
  parse: out => {
    const pass = out.match(/^ℹ pass (\d+)/m), fail = out.match(/^ℹ fail (\d+)/m);
    return pass ? { passed: Number(pass[1]), failed: Number(fail ? fail[1] : 0) } : null;
  },
});

const conformance = path.resolve(root, '../shared/tools/conformance.mjs');
if (fs.existsSync(conformance)) {
  for (const engine of ['node', 'xs']) {
    step(`shared golden cases on ${engine}`, process.execPath, [conformance, '--engine', engine, '--timeout', '300'], {
      parse: out => {
        const m = out.match(/^(\d+) passed, (\d+) failed/m);
        return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
      },
    });
  }
} else {
  console.log(`\n(no ${conformance}: the shared golden cases were not run)`);
}

console.log('');
if (problems.length) console.log(`failed steps: ${problems.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || problems.length ? 1 : 0);
