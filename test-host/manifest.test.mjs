// The Moddable manifests (manifests/tflite-xs.json, examples/linear_regression/manifest.json):
// their structure follows Moddable's manifest schema (documentation/tools/manifest.md), every
// path they name exists, every device module of the library is in them, and the device code
// they list imports only what the manifests provide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Interpreter } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARY = path.join(root, 'manifests/tflite-xs.json');
const ALL_KERNELS_MANIFEST = path.join(root, 'manifests/tflite-xs-all-kernels.json');
const EXAMPLE = path.join(root, 'examples/linear_regression/manifest.json');
const PERSON_EXAMPLE = path.join(root, 'examples/person_detection/manifest.json');
const WAND_EXAMPLE = path.join(root, 'examples/magic_wand/manifest.json');
const MICRO_SPEECH_EXAMPLE = path.join(root, 'examples/micro_speech/manifest.json');

// The properties manifest.md documents, at the top level and inside a platform.
const TOP_LEVEL = new Set(['build', 'include', 'creation', 'defines', 'config', 'strip', 'modules', 'preload', 'resources', 'data', 'platforms', 'bundle', 'typescript', 'recipes']);
const IN_PLATFORM = new Set(['build', 'include', 'creation', 'defines', 'config', 'strip', 'modules', 'preload', 'resources', 'data', 'recipes', 'typescript', 'warning', 'error', 'dependency']);
// Extensions mcconfig takes as modules (tools/mcmanifest.js ModulesRule), in the order it would find them.
const MODULE_EXTENSIONS = ['.ts', '.js', '.mjs', '.json', '.c', '.cc', '.cpp', '.h', '.m'];
const DEVICE_DIRS = ['', 'core', 'kernels', 'kernels/internal', 'kernels/signal', 'drivers', 'components'];
// The library manifest carries the core, drivers and components; kernels come from an app's
// generated fragment (or, for an app that wants every kernel, tflite-xs-all-kernels.json).
const KERNEL_DIRS = ['kernels', 'kernels/internal', 'kernels/signal'];

function read(file) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(typeof json, 'object', `${file} holds an object`);
  return json;
}

const strings = value => (Array.isArray(value) ? value : [value]);

/** Checks one manifest (or platform section) against the schema; returns the problems found. */
function schemaProblems(manifest, where, allowed) {
  const problems = [];
  const problem = text => problems.push(`${where}: ${text}`);
  for (const key of Object.keys(manifest)) if (!allowed.has(key)) problem(`unknown property "${key}"`);
  if ('include' in manifest) {
    for (const entry of strings(manifest.include)) {
      if (typeof entry !== 'string' && !(entry && typeof entry === 'object' && typeof entry.git === 'string')) problem('include entries are paths or {git}');
    }
  }
  for (const section of ['modules', 'resources', 'data']) {
    if (!(section in manifest)) continue;
    const value = manifest[section];
    if (!value || typeof value !== 'object' || Array.isArray(value)) { problem(`${section} must be an object`); continue; }
    for (const [target, sources] of Object.entries(value)) {
      if ((target.match(/\*/g) ?? []).length > 1) problem(`${section} target "${target}" has more than one *`);
      for (const source of strings(sources)) {
        if (typeof source !== 'string' && !(source && typeof source.source === 'string')) problem(`${section}["${target}"] entries are paths`);
      }
    }
  }
  if ('preload' in manifest) for (const name of strings(manifest.preload)) if (typeof name !== 'string') problem('preload entries are module names');
  for (const section of ['config', 'defines', 'build', 'creation']) {
    if (section in manifest && (typeof manifest[section] !== 'object' || Array.isArray(manifest[section]))) problem(`${section} must be an object`);
  }
  if ('strip' in manifest && typeof manifest.strip !== 'string' && !Array.isArray(manifest.strip)) problem('strip is a string or an array');
  if ('platforms' in manifest) {
    if (allowed !== TOP_LEVEL) problem('platforms inside platforms');
    for (const [name, platform] of Object.entries(manifest.platforms)) {
      if (!/^(\.\.\.|[a-z0-9_-]+(\/([a-z0-9_-]+|\*))?)$/.test(name)) problem(`platform name "${name}"`);
      if (!platform || typeof platform !== 'object') problem(`platform "${name}" must be an object`);
      else problems.push(...schemaProblems(platform, `${where} platforms.${name}`, IN_PLATFORM));
    }
  }
  return problems;
}

