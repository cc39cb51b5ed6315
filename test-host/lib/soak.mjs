// The soak test (dist/dev/soak.js) from the sources.
export * from '../../src/dev/soak.ts';
