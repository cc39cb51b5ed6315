// Counts the typed arrays and ArrayBuffers that allocateTensors() (or any call: countAllocations)
// creates outside the arena (in Node, by wrapping their constructors): the memory model says there
// must be none, and an inference must create none. Views made
// over an existing buffer (the arena, the model) are not counted, nor 0-byte ArrayBuffers. Run as a script to list the
// offenders per golden case: node --import ./test-host/lib/ts-register.mjs test-host/lib/alloc-count.mjs [CASE_SUBSTRING]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
const log = { on: false, created: [] };
for (const name of NAMES) {
  const C = globalThis[name];
  if (!C || C.__counted) continue;
  const Wrapped = new Proxy(C, {
    construct(target, args, newTarget) {
      const r = Reflect.construct(target, args, newTarget === Wrapped ? target : newTarget);
      if (log.on && !(args[0] instanceof ArrayBuffer)) log.created.push({ what: name, bytes: r.byteLength, stack: new Error().stack.split('\n').slice(2, 5).join(' | ') });
      return r;
    },
    get(target, key) { return key === '__counted' ? true : Reflect.get(target, key); },
  });
  globalThis[name] = Wrapped;
}
const AB = globalThis.ArrayBuffer;
if (!AB.__counted) {
  const Wrapped = new Proxy(AB, {
    construct(target, args, newTarget) {
      const r = Reflect.construct(target, args, newTarget === Wrapped ? target : newTarget);
      // A 0-byte buffer holds no memory: each prepare run makes one for its zero-length views.
      if (log.on && r.byteLength > 0) log.created.push({ what: 'ArrayBuffer', bytes: r.byteLength, stack: new Error().stack.split('\n').slice(2, 5).join(' | ') });
      return r;
    },
    get(target, key) { return key === '__counted' ? true : Reflect.get(target, key); },
  });
  globalThis.ArrayBuffer = Wrapped;
}

/** What allocateTensors() created: every typed array or buffer but the arena itself. */
export function countAllocation(interpreter) {
  log.created = [];
  log.on = true;
  try {
    interpreter.allocateTensors();
  } finally {
    log.on = false;
  }
  const arena = interpreter.arenaBuffer.byteLength;
  const created = log.created.slice();
  const at = created.findIndex(c => c.what === 'ArrayBuffer' && c.bytes === arena);
  if (at >= 0) created.splice(at, 1);
  return created;
}

/** What `fn` created while it ran: every typed array or ArrayBuffer (views over an existing buffer excepted). */
export function countAllocations(fn) {
  log.created = [];
  log.on = true;
  try {
    fn();
  } finally {
    log.on = false;
  }
  return log.created.slice();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const lib = await import('./tflite.mjs');
  const { allOps } = lib;
  const casesDir = path.resolve(root, '../shared/fixtures/cases');
  const filter = process.argv[2] ?? '';
  for (const name of fs.readdirSync(casesDir).filter(n => n.includes(filter)).sort()) {
    const c = JSON.parse(fs.readFileSync(path.join(casesDir, name, 'case.json'), 'utf8'));
    const bytes = new Uint8Array(fs.readFileSync(path.join(casesDir, name, c.model)));
    const it = new lib.Interpreter(bytes, { resolver: allOps() });
    const created = countAllocation(it);
    const total = created.reduce((s, c) => s + c.bytes, 0);
    console.log(`${name.padEnd(30)} arena ${String(it.arenaBytes).padStart(7)}  outside: ${created.length} objects, ${total} B`);
    if (process.argv.includes('-v')) for (const c of created.slice(0, 20)) console.log(`    ${c.what} ${c.bytes} B  ${c.stack}`);
  }
}