/** The SDK's own files: checked when $MODDABLE points at an SDK, else only their form. */
function resolvePath(entry, dir) {
  if (entry.startsWith('$(MODDABLE)/')) return process.env.MODDABLE ? path.join(process.env.MODDABLE, entry.slice(12)) : null;
  assert.ok(!entry.includes('$('), `${entry}: only $(MODDABLE) is used outside the SDK`);
  return path.resolve(dir, entry);
}

/** Every module a manifest (and what it includes from this repository) defines: name -> source file. */
function modulesOf(file, platform = 'lin', seen = new Set()) {
  const modules = new Map();
  if (seen.has(file)) return modules;
  seen.add(file);
  const manifest = read(file);
  const dir = path.dirname(file);
  const sections = [manifest];
  for (const [name, p] of Object.entries(manifest.platforms ?? {})) if (name === platform) sections.push(p);
  for (const section of sections) {
    for (const inc of strings(section.include ?? [])) {
      const target = resolvePath(inc, dir);
      if (target && target.startsWith(root)) for (const [k, v] of modulesOf(target, platform, seen)) modules.set(k, v);
    }
    for (const [target, sources] of Object.entries(section.modules ?? {})) {
      for (const source of strings(sources)) {
        const resolved = resolvePath(source, dir);
        if (!resolved) continue;
        if (resolved.endsWith('*')) {
          const folder = path.dirname(resolved);
          for (const f of fs.readdirSync(folder)) {
            const ext = MODULE_EXTENSIONS.find(e => f.endsWith(e) && !f.endsWith('.d.ts'));
            if (ext) modules.set(target.replace('*', f.slice(0, -ext.length)), path.join(folder, f));
          }
        } else {
          const ext = MODULE_EXTENSIONS.find(e => fs.existsSync(resolved + e));
          const name = target === '*' ? path.basename(resolved) : target;
          if (ext) modules.set(name, resolved + ext);
        }
      }
    }
  }
  return modules;
}

for (const file of [LIBRARY, ALL_KERNELS_MANIFEST, EXAMPLE, PERSON_EXAMPLE, WAND_EXAMPLE, MICRO_SPEECH_EXAMPLE]) {
  test(`${path.relative(root, file)} follows Moddable's manifest schema and every path it names exists`, () => {
    const manifest = read(file);
    assert.deepEqual(schemaProblems(manifest, path.relative(root, file), TOP_LEVEL), []);
    const dir = path.dirname(file);
    const sections = [['', manifest], ...Object.entries(manifest.platforms ?? {})];
    let checked = 0;
    for (const [name, section] of sections) {
      const where = name ? ` (platforms.${name})` : '';
      for (const inc of strings(section.include ?? [])) {
        const target = resolvePath(inc, dir);
        if (!target) { assert.match(inc, /^\$\(MODDABLE\)\/(examples|modules)\/[\w/.-]*manifest[\w]*\.json$/); continue; }
        assert.ok(fs.statSync(target).isFile(), `include ${inc}${where} exists`);
        checked++;
      }
      for (const sectionName of ['modules', 'resources', 'data']) {
        for (const [target, sources] of Object.entries(section[sectionName] ?? {})) {
          for (const source of strings(sources)) {
            const resolved = resolvePath(typeof source === 'string' ? source : source.source, dir);
            if (!resolved) continue;
            checked++;
            if (resolved.endsWith('*')) {
              const folder = path.dirname(resolved);
              assert.ok(fs.statSync(folder).isDirectory(), `${sectionName}["${target}"] folder ${source}${where} exists`);
              const prefix = path.basename(resolved).slice(0, -1);
              assert.ok(fs.readdirSync(folder).some(f => f.startsWith(prefix) && fs.statSync(path.join(folder, f)).isFile()), `${source} matches files`);
            } else if (sectionName === 'modules') {
              // A .d.ts alone types a module another manifest provides (mcconfig's tsc paths).
              assert.ok(MODULE_EXTENSIONS.some(e => fs.existsSync(resolved + e)) || fs.existsSync(`${resolved}.d.ts`) || fs.existsSync(resolved), `module ${source}${where} exists`);
            } else {
              assert.ok(fs.statSync(resolved).isFile(), `${sectionName} ${source}${where} exists`);
            }
          }
        }
      }
    }
    assert.ok(checked > 0, 'some paths were checked');
    // Every preloaded name is a module the manifests define (or the SDK's, with its own names).
    const modules = modulesOf(file);
    for (const [, section] of sections) {
      for (const name of strings(section.preload ?? [])) assert.ok(modules.has(name), `preload "${name}" is a module of the manifest`);
    }
  });
}

