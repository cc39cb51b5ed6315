// "tflite-xs/kernels" (dist/node/kernels/index.js) from the sources: every kernel by name.
export * from '../../src/kernels/index.ts';
