// dist/node/kernels/all.js from the sources: allOps() and ALL_KERNELS.
export * from '../../src/kernels/all.ts';