// Node-only sources: src/host (the published host side) and src/dev (test tooling).
// src/espruino is the entry of the Espruino module (rollup.config.js), not a Moddable module.
const HOST_ONLY = ['host', 'dev', 'espruino'];

test('the library manifest covers every device module under src/ but the kernels, the all-kernels manifest the kernels, and nothing host-only', () => {
  const library = new Set(modulesOf(LIBRARY).values());
  const kernels = new Set(modulesOf(ALL_KERNELS_MANIFEST).values());
  for (const dir of fs.readdirSync(path.join(root, 'src'), { withFileTypes: true })) {
    if (!dir.isDirectory() || HOST_ONLY.includes(dir.name)) continue;
    const walk = rel => {
      assert.ok(DEVICE_DIRS.includes(rel), `src/${rel} is mapped in manifests/tflite-xs.json`);
      for (const entry of fs.readdirSync(path.join(root, 'src', rel), { withFileTypes: true })) {
        if (entry.isDirectory()) walk(`${rel}/${entry.name}`);
      }
    };
    walk(dir.name);
  }
  for (const rel of DEVICE_DIRS) {
    const kernel = KERNEL_DIRS.includes(rel);
    for (const f of fs.readdirSync(path.join(root, 'src', rel))) {
      const full = path.join(root, 'src', rel, f);
      if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
      assert.equal(library.has(full), !kernel, `${path.relative(root, full)} is ${kernel ? 'not ' : ''}a module of the library manifest`);
      assert.equal(kernels.has(full), kernel, `${path.relative(root, full)} is ${kernel ? '' : 'not '}a module of the all-kernels manifest`);
    }
  }
  const modules = modulesOf(LIBRARY);
  for (const name of ['tflite-xs', 'tflite-xs/components', 'tflite-xs/drivers', 'tflite-xs/index', 'tflite-xs/components/index', 'tflite-xs/core/interpreter']) assert.ok(modules.has(name), name);
  for (const name of modules.keys()) assert.ok(!name.startsWith('tflite-xs/kernels'), `${name}: the library manifest names no kernel`);
  for (const source of [...library, ...kernels]) assert.ok(!HOST_ONLY.some(dir => source.includes(`${path.sep}src${path.sep}${dir}${path.sep}`)), `${source} is host-only`);
});

test('the bare "tflite-xs" and "tflite-xs/<folder>" re-export the folder\'s index module, as package.json exports them in Node', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const modules = new Map([...modulesOf(LIBRARY), ...modulesOf(ALL_KERNELS_MANIFEST)]);
  for (const [name, index] of [['tflite-xs', 'tflite-xs/index'], ['tflite-xs/components', 'tflite-xs/components/index'], ['tflite-xs/drivers', 'tflite-xs/drivers/index'], ['tflite-xs/kernels', 'tflite-xs/kernels/index']]) {
    const source = modules.get(name);
    assert.ok(source, `module "${name}"`);
    assert.deepEqual(importsOf(source).map(i => i.specifier), [index], `${name} re-exports ${index} and nothing else`);
    assert.match(fs.readFileSync(source, 'utf8'), new RegExp(`^export \\* from "${index}";$`, 'm'));
    assert.equal(modules.get(index), path.join(root, 'src', `${index.slice('tflite-xs/'.length)}.ts`));
    const subpath = name === 'tflite-xs' ? '.' : `./${name.slice('tflite-xs/'.length)}`;
    assert.ok(pkg.exports[subpath], `package.json exports ${subpath}`);
  }
});

