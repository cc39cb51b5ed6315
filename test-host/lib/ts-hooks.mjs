// Module hooks behind ts-register.mjs:
//  - resolve: a relative `./x.js` whose file does not exist is `./x.ts` when that exists (the
//    sources import each other by their compiled names); "tflite-xs" and "tflite-xs/<path>"
//    imported from this package's own files name src/ (see librarySource).
//  - load: a .ts file is transpiled with tsconfig.json's options (transpileModule, one file at a
//    time, unless it imports a const enum: see emitWithProgram), cached in memory by modification
//    time and on disk by content (in the OS temp folder, so the processes the tests spawn start fast).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examplesUrl = pathToFileURL(path.join(root, 'examples')).href + '/';
const cacheDir = path.join(os.tmpdir(), 'tflite-xs-ts-cache');
const memory = new Map();
const state = { ts: null, options: null, salt: '', enums: null, program: null };

function typescript() {
  if (!state.ts) {
    const ts = createRequire(path.join(root, 'package.json'))('typescript');
    const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config ?? {};
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions ?? {}, root);
    state.options = { ...options, module: ts.ModuleKind.ESNext, preserveConstEnums: true, sourceMap: false, inlineSourceMap: true, inlineSources: false, declaration: false, noEmit: false };
    state.ts = ts;
  }
  return state.ts;
}

function saltOf() {
  if (!state.salt) {
    const req = createRequire(path.join(root, 'package.json'));
    const tsVersion = JSON.parse(fs.readFileSync(req.resolve('typescript/package.json'), 'utf8')).version;
    state.salt = `${tsVersion}\0${fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')}\0${fs.readFileSync(fileURLToPath(import.meta.url), 'utf8')}`;
  }
  return state.salt;
}

// Cross-file const enums: TypeScript inlines `Binary.FIRST` from another file only with that
// file at hand (and computes auto-increments after such a member, as in add_sub.ts's record
// layout), which transpileModule cannot. A file that imports an exported const enum is emitted
// from one program over all of src/ (made once per process, when first needed), as the build
// does; the others go through transpileModule alone.
function constEnums() {
  if (!state.enums) {
    const names = new Set(), sources = [];
    const walk = dir => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          let found = false;
          for (const m of text.matchAll(/^export (?:declare )?const enum (\w+)/gm)) { names.add(m[1]); found = true; }
          if (found) sources.push(`${full}\0${text}`);
        }
      }
    };
    walk(path.join(root, 'src'));
    state.enums = { names, hash: crypto.createHash('sha1').update(sources.join('\0')).digest('hex') };
  }
  return state.enums;
}

function importsConstEnum(source) {
  const { names } = constEnums();
  for (const m of source.matchAll(/^(?:import|export)\s*\{([^}]*)\}\s*from/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (names.has(name)) return true;
    }
  }
  return false;
}

function srcFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) srcFiles(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

function emitWithProgram(file) {
  const ts = typescript();
  if (!state.program) {
    const options = { ...state.options, noLib: true, types: [], noEmit: false, preserveConstEnums: true, skipLibCheck: true, noEmitOnError: false };
    state.program = ts.createProgram(srcFiles(path.join(root, 'src')), options);
  }
  const sourceFile = state.program.getSourceFile(file);
  if (!sourceFile) return null;
  let code = null;
  state.program.emit(sourceFile, (name, text) => { if (name.endsWith('.js')) code = text; });
  return code;
}

function transpile(file) {
  const stat = fs.statSync(file);
  const seen = memory.get(file);
  if (seen && seen.mtimeMs === stat.mtimeMs && seen.size === stat.size) return seen.code;
  const source = fs.readFileSync(file, 'utf8');
  const viaProgram = file.startsWith(path.join(root, 'src') + path.sep) && importsConstEnum(source);
  const key = crypto.createHash('sha1').update(saltOf()).update('\0').update(file).update('\0').update(source)
    .update(viaProgram ? `\0${constEnums().hash}` : '').digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    const ts = typescript();
    code = (viaProgram && emitWithProgram(file)) || ts.transpileModule(source, { compilerOptions: state.options, fileName: file }).outputText;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, cached);
    } catch { /* a cache that cannot be written only costs time */ }
  }
  memory.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, code });
  return code;
}

// The package's own name, imported from a file of this package (not from node_modules or dist/),
// names its sources as package.json's "exports" name the build: "tflite-xs" is the Node entry
// (src/host/package-entry.ts; in examples/, the device entry src/index.ts, as rollup.config.js
// has it), "tflite-xs/<folder>" the folder's index.ts, "tflite-xs/<path>" src/<path>.ts.
function librarySource(id, parent) {
  if (id === 'tflite-xs') return pathToFileURL(path.join(root, 'src', parent.startsWith(examplesUrl) ? 'index.ts' : 'host/package-entry.ts')).href;
  const rest = id.slice('tflite-xs/'.length);
  const folder = path.join(root, 'src', rest, 'index.ts');
  return pathToFileURL(fs.existsSync(folder) ? folder : path.join(root, 'src', `${rest}.ts`)).href;
}

const rootUrl = pathToFileURL(root).href;
const outside = [pathToFileURL(path.join(root, 'node_modules')).href + '/', pathToFileURL(path.join(root, 'dist')).href + '/'];

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if ((specifier === 'tflite-xs' || specifier.startsWith('tflite-xs/')) && parent?.startsWith(rootUrl) && !outside.some(dir => parent.startsWith(dir))) {
    return { url: librarySource(specifier, parent), format: 'module', shortCircuit: true };
  }
  if (parent?.startsWith('file:') && specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    const url = new URL(specifier, parent);
    if (!fs.existsSync(url)) {
      const ts = new URL(url.href.slice(0, -3) + '.ts');
      if (fs.existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts') && !url.endsWith('.d.ts')) {
    return { format: 'module', source: transpile(fileURLToPath(url)), shortCircuit: true };
  }
  return next(url, context);
}
