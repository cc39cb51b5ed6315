// Two builds from the same sources:
//  - dist/node/*.js: the Node package (library, CLI and host tools), ES modules;
//  - dist/xs/tflite-xs.js: one script of core + kernels for the XS engine, which defines a
//    global `tflite` (what `tflite-xs run --engine xs` and the tests evaluate inside xsnap).
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { builtinModules } from 'node:module';

const nodeExternal = id => id.startsWith('node:') || builtinModules.includes(id) || /^[@a-z]/.test(id) && !id.startsWith('@/');
// Type errors are reported but do not stop the bundle; `npm run typecheck` fails on them.
const ts = () => typescript({ tsconfig: './tsconfig.json', outputToFilesystem: false, noEmitOnError: false });

export default [
  {
    input: {
      index: 'src/index.ts',
      cli: 'src/host/cli.ts',
      host: 'src/host/index.ts',
      bench: 'src/host/bench-cli.ts',
    },
    output: { dir: 'dist/node', format: 'es', chunkFileNames: '[name].js', sourcemap: false },
    external: nodeExternal,
    plugins: [ts()],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/xs/tflite-xs.js', format: 'iife', name: 'tflite', sourcemap: false },
    plugins: [nodeResolve(), ts()],
  },
];
