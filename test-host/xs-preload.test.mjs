// Moddable preloads library modules into flash, where everything they create is frozen. This runs
// the XS bundle inside the real XS engine with every exported object hardened (deep-frozen) first,
// checks every golden case still passes, and that the model's bytes are unchanged afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import { XsEngine } from './lib/host.mjs';
import { noCases, loadCases, worstDifference } from './lib/cases.mjs';

test('hardened XS bundle passes the golden cases and never writes the model', { skip: noCases }, async () => {
  const engine = await XsEngine.start({ harden: true });
  try {
    // The library object itself is frozen: a module-level mutation would have thrown already.
    const frozen = await engine.evaluate('if (!Object.isFrozen(globalThis.tflite) || !Object.isFrozen(globalThis.tflite.Interpreter.prototype)) throw new Error("not hardened")');
    assert.ok(frozen.computrons > 0);
    const cases = loadCases();
    assert.ok(cases.length > 0);
    for (const c of cases) {
      const loaded = await engine.load(c.model);
      const run = await engine.run(c.inputs, c.steps, loaded.outputs.map(o => o.byteLength));
      c.outputs.forEach((o, i) => {
        const worst = worstDifference(o.dtype, run.outputs[i], o.bytes);
        assert.ok(worst <= o.tolerance, `${c.name} output ${i}: worst difference ${worst}`);
      });
      assert.equal(await engine.modelUnchanged(), true, `${c.name}: model bytes changed`);
    }
  } finally {
    await engine.close();
  }
});
