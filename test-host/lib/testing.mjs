// The test tooling and internals (dist/dev/testing.js) from the sources.
export * from '../../src/dev/testing.ts';
