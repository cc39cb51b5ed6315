// A hostile fuzz case's run: interpreter options and call sequences a user could get wrong
// (detached buffers, one arena for two interpreters, re-entry, calls out of order), on one model.
//
// The same function runs on Node and inside XS: the XS fuzzer installs it from its source text
// (Function.prototype.toString), so it must use nothing but its arguments and the language —
// no imports, no helpers outside its body.

/** What a probe does besides load -> allocate -> invoke. */
export type Misuse = 'none' | 'detach-model' | 'detach-arena' | 'shrink-arena' | 'share-arena' | 'allocate-twice' | 'invoke-first' | 'reenter' | 'write-inputs';

export interface Probe {
  misuse: Misuse;
  /** Interpreter options, passed as they are (hostile values included; NaN and ±Infinity as strings, to cross JSON). */
  arenaSize?: number | string;
  weightCacheBytes?: number | string;
  /** Size of an ArrayBuffer given as `arena` (none: no arena given). */
  arenaBytes?: number;
}

export interface ProbeResult {
  phase: 'load' | 'allocate' | 'invoke' | 'check';
  /** Name and message of the error the case ended in, if any. */
  name?: string;
  message?: string;
  /** A broken promise found without an error: wrong answers after misuse, a write into the model. */
  invariant?: string;
  /** The model's bytes changed (a write into what would be flash). */
  modelWritten?: boolean;
  /** Bytes the run holds beyond the model: the declared arena and weight cache, for the memory check. */
  declaredBytes: number;
  /** Value of `measure()` at the run's peak (Node: ArrayBuffer bytes), minus its value before. */
  measuredBytes?: number;
  skipped?: string;
}

/**
 * Runs `probe` on `bytes` with the library `lib` (the package's exports, or `tflite` in XS).
 * Never throws: every error becomes the result.
 */
