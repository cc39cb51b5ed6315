// Reference TFLite, as a second opinion for differential tests: the WebAssembly build of
// TFLite in @tensorflow/tfjs-tflite, driven directly through its Emscripten module so that no
// browser globals or tfjs backends are needed. TFLM's reference kernels remain the rule; this
// runtime uses TFLite's optimized kernels (and the XNNPACK delegate, which it applies on its
// own), so it may round differently by one step on some quantized ops.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { medianMs } from './timing.js';
import { MissingPackage } from '../optional-package.js';

export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

interface EmbindObject { delete(): void }
interface WebTensorInfo extends EmbindObject {
  readonly id: number;
  readonly dataType: string;
  readonly name: string;
  readonly shape: string;
  data(): TypedArray;
}
interface EmbindVector<T> extends EmbindObject { size(): number; get(i: number): T }
interface WebRunner extends EmbindObject {
  GetInputs(): EmbindVector<WebTensorInfo>;
  GetOutputs(): EmbindVector<WebTensorInfo>;
  Infer(): boolean;
}
interface StatusOr<T> extends EmbindObject { ok(): boolean; errorMessage(): string; value(): T }
interface TfliteWebModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(ptr: number, length: number, options: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number }): StatusOr<WebRunner>;
  };
}

export class ReferenceTfliteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceTfliteError';
  }
}

let modulePromise: Promise<TfliteWebModule> | null = null;
/** Lines TFLite logs while a model is being built or run; cleared before each call. */
let log: string[] = [];

// The plain build: the SIMD variant is equally deterministic but the threaded ones need
// workers, which this runner has no use for (one thread keeps results reproducible).
const MODULE_FILE = '@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc.js';

function loadModule(): Promise<TfliteWebModule> {
  if (modulePromise) return modulePromise;
  modulePromise = (async () => {
    const require = createRequire(import.meta.url);
    let jsPath: string;
    try {
      jsPath = require.resolve(MODULE_FILE);
    } catch {
      throw new MissingPackage('reference TFLite', ['@tensorflow/tfjs-tflite']);
    }
    const wasmPath = jsPath.replace(/\.js$/, '.wasm');
    if (!existsSync(wasmPath)) throw new ReferenceTfliteError(`reference TFLite is not available: ${wasmPath} is missing`);
    const factory = require(jsPath) as (options: object) => Promise<TfliteWebModule>;
    if (typeof factory !== 'function') throw new ReferenceTfliteError(`${jsPath} does not export an Emscripten module factory`);
    return factory({
      wasmBinary: readFileSync(wasmPath),
      print: (line: string) => { log.push(line); },
      printErr: (line: string) => { log.push(line); },
    });
  })();
  modulePromise.catch(() => { modulePromise = null; });
  return modulePromise;
}

