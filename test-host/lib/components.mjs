// "tflite-xs/components" (dist/node/components.js) from the sources.
export * from '../../src/components/index.ts';
