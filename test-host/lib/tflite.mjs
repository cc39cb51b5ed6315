// The library as the tests import it: `import ... from './lib/tflite.mjs'` is `from 'tflite-xs'` in
// Node (dist/node/index.js), read from the sources. Needs ts-register.mjs (see README, Development).
export * from '../../src/host/package-entry.ts';
