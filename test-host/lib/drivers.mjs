// "tflite-xs/drivers" (dist/node/drivers.js) from the sources.
export * from '../../src/drivers/index.ts';
