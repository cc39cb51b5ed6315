#!/usr/bin/env node
// Converts tests that import the build (../dist/...) to the sources through test-host/lib/ (see
// README, "Development"): node tools/tests-from-src.mjs test-host/FILE.test.mjs ... rewrites the
// files in place and prints what it changed and what is left to do by hand.
import fs from 'node:fs';

const MAP = {
  '../dist/node/index.js': './lib/tflite.mjs',
  '../dist/node/kernels/all.js': './lib/kernels-all.mjs',
  '../dist/node/kernels/index.js': './lib/kernels.mjs',
  '../dist/node/host.js': './lib/host.mjs',
  '../dist/node/components.js': './lib/components.mjs',
  '../dist/node/drivers.js': './lib/drivers.mjs',
  '../dist/node/testing.js': './lib/testing.mjs',
  '../dist/dev/testing.js': './lib/testing.mjs',
  '../dist/node/fuzz.js': './lib/fuzz.mjs',
  '../dist/dev/fuzz.js': './lib/fuzz.mjs',
  '../dist/node/soak.js': './lib/soak.mjs',
  '../dist/dev/soak.js': './lib/soak.mjs',
};
// What tflite-xs/host no longer exports: the test tooling, now in ./lib/testing.mjs.
const TESTING = ['lstmFloatOracle', 'generateCase', 'caseSeed', 'caseBytes', 'referenceForm', 'referenceTolerance', 'REFERENCE_DIFFERENCES', 'runOurs', 'compareOutputs', 'hasKernel', 'DIFF_OPS', 'Rng', 'quantFor', 'randomData', 'quantizeValues', 'CaseBuilder', 'opTable', 'withOpTable'];

for (const file of process.argv.slice(2)) {
  const before = fs.readFileSync(file, 'utf8');
  let text = before;
  for (const [from, to] of Object.entries(MAP)) {
    const quoted = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    text = text.replace(new RegExp(`((?:from\\s+|import\\(\\s*)['"])${quoted}(['"])`, 'g'), `$1${to}$2`);
  }
  // Split the test tooling out of a static import from ./lib/host.mjs.
  text = text.replace(/import\s*\{([^}]*)\}\s*from\s*'\.\/lib\/host\.mjs';/g, (whole, list) => {
    const names = list.split(',').map(s => s.trim()).filter(Boolean);
    const tooling = names.filter(n => TESTING.includes(n.split(/\s+as\s+/)[0]));
    if (!tooling.length) return whole;
    const host = names.filter(n => !tooling.includes(n));
    return [host.length ? `import { ${host.join(', ')} } from './lib/host.mjs';` : '', `import { ${tooling.join(', ')} } from './lib/testing.mjs';`].filter(Boolean).join('\n');
  });
  if (text !== before) fs.writeFileSync(file, text);
  const left = [];
  if (/dist\//.test(text)) left.push('a path into dist/ is left: dist/examples/X-app.js becomes import(\'../examples/X/app.ts\'); a test that needs the build skips with builtSkip() from ./lib/build.mjs');
  if (/bin\/tflite-xs\.js/.test(text)) left.push('spawns bin/tflite-xs.js: use cli(...args) or cliCommand(...args) from ./lib/cli.mjs');
  if (/shared\/fixtures/.test(text) && !/needsShared|noCases/.test(text)) left.push('reads ../shared/fixtures: give those tests { skip: noCases } or needsShared(part) from ./lib/cases.mjs');
  console.log(`${file}: ${text === before ? 'unchanged' : 'converted'}${left.map(l => `\n  by hand: ${l}`).join('')}`);
}
