// RAM a loaded model holds in XS: arena bytes + 16 × heap slots held after a collection (net of
// the engine's state before loading). Run: node --import ./test-host/lib/ts-register.mjs test-host/lib/xs-ram.mjs [CASE_SUBSTRING]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { XsEngine } = await import('./host.mjs');

export async function xsRam(engine, model, options = {}) {
  await engine.unload();
  const before = await engine.gc();
  const loaded = await engine.load(model, options);
  const held = await engine.gc();
  const slots = held - before;
  return { arenaBytes: loaded.arenaBytes, slots, ramBytes: loaded.arenaBytes + 16 * slots };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const casesDir = path.resolve(root, '../shared/fixtures/cases');
  const filter = process.argv[2] ?? '';
  const engine = await XsEngine.start();
  try {
    for (const name of fs.readdirSync(casesDir).filter(n => n.includes(filter)).sort()) {
      const c = JSON.parse(fs.readFileSync(path.join(casesDir, name, 'case.json'), 'utf8'));
      const bytes = new Uint8Array(fs.readFileSync(path.join(casesDir, name, c.model)));
      const r = await xsRam(engine, bytes);
      console.log(`${name.padEnd(30)} arena ${String(r.arenaBytes).padStart(7)}  slots ${String(r.slots).padStart(6)}  ram ${String(r.ramBytes).padStart(8)}`);
    }
  } finally {
    await engine.close();
  }
}
