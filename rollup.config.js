// Two builds from the same sources:
//  - dist/node/*.js: the Node package (library, CLI and host tools), ES modules, and beside it
//    dist/dev/*.js, the test tooling (fuzz, soak, bench, internals for the tests), not published;
//  - dist/xs/tflite-xs.js: one script of core + kernels for the XS engine, which defines a
//    global `tflite` (what `tflite-xs run --engine xs` and the tests evaluate inside xsnap);
//  - dist/espruino/tflite-xs.js: the Espruino module "tflite-xs" (core, the kernels of
//    src/espruino/kernels.ts and create()), lowered to what Espruino runs by tools/espruino-lower.mjs.
// Every kernel module is an entry of its own (dist/node/kernels/<op>.js), so that
// "tflite-xs/kernels/<op>", the specifier a generated resolver imports, resolves in Node as on Moddable.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import { espruinoModule, espruinoKernels } from './tools/espruino-lower.mjs';

// flatbuffers (the model writer's Builder, Apache-2.0, no dependencies) is bundled: the
// installed package then has no runtime dependency at all (see "Install" in the README).
const BUNDLED = ['flatbuffers'];
const nodeExternal = id => id.startsWith('node:') || builtinModules.includes(id) || /^[@a-z]/.test(id) && !id.startsWith('@/') && !BUNDLED.includes(id);
// Type errors are reported but do not stop the bundle; `npm run typecheck` fails on them.
const ts = () => typescript({ tsconfig: './tsconfig.json', outputToFilesystem: false, noEmitOnError: false });

// The linear_regression example: its app and training for Node (ES modules) and its app for the
// XS engine (one script). It imports the library as 'tflite-xs/...', the module names the
// Moddable manifest (manifests/tflite-xs.json) gives it; here they map back to src/.
// The bare "tflite-xs" and "tflite-xs/<folder>" name the folder's index module, as package.json's
// exports and the manifest's module names do.
const librarySource = id => {
  if (id === 'tflite-xs') return `${process.cwd()}/src/index.ts`;
  if (!id.startsWith('tflite-xs/')) return null;
  const rest = id.slice(10);
  return fs.existsSync(`src/${rest}/index.ts`) ? `${process.cwd()}/src/${rest}/index.ts` : `${process.cwd()}/src/${rest}.ts`;
};
const exampleSpecifiers = { name: 'tflite-xs-specifiers', resolveId: librarySource };
const exampleExternal = id => librarySource(id) === null && nodeExternal(id);
// Kernels live in src/kernels and, grouped, in its subfolders (signal/) other than internal/.
const KERNEL_DIRS = ['', 'signal/'];
const kernelEntries = Object.fromEntries(KERNEL_DIRS.flatMap(dir => fs.readdirSync(`src/kernels/${dir}`).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(f => [`kernels/${dir}${f.slice(0, -3)}`, `src/kernels/${dir}${f}`])));
const DEV_DIR = `${process.cwd()}/src/dev/`;
const exampleTs = (name = 'linear_regression') => typescript({ tsconfig: `./examples/${name}/tsconfig.json`, outputToFilesystem: false, noEmitOnError: false, noEmit: false });

// The XS bundle alone: `rollup -c --environment ONLY:xs` (what the tests build when it is stale).
const XS_BUNDLE = {
  input: 'src/host/runtime/xs-bundle.ts',
  output: { file: 'dist/xs/tflite-xs.js', format: 'iife', name: 'tflite', sourcemap: false },
  plugins: [nodeResolve(), ts()],
};