// The SDK's modules the examples import; the LIS3DH driver comes with its manifest, included from $(MODDABLE).
const sdk = new Set(['commodetto/Poco', 'Resource', 'timer', 'mc/config', 'embedded:sensor/Accelerometer/LIS3DH']);

/** import/export ... from '...' specifiers of a source file, with whether they are type-only. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    found.push({ specifier: m[3] ?? m[4], typeOnly: Boolean(m[2]) });
  }
  return found;
}

test('device modules import only what the manifests provide (relative .js files, SDK modules), never Node, src/host or src/dev', () => {
  const library = modulesOf(LIBRARY);
  const example = modulesOf(EXAMPLE);
  // The examples' own modules ("main", "app", "resolver") share names, so each is checked in its own map.
  for (const file of [PERSON_EXAMPLE, WAND_EXAMPLE, MICRO_SPEECH_EXAMPLE]) {
    const own = new Map([...library, ...modulesOf(file)]);
    for (const [name, source] of own) {
      if (library.has(name)) continue;
      for (const { specifier, typeOnly } of importsOf(source)) {
        assert.ok(!specifier.startsWith('node:') && !/(^|\/)(host|dev)(\/|$)/.test(specifier), `${name} imports ${specifier}`);
        if (specifier.startsWith('.')) assert.ok(own.has(path.posix.join(path.posix.dirname(name), specifier.replace(/\.js$/, ''))), `${path.relative(root, file)}: ${name} imports ${specifier}`);
        else if (!typeOnly) assert.ok(sdk.has(specifier) || own.has(specifier), `${name} imports "${specifier}", which no manifest provides`);
      }
    }
  }
  const all = new Map([...library, ...modulesOf(ALL_KERNELS_MANIFEST), ...example]);
  let relative = 0;
  for (const [name, source] of all) {
    for (const { specifier, typeOnly } of importsOf(source)) {
      assert.ok(!specifier.startsWith('node:') && !/(^|\/)(host|dev)(\/|$)/.test(specifier), `${name} imports ${specifier}`);
      if (specifier.startsWith('.')) {
        // XS resolves "./x.js" against the importer's module name and drops ".js"; the file must be a module too.
        // A generated module (the resolver) is plain .js; the library's modules are .ts.
        const ts = path.resolve(path.dirname(source), specifier.replace(/\.js$/, '.ts'));
        const target = fs.existsSync(ts) ? ts : path.resolve(path.dirname(source), specifier);
        const expectedName = path.posix.join(path.posix.dirname(name), specifier.replace(/\.js$/, ''));
        assert.equal(all.get(expectedName), target, `${name}: ${specifier} resolves to module "${expectedName}"`);
        relative++;
      } else if (!typeOnly) {
        assert.ok(sdk.has(specifier) || all.has(specifier), `${name} imports "${specifier}", which no manifest provides`);
      }
    }
  }
  assert.ok(relative > 20, 'the library\'s relative imports were checked');
});

/** The modules an example reaches from "main" and its preloads; fails on one its manifests lack. */
function reachedModules(file) {
  const modules = modulesOf(file);
  const manifest = read(file);
  const pending = ['main', ...manifest.preload];
  const reached = new Set();
  while (pending.length > 0) {
    const name = pending.pop();
    if (reached.has(name) || sdk.has(name)) continue;
    const source = modules.get(name);
    assert.ok(source, `module "${name}" is in the build of ${path.relative(root, file)}`);
    reached.add(name);
    for (const { specifier, typeOnly } of importsOf(source)) {
      if (typeOnly) continue;
      pending.push(specifier.startsWith('.') ? path.posix.join(path.posix.dirname(name), specifier.replace(/\.js$/, '')) : specifier);
    }
  }
  return { modules, reached };
}