function logText(): string {
  const lines = log.filter(line => !/XNNPACK delegate for CPU/.test(line));
  return lines.length ? `: ${lines.join('; ')}` : '';
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Runs a model in reference TFLite (one thread). Inputs are typed arrays of each input tensor's
 * type (or raw bytes as a Uint8Array). With `steps` > 1 each input holds `steps` inputs one
 * after another, the model is invoked that many times keeping its state, and each output holds
 * the `steps` outputs one after another. Outputs are copies.
 */
export async function runReference(modelBytes: Uint8Array, inputs: readonly ArrayBufferView[], steps = 1): Promise<TypedArray[]> {
  const module = await loadModule();
  log = [];
  let modelPtr = 0;
  let runner: WebRunner | null = null;
  try {
    modelPtr = module._malloc(modelBytes.length);
    module.HEAPU8.set(modelBytes, modelPtr);
    const status = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(modelPtr, modelBytes.length, {
      numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024,
    });
    const ok = status.ok();
    if (!ok) {
      const message = status.errorMessage();
      status.delete();
      throw new ReferenceTfliteError(`reference TFLite refused the model: ${message}${logText()}`);
    }
    runner = status.value();
    status.delete();
    const inputInfo = tensorList(runner.GetInputs());
    const outputInfo = tensorList(runner.GetOutputs());
    try {
      if (inputs.length !== inputInfo.length) throw new ReferenceTfliteError(`the model has ${inputInfo.length} inputs, got ${inputs.length}`);
      for (const t of [...inputInfo, ...outputInfo]) {
        if (!ArrayBuffer.isView(t.data())) throw new ReferenceTfliteError(`reference TFLite cannot expose ${t.dataType} tensor "${t.name}" (tfjs-tflite has no view for that type)`);
      }
      const outputs: Uint8Array[] = [];
      const outputSizes = outputInfo.map(t => t.data().byteLength);
      for (let k = 0; k < outputInfo.length; k++) outputs.push(new Uint8Array(outputSizes[k] * steps));
      for (let step = 0; step < steps; step++) {
        for (let i = 0; i < inputInfo.length; i++) {
          // Views into the WebAssembly heap go stale when it grows: take a fresh one each time.
          const target = bytesOf(inputInfo[i].data());
          const source = bytesOf(inputs[i]);
          if (source.byteLength !== target.byteLength * steps) {
            throw new ReferenceTfliteError(`input ${i} (${inputInfo[i].dataType} [${inputInfo[i].shape}]) takes ${target.byteLength * steps} bytes for ${steps} step(s), got ${source.byteLength}`);
          }
          target.set(source.subarray(step * target.byteLength, (step + 1) * target.byteLength));
        }
        log = [];
        if (!runner.Infer()) throw new ReferenceTfliteError(`reference TFLite failed to invoke the model${logText()}`);
        for (let k = 0; k < outputInfo.length; k++) outputs[k].set(bytesOf(outputInfo[k].data()), step * outputSizes[k]);
      }
      return outputInfo.map((t, k) => retype(t.data(), outputs[k]));
    } finally {
      for (const t of inputInfo) t.delete();
      for (const t of outputInfo) t.delete();
    }
  } catch (error) {
    if (error instanceof ReferenceTfliteError) throw error;
    // An abort inside the module leaves it unusable: load a fresh one next time.
    modulePromise = null;
    throw new ReferenceTfliteError(`reference TFLite crashed: ${(error as Error)?.message ?? error}${logText()}`);
  } finally {
    if (runner) {
      try { runner.delete(); } catch { /* the module aborted; it is dropped already */ }
    }
    if (modelPtr) {
      try { module._free(modelPtr); } catch { /* as above */ }
    }
  }
}

function tensorList(vector: EmbindVector<WebTensorInfo>): WebTensorInfo[] {
  const list: WebTensorInfo[] = [];
  for (let i = 0, n = vector.size(); i < n; i++) list.push(vector.get(i));
  vector.delete();
  return list;
}

/** Bytes as a typed array of the same kind as `like`, owning its own buffer. */
function retype(like: TypedArray, bytes: Uint8Array): TypedArray {
  const Ctor = like.constructor as { new (buffer: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number };
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

/** Whether reference TFLite can be loaded here (for tests that skip without it). */
export async function referenceAvailable(): Promise<boolean> {
  try {
    await loadModule();
    return true;
  } catch {
    return false;
  }
}

/**
 * Median milliseconds per Infer() of reference TFLite (one thread) on one input set, timed like
 * the benchmark times our own invoke: warm-up, then repeated calls for about `budgetMs`.
 */
export async function timeReference(modelBytes: Uint8Array, inputs: readonly ArrayBufferView[], budgetMs: number): Promise<number> {
  const module = await loadModule();
  log = [];
  const modelPtr = module._malloc(modelBytes.length);
  let runner: WebRunner | null = null;
  try {
    module.HEAPU8.set(modelBytes, modelPtr);
    const status = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(modelPtr, modelBytes.length, {
      numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024,
    });
    if (!status.ok()) {
      const message = status.errorMessage();
      status.delete();
      throw new ReferenceTfliteError(`reference TFLite refused the model: ${message}${logText()}`);
    }
    runner = status.value();
    status.delete();
    const inputInfo = tensorList(runner.GetInputs());
    try {
      inputInfo.forEach((t, i) => bytesOf(t.data()).set(bytesOf(inputs[i]).subarray(0, t.data().byteLength)));
    } finally {
      for (const t of inputInfo) t.delete();
    }
    const active = runner;
    return medianMs(() => {
      if (!active.Infer()) throw new ReferenceTfliteError(`reference TFLite failed to invoke the model${logText()}`);
    }, budgetMs);
  } finally {
    if (runner) runner.delete();
    module._free(modelPtr);
  }
}