export default process.env.ONLY === 'xs' ? [XS_BUNDLE] : [
  {
    // One build for the package (dist/node) and the test tooling (dist/dev), so both share the same
    // chunks (one Interpreter class, one set of errors). Chunks only dist/dev uses go there too:
    // package.json's "files" leaves dist/dev out of the published package.
    input: {
      'node/index': 'src/host/package-entry.ts',
      'node/cli': 'src/host/cli/cli.ts',
      'node/host': 'src/host/index.ts',
      'node/components': 'src/components/index.ts',
      'node/drivers': 'src/drivers/index.ts',
      'dev/bench': 'src/dev/bench-cli.ts',
      'dev/fuzz': 'src/dev/fuzz.ts',
      'dev/soak': 'src/dev/soak.ts',
      // Internal functions and test tooling for test-host/ only.
      'dev/testing': 'src/dev/testing.ts',
      ...Object.fromEntries(Object.entries(kernelEntries).map(([name, file]) => [`node/${name}`, file])),
    },
    output: {
      dir: 'dist',
      format: 'es',
      chunkFileNames: chunk => (chunk.moduleIds.length && chunk.moduleIds.every(id => id.startsWith(DEV_DIR)) ? 'dev/[name].js' : 'node/[name].js'),
      sourcemap: false,
    },
    external: nodeExternal,
    plugins: [nodeResolve({ resolveOnly: BUNDLED }), ts()],
  },
  XS_BUNDLE,
  {
    input: 'src/espruino/index.ts',
    output: { file: 'dist/espruino/tflite-xs.js', format: 'iife', name: 'tflite', strict: false, esModule: false, freeze: false, sourcemap: false },
    // ESPRUINO_OPS=FULLY_CONNECTED,SOFTMAX npm run build: a module with only those kernels.
    plugins: [espruinoKernels(process.env.ESPRUINO_OPS ? process.env.ESPRUINO_OPS.split(',').map(s => s.trim()).filter(Boolean) : []), nodeResolve(), ts(), espruinoModule({ banner: '// tflite-xs for Espruino: require("tflite-xs").create(model). Apache-2.0. Built from the TypeScript sources; do not edit.\n' })],
  },
  {
    input: { 'linear-regression-app': 'examples/linear_regression/app.ts', 'linear-regression-train': 'examples/linear_regression/train.ts' },
    output: { dir: 'dist/examples', format: 'es', chunkFileNames: '[name].js', sourcemap: false },
    external: exampleExternal,
    plugins: [exampleSpecifiers, exampleTs()],
  },
  {
    input: 'examples/linear_regression/xs-main.ts',
    output: { file: 'dist/examples/linear-regression-xs.js', format: 'iife', sourcemap: false },
    plugins: [exampleSpecifiers, nodeResolve(), exampleTs()],
  },
  // The person_detection example: its device app for Node and for the XS engine.
  {
    input: { 'person-detection-app': 'examples/person_detection/app.ts' },
    output: { dir: 'dist/examples', format: 'es', chunkFileNames: '[name].js', sourcemap: false },
    external: exampleExternal,
    plugins: [exampleSpecifiers, exampleTs('person_detection')],
  },
  {
    input: 'examples/person_detection/xs-main.ts',
    output: { file: 'dist/examples/person-detection-xs.js', format: 'iife', sourcemap: false },
    plugins: [exampleSpecifiers, nodeResolve(), exampleTs('person_detection')],
  },
  // The magic_wand example: its device app, data synthesizer and training for Node, its app for XS.
  {
    input: { 'magic-wand-app': 'examples/magic_wand/app.ts', 'magic-wand-train': 'examples/magic_wand/train.ts', 'magic-wand-gestures': 'examples/magic_wand/gestures.ts' },
    output: { dir: 'dist/examples', format: 'es', chunkFileNames: '[name].js', sourcemap: false },
    external: exampleExternal,
    plugins: [exampleSpecifiers, exampleTs('magic_wand')],
  },
  {
    input: 'examples/magic_wand/xs-main.ts',
    output: { file: 'dist/examples/magic-wand-xs.js', format: 'iife', sourcemap: false },
    plugins: [exampleSpecifiers, nodeResolve(), exampleTs('magic_wand')],
  },
  // The micro_speech example: its device app for Node and for the XS engine.
  {
    input: { 'micro-speech-app': 'examples/micro_speech/app.ts' },
    output: { dir: 'dist/examples', format: 'es', chunkFileNames: '[name].js', sourcemap: false },
    external: exampleExternal,
    plugins: [exampleSpecifiers, exampleTs('micro_speech')],
  },
  {
    input: 'examples/micro_speech/xs-main.ts',
    output: { file: 'dist/examples/micro-speech-xs.js', format: 'iife', sourcemap: false },
    plugins: [exampleSpecifiers, nodeResolve(), exampleTs('micro_speech')],
  },
];