test('person_detection links with the library manifest and its generated fragment alone, and carries only the five kernels person_detect uses', () => {
  const { modules, reached } = reachedModules(PERSON_EXAMPLE);
  const kernels = [...modules.keys()].filter(n => n.startsWith('tflite-xs/kernels/') && !n.startsWith('tflite-xs/kernels/internal/')).sort();
  assert.deepEqual(kernels, ['average_pool_2d', 'conv_2d', 'depthwise_conv_2d', 'reshape', 'softmax'].map(k => `tflite-xs/kernels/${k}`));
  for (const name of kernels) assert.ok(reached.has(name), `${name} is used`);
  assert.ok(reached.has('resolver') && reached.has('app') && reached.has('tflite-xs/components'));
  for (const name of modules.keys()) if (name.startsWith('tflite-xs/kernels/')) assert.ok(reached.has(name), `${name} is used`);
  // The fragment is what `tflite-xs resolver model.tflite` writes today (regenerate it when it is not).
  const fragment = read(path.join(root, 'examples/person_detection/manifest_resolver.json'));
  for (const name of fragment.preload) assert.ok(modules.has(name), name);
  // Resources: the model and the recorded frames main.ts opens, and main.ts opens no other.
  const manifest = read(PERSON_EXAMPLE);
  const main = fs.readFileSync(path.join(root, 'examples/person_detection/main.ts'), 'utf8');
  const opened = [...main.matchAll(/new Resource\("([^"]+)"\)/g)].map(m => `./${m[1]}`).sort();
  assert.deepEqual([...manifest.resources['*']].sort(), opened);
  assert.deepEqual(Object.keys(manifest.platforms).sort(), ['esp32', 'esp32/*']);
  assert.equal(manifest.platforms.esp32.config.screen, 'ili9341');
});

test('magic_wand links with the library manifest, its generated fragment and the SDK\'s LIS3DH driver, and carries only the six kernels its model uses', () => {
  const { modules, reached } = reachedModules(WAND_EXAMPLE);
  const kernels = [...modules.keys()].filter(n => n.startsWith('tflite-xs/kernels/') && !n.startsWith('tflite-xs/kernels/internal/')).sort();
  assert.deepEqual(kernels, ['average_pool_2d', 'conv_2d', 'fully_connected', 'max_pool_2d', 'reshape', 'softmax'].map(k => `tflite-xs/kernels/${k}`));
  for (const name of modules.keys()) if (name.startsWith('tflite-xs/kernels/')) assert.ok(reached.has(name), `${name} is used`);
  for (const name of ['resolver', 'app', 'accelerometer', 'trace-view', 'tflite-xs/components', 'tflite-xs/drivers']) assert.ok(reached.has(name), name);
  const manifest = read(WAND_EXAMPLE);
  assert.ok(manifest.include.includes('$(MODDABLE)/modules/drivers/sensors/lis3dh/manifest.json'), 'the LIS3DH driver (embedded:sensor/Accelerometer/LIS3DH) is in the build');
  const main = fs.readFileSync(path.join(root, 'examples/magic_wand/main.ts'), 'utf8');
  const opened = [...main.matchAll(/new Resource\("([^"]+)"\)/g)].map(m => `./${m[1]}`).sort();
  assert.deepEqual([...manifest.resources['*']].sort(), opened);
  assert.deepEqual(Object.keys(manifest.platforms).sort(), ['esp32', 'esp32/*']);
  assert.equal(manifest.platforms.esp32.config.screen, 'ili9341');
  assert.equal(manifest.platforms.esp32.config.accelerometer, 'lis3dh');
  assert.match(main, /config\.accelerometer !== "lis3dh"/);
  // The SDK has no typings for the driver: lis3dh.d.ts types it, for mcconfig's tsc and the host's.
  assert.equal(manifest.modules['embedded:sensor/Accelerometer/LIS3DH'], './lis3dh');
  assert.ok(fs.existsSync(path.join(root, 'examples/magic_wand/lis3dh.d.ts')) && !fs.existsSync(path.join(root, 'examples/magic_wand/lis3dh.ts')));
  const tsconfig = read(path.join(root, 'examples/magic_wand/tsconfig.json'));
  assert.deepEqual(tsconfig.compilerOptions.paths['embedded:sensor/Accelerometer/LIS3DH'], ['./lis3dh.d.ts']);
});

test('every example gives XS a 640-slot stack: the apps peak at about 404 slots in the simulator, over the default 384', () => {
  // Measured in mcsim (Moddable SDK 8.2.3, 32 B slots on 64-bit Linux), "Stack used" of the
  // instruments: person_detection 12 864 B, magic_wand 12 928 B, micro_speech 12 512 B,
  // linear_regression 10 688 B; with mcconfig's default (384 slots, 12 288 B) the first three
  // abort with "JavaScript stack overflow". Top level, so every platform gets it.
  for (const file of [EXAMPLE, PERSON_EXAMPLE, WAND_EXAMPLE, MICRO_SPEECH_EXAMPLE]) {
    const manifest = read(file);
    assert.deepEqual(manifest.creation, { stack: 640 }, path.relative(root, file));
    for (const [name, platform] of Object.entries(manifest.platforms ?? {})) assert.equal(platform.creation?.stack, undefined, `${path.relative(root, file)} platforms.${name} keeps the stack`);
  }
});

test('the example links with the library manifest and its generated fragment alone, and carries only FULLY_CONNECTED', () => {
  const modules = modulesOf(EXAMPLE);
  const manifest = read(EXAMPLE);
  const pending = ['main', ...manifest.preload];
  const reached = new Set();
  while (pending.length > 0) {
    const name = pending.pop();
    if (reached.has(name) || sdk.has(name)) continue;
    const source = modules.get(name);
    assert.ok(source, `module "${name}" is in the example's build`);
    reached.add(name);
    for (const { specifier, typeOnly } of importsOf(source)) {
      if (typeOnly) continue;
      pending.push(specifier.startsWith('.') ? path.posix.join(path.posix.dirname(name), specifier.replace(/\.js$/, '')) : specifier);
    }
  }
  const kernels = [...modules.keys()].filter(n => n.startsWith('tflite-xs/kernels/') && !n.startsWith('tflite-xs/kernels/internal/'));
  assert.deepEqual(kernels, ['tflite-xs/kernels/fully_connected']);
  assert.ok(reached.has('tflite-xs/kernels/fully_connected') && reached.has('resolver') && reached.has('tflite-xs'));
  // Everything the example compiles from the library's kernels is reached from its modules.
  for (const name of modules.keys()) if (name.startsWith('tflite-xs/kernels/')) assert.ok(reached.has(name), `${name} is used`);
  for (const name of read(path.join(root, 'examples/linear_regression/manifest_resolver.json')).preload) assert.ok(modules.has(name), name);
});

test('the example carries a model resource that the interpreter runs as y = 2x - 1', () => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(root, 'examples/linear_regression/model.tflite')));
  const interpreter = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  for (const x of [0, 0.25, 0.9]) {
    interpreter.input(0).quantize([x]);
    interpreter.invoke();
    assert.ok(Math.abs(interpreter.output(0).dequantize()[0] - (2 * x - 1)) < 0.01, `f(${x})`);
  }
  const manifest = read(EXAMPLE);
  assert.deepEqual(manifest.resources['*'], ['./model.tflite']);
  assert.match(fs.readFileSync(path.join(root, 'examples/linear_regression/main.ts'), 'utf8'), /new Resource\("model\.tflite"\)/);
});

test('schemaProblems catches what the schema forbids (the check itself can fail)', () => {
  assert.ok(schemaProblems({ module: {} }, 'x', TOP_LEVEL).some(p => p.includes('unknown property "module"')));
  assert.ok(schemaProblems({ modules: ['./main'] }, 'x', TOP_LEVEL).some(p => p.includes('modules must be an object')));
  assert.ok(schemaProblems({ platforms: { esp32: { platforms: {} } } }, 'x', TOP_LEVEL).length > 0);
  assert.ok(schemaProblems({ preload: [3] }, 'x', TOP_LEVEL).some(p => p.includes('preload')));
});
