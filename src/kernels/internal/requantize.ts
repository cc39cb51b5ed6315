// The fast per-value requantization lives with the other forms in quantization.ts (which says
// when each holds); this module keeps its import path for the kernels that use it.
export { requantizeInt32 } from './quantization.js';
