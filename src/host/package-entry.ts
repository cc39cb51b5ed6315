// What `import ... from "tflite-xs"` gives in Node: the device API (src/index.ts, which a Moddable
// app gets under the same name) plus allOps() and ALL_KERNELS, for host tools and scripts that
// load any model. On a device "tflite-xs" stays kernel-free, so an app's flash holds only the
// kernels its resolver names; code written for the device runs unchanged here.
export * from '../index.js';
export { allOps, ALL_KERNELS } from '../kernels/all.js';
