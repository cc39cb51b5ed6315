// `tflite-xs resolver MODEL... -o DIR`: the kernels an app's models use, as the two things a
// Moddable app needs to carry only those: a resolver module (resolver.js, with resolver.d.ts) that
// imports just those kernels, and a manifest fragment (manifest_resolver.json) that compiles and
// preloads just their modules and the internal modules they import.
// Which module exports which operator is read from src/kernels/index.ts, and the internal modules
// from the kernels' import statements, so the fragment stays true as kernels change.
import fs from 'node:fs';
import path from 'node:path';
import { readModel } from '../../core/model.js';
import { packagePath } from '../package-root.js';

export interface ResolverFiles {
  /** Operator names the models use, sorted. */
  ops: string[];
  /** Kernel modules those operators live in ("fully_connected"), sorted. */
  kernelModules: string[];
  /** Every library module the fragment lists ("tflite-xs/kernels/fully_connected", ...), sorted. */
  modules: string[];
  /** File name -> contents. */
  files: Record<string, string>;
}

export interface ResolverOptions {
  /** The library's src/ folder; default the one beside this package's dist/. */
  srcDir?: string;
}

const RESOLVER_MODULE = 'resolver';

/** A problem with the command's arguments or models (the CLI prints its name and message). */
export class ResolverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolverError';
  }
}

/** The library's src/ folder, beside dist/ in this package. */
export function librarySrcDir(): string {
  return packagePath('src') + path.sep;
}

/** import/export ... from '...' specifiers of a source file, type-only ones left out. */
export function runtimeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    if (!m[2]) found.push(m[3] ?? m[4]);
  }
  return found;
}