export function runProbe(lib: any, bytes: Uint8Array, probe: Probe, measure?: () => number): ProbeResult {
  const result: ProbeResult = { phase: 'load', declaredBytes: 0 };
  const copy = bytes.slice();
  const base = measure ? measure() : 0;
  const fail = (phase: ProbeResult['phase'], error: any): ProbeResult => {
    result.phase = phase;
    result.name = (error && typeof error.name === 'string' && error.name) || 'Error';
    result.message = error && typeof error.message === 'string' ? error.message : String(error);
    return finish();
  };
  let detachedModel = false;
  const finish = (): ProbeResult => {
    if (!detachedModel && bytes.length === copy.length) {
      for (let i = 0; i < copy.length; i++) {
        if (bytes[i] !== copy[i]) { result.modelWritten = true; break; }
      }
    }
    return result;
  };
  // Detaches an ArrayBuffer as a user can: transfer() (ES2024) or structuredClone's transfer list.
  const detach = (buffer: ArrayBuffer): boolean => {
    try {
      if (typeof (buffer as any).transfer === 'function') { (buffer as any).transfer(); return buffer.byteLength === 0; }
      if (typeof (globalThis as any).structuredClone === 'function') { (globalThis as any).structuredClone(buffer, { transfer: [buffer] }); return buffer.byteLength === 0; }
    } catch { /* not transferable */ }
    return false;
  };
  let seed = copy.length ^ 0x9e3779b9;
  for (let i = 0; i < copy.length; i += 97) seed = (Math.imul(seed, 31) + copy[i]) | 0;
  const next = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) | 0; return (seed >>> 8) & 0xffff; };

  let model: any;
  try {
    model = lib.readModel(bytes);
  } catch (error) {
    return fail('load', error);
  }
  let arena: ArrayBuffer | undefined;
  if (probe.arenaBytes !== undefined) {
    try {
      arena = probe.misuse === 'shrink-arena'
        ? new (ArrayBuffer as any)(probe.arenaBytes, { maxByteLength: probe.arenaBytes })
        : new ArrayBuffer(probe.arenaBytes);
    } catch (error) {
      result.skipped = `no arena of ${probe.arenaBytes} bytes: ${(error as Error)?.message}`;
      return finish();
    }
  }
  let interpreter: any = null;
  let entered = false;
  const kernels = lib.ALL_KERNELS.slice();
  if (probe.misuse === 'reenter') {
    // Every kernel's prepare calls allocateTensors() once more, from inside the first.
    for (let k = 0; k < kernels.length; k++) {
      const kernel = kernels[k];
      kernels[k] = Object.assign({}, kernel, {
        prepare(ctx: unknown, node: unknown) {
          if (!entered && interpreter) { entered = true; interpreter.allocateTensors(); }
          return kernel.prepare ? kernel.prepare(ctx, node) : undefined;
        },
      });
    }
  }
  const options: any = { resolver: new lib.OpResolver(kernels) };
  if (arena) options.arena = arena;
  if (probe.arenaSize !== undefined) options.arenaSize = Number(probe.arenaSize);
  if (probe.weightCacheBytes !== undefined) options.weightCacheBytes = Number(probe.weightCacheBytes);
  const fill = (it: any): void => {
    for (let i = 0; i < it.inputCount; i++) {
      const input = it.input(i);
      if (input.isConstant && probe.misuse !== 'write-inputs') continue;
      // The README's way to set an input: quantize() from floats. A constant must refuse it.
      const type = input.typeName;
      if (type === 'float32' || type === 'int8' || type === 'uint8' || type === 'int16' || type === 'int32') {
        const values: number[] = [];
        for (let k = 0; k < input.elementCount; k++) values.push((next() - 32768) / 4096);
        input.quantize(values);
      } else {
        const data: Uint8Array = input.bytes;
        for (let k = 0; k < data.length; k++) data[k] = next() & 255;
      }
    }
  };
  const outputs = (it: any): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < it.outputCount; i++) out.push(Array.from(it.output(i).bytes as Uint8Array));
    return out;
  };
  const same = (a: number[][], b: number[][]): boolean => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (a[i].length !== b[i].length) return false;
      for (let k = 0; k < a[i].length; k++) if (a[i][k] !== b[i][k]) return false;
    }
    return true;
  };
  try {
    interpreter = new lib.Interpreter(model, options);
    if (probe.misuse === 'invoke-first') {
      let refused = false;
      try { interpreter.invoke(); } catch (error) {
        if ((error as Error)?.name !== 'UsageError') throw error;
        refused = true;
      }
      if (!refused) { result.phase = 'allocate'; result.invariant = 'invoke() before allocateTensors() did not throw'; return finish(); }
    }
    interpreter.allocateTensors();
    if (probe.misuse === 'allocate-twice') interpreter.allocateTensors();
  } catch (error) {
    return fail('allocate', error);
  }
  const asked = Number(probe.arenaSize);
  result.declaredBytes = Math.max(arena ? arena.byteLength : 0, interpreter.arenaBytes, asked > 0 && asked < Infinity ? asked : 0) + (interpreter.weightCacheBytes || 0);
  let first: number[][];
  const inputState = seed;
  try {
    fill(interpreter);
    interpreter.invoke();
    first = outputs(interpreter);
    if (measure) result.measuredBytes = measure() - base;
  } catch (error) {
    return fail('invoke', error);
  }
  // Misuse after a good run: the next invoke on the same inputs must fail with a named error or
  // give the same answer.
  let again = true;
  try {
    if (probe.misuse === 'detach-model') {
      detachedModel = detach(bytes.buffer as ArrayBuffer);
      if (!detachedModel) { result.skipped = 'cannot detach the model\'s buffer here'; again = false; }
    } else if (probe.misuse === 'detach-arena') {
      const buffer: ArrayBuffer = arena ?? interpreter.arenaBuffer;
      if (!buffer || !detach(buffer)) { result.skipped = 'cannot detach the arena here'; again = false; }
    } else if (probe.misuse === 'shrink-arena') {
      if (arena && typeof (arena as any).resize === 'function') (arena as any).resize(0);
      else { result.skipped = 'no resizable arena here'; again = false; }
    } else if (probe.misuse === 'share-arena') {
      const second = new lib.Interpreter(lib.readModel(copy.slice()), { resolver: new lib.OpResolver(kernels), arena: arena ?? interpreter.arenaBuffer });
      second.allocateTensors();
      seed = (seed ^ 0x5bd1e995) | 0; // other inputs for the second interpreter
      fill(second);
      second.invoke();
    } else if (probe.misuse !== 'allocate-twice' && probe.misuse !== 'reenter') {
      again = false;
    }
  } catch (error) {
    return fail('invoke', error);
  }
  if (again) {
    try {
      seed = inputState;
      fill(interpreter);
      interpreter.invoke();
      if (!same(first, outputs(interpreter))) {
        result.phase = 'check';
        result.invariant = `after ${probe.misuse}, invoke() gave other outputs on the same inputs, without an error`;
        return finish();
      }
    } catch (error) {
      return fail('invoke', error);
    }
  }
  result.phase = 'check';
  return finish();
}
