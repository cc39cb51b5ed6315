// What an example app carries: its device entry (examples/<name>/main.ts) bundled with rollup,
// tree-shaken, the library's specifiers mapped to src/ and the Moddable SDK's modules left out,
// so the bytes are the app's own JavaScript plus the library modules it really uses (the kernels
// of its generated resolver and nothing else). For `npm run bench`.
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

export interface AppSize {
  /** The example's folder name. */
  name: string;
  /** Bytes of the bundle (UTF-8, not minified). */
  bytes: number;
  /** Library modules in the bundle, relative to src/ ("kernels/fully_connected"), sorted. */
  libraryModules: string[];
  /** Kernel modules among them ("fully_connected"; not the all.ts / index.ts lists), sorted. */
  kernels: string[];
}

export interface AppSizeOptions {
  /** The package root (holding src/ and examples/); default the one beside this package's dist/. */
  root?: string;
  /** The library's src/; default root/src. */
  srcDir?: string;
  /** Example folder names; default every folder of examples/ with a main.ts. */
  examples?: string[];
}

/** The library module a "tflite-xs" specifier names (a folder's name means its index). */
function librarySource(srcDir: string, id: string): string | null {
  if (id === 'tflite-xs') return path.join(srcDir, 'index.ts');
  if (!id.startsWith('tflite-xs/')) return null;
  const rest = id.slice('tflite-xs/'.length);
  const index = path.join(srcDir, rest, 'index.ts');
  return fs.existsSync(index) ? index : path.join(srcDir, `${rest}.ts`);
}

/** Bundles one example's device app; see the module comment. */
export async function appSize(name: string, options: AppSizeOptions = {}): Promise<AppSize> {
  const root = path.resolve(options.root ?? packageRoot());
  const srcDir = path.resolve(options.srcDir ?? path.join(root, 'src'));
  const dir = path.join(root, 'examples', name);
  const entry = path.join(dir, 'main.ts');
  if (!fs.existsSync(entry)) throw new Error(`examples/${name} has no main.ts`);
  const { rollup } = await import('rollup');
  const { default: typescript } = await import('@rollup/plugin-typescript');
  const tsconfig = fs.existsSync(path.join(dir, 'tsconfig.json')) ? path.join(dir, 'tsconfig.json') : path.join(root, 'tsconfig.json');
  // A module the example's manifest picks per platform (micro_speech's "audio-input") is the one
  // its tsconfig maps for the type check; one mapped to declarations only (magic_wand's
  // lis3dh.d.ts, for the SDK's LIS3DH driver) is the device's.
  const own = (id: string): string | null => {
    const paths = tsconfig.startsWith(dir) ? (JSON.parse(fs.readFileSync(tsconfig, 'utf8')).compilerOptions?.paths ?? {}) : {};
    if (id.startsWith('tflite-xs') || !Array.isArray(paths[id]) || String(paths[id][0]).endsWith('.d.ts')) return null;
    return path.resolve(dir, paths[id][0]);
  };
  const resolve = (id: string) => librarySource(srcDir, id) ?? own(id);
  const bundle = await rollup({
    input: entry,
    onwarn: () => {},
    // The Moddable SDK's modules (Poco, Resource, timer, ...) are the device's, not the app's.
    external: id => !id.startsWith('.') && !path.isAbsolute(id) && resolve(id) === null && !id.startsWith('\0'),
    plugins: [
      { name: 'tflite-xs-specifiers', resolveId: resolve },
      typescript({ tsconfig, outputToFilesystem: false, noEmitOnError: false, noEmit: false, compilerOptions: { noEmit: false } }),
    ],
  });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    const chunk = output[0];
    if (output.length !== 1 || chunk.type !== 'chunk') throw new Error(`examples/${name}: expected one chunk, rollup made ${output.length}`);
    const libraryModules = Object.keys(chunk.modules)
      .filter(id => id.startsWith(srcDir + path.sep) && chunk.modules[id].renderedLength > 0)
      .map(id => path.relative(srcDir, id).replace(/\.ts$/, '').split(path.sep).join('/'))
      .sort();
    // The Signal ops' kernels live in kernels/signal/.
    const kernels = libraryModules.filter(m => /^kernels\/(signal\/)?[^/]+$/.test(m)).map(m => m.slice('kernels/'.length)).filter(k => k !== 'all' && k !== 'index');
    return { name, bytes: Buffer.byteLength(chunk.code, 'utf8'), libraryModules, kernels };
  } finally {
    await bundle.close();
  }
}

/** appSize for every example (or those named). */
export async function appSizes(options: AppSizeOptions = {}): Promise<AppSize[]> {
  const root = path.resolve(options.root ?? packageRoot());
  const names = options.examples ?? fs.readdirSync(path.join(root, 'examples'))
    .filter(n => fs.existsSync(path.join(root, 'examples', n, 'main.ts')))
    .sort();
  const sizes: AppSize[] = [];
  for (const name of names) sizes.push(await appSize(name, { ...options, root }));
  return sizes;
}

/** One line per app: "linear_regression: 61234 bytes, 1 kernel (fully_connected), 24 library modules". */
export function formatAppSizes(sizes: readonly AppSize[]): string {
  return sizes.map(s => `${s.name}: ${s.bytes} bytes, ${s.kernels.length} kernel${s.kernels.length === 1 ? '' : 's'} (${s.kernels.join(', ')}), ${s.libraryModules.length} library modules`).join('\n');
}

/** Prints the bundle size of every example app (for `npm run bench`). */
export async function printAppSizes(log: (line: string) => void = line => console.log(line), options: AppSizeOptions = {}): Promise<AppSize[]> {
  const sizes = await appSizes(options);
  log('App bundles (device entry, only the modules it uses, not minified):');
  for (const line of formatAppSizes(sizes).split('\n')) log(`  ${line}`);
  return sizes;
}