/** Operator name -> kernel module file (without .ts), from src/kernels/index.ts. */
export function kernelModulesByOp(srcDir: string): Map<string, string> {
  const text = fs.readFileSync(path.join(srcDir, 'kernels/index.ts'), 'utf8');
  const byOp = new Map<string, string>();
  for (const m of text.matchAll(/^export\s*\{([^}]*)\}\s*from\s*['"]\.\/([\w-]+(?:\/[\w-]+)?)\.js['"]/gm)) {
    for (const name of m[1].split(',')) {
      const op = name.trim().split(/\s+as\s+/).pop()!;
      if (op) byOp.set(op, m[2]);
    }
  }
  if (byOp.size === 0) throw new Error(`${path.join(srcDir, 'kernels/index.ts')} names no kernel`);
  return byOp;
}

/**
 * The modules under src/kernels that the given kernel modules need (themselves included), as
 * paths relative to src/ without extension ("kernels/internal/requantize"). Modules outside
 * src/kernels must be core ones, which the library manifest provides.
 */
export function kernelClosure(srcDir: string, kernelModules: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = kernelModules.map(k => `kernels/${k}`);
  while (pending.length > 0) {
    const rel = pending.pop()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const file = path.join(srcDir, `${rel}.ts`);
    for (const specifier of runtimeImports(fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) throw new Error(`${path.relative(srcDir, file)} imports "${specifier}": kernels import only library modules`);
      const target = path.posix.join(path.posix.dirname(rel), specifier.replace(/\.js$/, ''));
      if (target.startsWith('kernels/')) pending.push(target);
      else if (!target.startsWith('core/')) throw new Error(`${rel} imports ${target}, which neither the fragment nor the library manifest provides`);
    }
  }
  return [...seen].sort();
}

/** Operator names (builtin names, or custom codes) of every operator of every subgraph. */
export function modelOps(model: Uint8Array): string[] {
  const ops = new Set<string>();
  for (const subgraph of readModel(model).subgraphs) for (const op of subgraph.operators) ops.add(op.opName);
  return [...ops];
}

/** The resolver module and manifest fragment for these models, written for `outDir`. */
export function resolverFiles(models: readonly Uint8Array[], outDir: string, options: ResolverOptions = {}): ResolverFiles {
  const srcDir = path.resolve(options.srcDir ?? librarySrcDir());
  const byOp = kernelModulesByOp(srcDir);
  const ops = [...new Set(models.flatMap(m => modelOps(m)))].sort();
  const missing = ops.filter(op => !byOp.has(op));
  if (missing.length > 0) throw new ResolverError(`no kernel for ${missing.join(', ')} (the library has kernels for ${byOp.size} operators)`);
  const kernelModules = [...new Set(ops.map(op => byOp.get(op)!))].sort();
  const closure = kernelClosure(srcDir, kernelModules);
  const modules = closure.map(rel => `tflite-xs/${rel}`);

  let fromOut = path.relative(path.resolve(outDir), srcDir).split(path.sep).join('/');
  if (!fromOut.startsWith('.')) fromOut = `./${fromOut}`;
  const fragment = {
    modules: {
      '*': [`./${RESOLVER_MODULE}`],
      ...Object.fromEntries(closure.map(rel => [`tflite-xs/${rel}`, `${fromOut}/${rel}`])),
    },
    preload: [RESOLVER_MODULE, ...modules],
  };

  const imports = kernelModules.map(k => {
    const names = ops.filter(op => byOp.get(op) === k);
    return `import { ${names.join(', ')} } from "tflite-xs/kernels/${k}";`;
  });
  const resolver = `// Written by \`tflite-xs resolver\`: the kernels these models use, and no other (${ops.join(', ')}).
// Regenerate it when the models change; manifest_resolver.json lists the same kernels' modules.
import { OpResolver } from "tflite-xs";
${imports.join('\n')}

/** The kernels, for new OpResolver(KERNELS) or new Model({ model, kernels: KERNELS }). */
export const KERNELS = Object.freeze([${ops.join(', ')}]);

/** A frozen resolver holding them (it stays in flash when this module is preloaded). */
export const resolver = new OpResolver(KERNELS).freeze();
`;
  const types = `import type { Kernel, OpResolver } from "tflite-xs";

export declare const KERNELS: readonly Kernel[];
export declare const resolver: OpResolver;
`;
  return {
    ops,
    kernelModules,
    modules,
    files: {
      [`${RESOLVER_MODULE}.js`]: resolver,
      [`${RESOLVER_MODULE}.d.ts`]: types,
      [`manifest_${RESOLVER_MODULE}.json`]: JSON.stringify(fragment, null, '\t') + '\n',
    },
  };
}

/** Reads the model files and writes the resolver module and manifest fragment into outDir. */
export function generateResolver(models: readonly string[], outDir: string, options: ResolverOptions = {}): ResolverFiles {
  if (models.length === 0) throw new ResolverError('tflite-xs resolver needs at least one model');
  const bytes = models.map(file => {
    let b: Buffer;
    try {
      b = fs.readFileSync(file);
    } catch (error) {
      throw new ResolverError(`cannot read model ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  });
  const result = resolverFiles(bytes, outDir, options);
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(result.files)) fs.writeFileSync(path.join(outDir, name), text);
  return result;
}

export const RESOLVER_USAGE = `usage: tflite-xs resolver MODEL.tflite... -o DIR

Writes into DIR what a Moddable app needs to carry only the kernels its models use:
  resolver.js, resolver.d.ts   a module exporting KERNELS and a frozen OpResolver of exactly those
                               kernels: import { resolver } from "./resolver.js"
  manifest_resolver.json       a manifest fragment that compiles and preloads the resolver module,
                               those kernels' modules and the internal modules they import
Include manifest_resolver.json beside manifests/tflite-xs.json in the app's manifest.`;

/** The CLI hook: argv after "resolver". Returns the exit code. */
export function resolverCommand(argv: readonly string[], log: (line: string) => void = line => console.log(line)): number {
  const models: string[] = [];
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-o' || arg === '--out') {
      if (i + 1 >= argv.length) throw new ResolverError(`${arg} needs a folder`);
      outDir = argv[++i];
    } else if (arg === '--help' || arg === '-h') {
      log(RESOLVER_USAGE);
      return 0;
    } else if (arg.startsWith('-')) {
      throw new ResolverError(`unknown option ${arg} (see tflite-xs resolver --help)`);
    } else {
      models.push(arg);
    }
  }
  if (outDir === undefined) throw new ResolverError('-o DIR is required (see tflite-xs resolver --help)');
  const result = generateResolver(models, outDir);
  log(`${outDir}: resolver.js, resolver.d.ts, manifest_resolver.json: ${result.ops.length} operator(s) (${result.ops.join(', ')}), ${result.modules.length} library module(s)`);
  return 0;
}
