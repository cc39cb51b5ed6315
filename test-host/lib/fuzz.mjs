// The fuzzer (dist/dev/fuzz.js) from the sources.
export * from '../../src/dev/fuzz.ts';
