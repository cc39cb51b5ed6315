// Runs the XS bundle (dist/xs/tflite-xs.js) inside Moddable's XS engine through @agoric/xsnap,
// and exchanges models, inputs and outputs with it as bytes. Every command reports the
// computrons it cost and the XS heap's slot count afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { importOptional, isNotFound, MissingPackage } from '../optional-package.js';
import { packagePath } from '../package-root.js';

export interface TensorMeta {
  name: string;
  type: string;
  shape: number[];
  byteLength: number;
}

export interface XsLoadResult {
  arenaBytes: number;
  /** Operator names of the main subgraph, in order. */
  operators: string[];
  /** RAM kernels took for repacked weights (within the weightCacheBytes asked for). */
  weightCacheBytes: number;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  computrons: number;
  heapCount: number;
}

export interface XsRunResult {
  /** One buffer per model output: the outputs of every step, one after another. */
  outputs: Uint8Array[];
  computrons: number;
  heapCount: number;
}

export interface XsEngineOptions {
  /** Deep-freeze (harden) every object the library exports before use, as a Moddable preload would. */
  harden?: boolean;
  /** Path of the XS bundle; default dist/xs/tflite-xs.js next to this package's dist/node. */
  bundlePath?: string;
}

/** The error an XS-side failure arrives as: same name and message as inside XS. */
export class XsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const DRIVER = String.raw`
(function () {
  const lib = globalThis.tflite;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const state = { interpreter: null, model: null, modelCopy: null, speech: null };
  // One resolver for the engine's life, as an app's would be (preloaded, in flash): not counted
  // as RAM the loaded model holds.
  const resolver = lib.allOps();
  function pack(header, payloads) {
    const head = encoder.encode(JSON.stringify(header));
    let total = 4 + head.length;
    for (const p of payloads) total += p.byteLength;
    const out = new Uint8Array(total);
    new DataView(out.buffer).setUint32(0, head.length, true);
    out.set(head, 4);
    let at = 4 + head.length;
    for (const p of payloads) { out.set(p, at); at += p.byteLength; }
    return out.buffer;
  }
  function meta(t) {
    return { name: t.name, type: t.typeName, shape: Array.from(t.shape), byteLength: t.byteLength };
  }
  const commands = {
    load(header, payload) {
      state.model = payload;
      state.modelCopy = payload.slice();
      const options = { resolver };
      if (header.arenaSize !== undefined) options.arenaSize = header.arenaSize;
      if (header.weightCacheBytes !== undefined) options.weightCacheBytes = header.weightCacheBytes;
      if (header.maxArenaBytes !== undefined) options.maxArenaBytes = header.maxArenaBytes;
      if (header.preserveAllTensors !== undefined) options.preserveAllTensors = header.preserveAllTensors;
      state.interpreter = null;
      const interpreter = new lib.Interpreter(payload, options);
      interpreter.allocateTensors();
      state.interpreter = interpreter;
      const inputs = [], outputs = [];
      for (let i = 0; i < interpreter.inputCount; i++) inputs.push(meta(interpreter.input(i)));
      for (let i = 0; i < interpreter.outputCount; i++) outputs.push(meta(interpreter.output(i)));
      const operators = [];
      for (let i = 0; i < interpreter.operatorCount; i++) operators.push(interpreter.operatorName(i));
      return pack({ arenaBytes: interpreter.arenaBytes, weightCacheBytes: interpreter.weightCacheBytes, inputs, outputs, operators }, []);
    },
    run(header, payload) {
      const interpreter = state.interpreter;
      if (!interpreter) throw new Error('no model loaded');
      const steps = header.steps;
      const inputCount = interpreter.inputCount, outputCount = interpreter.outputCount;
      const results = [];
      for (let o = 0; o < outputCount; o++) results.push(new Uint8Array(interpreter.output(o).byteLength * steps));
      let at = 0;
      for (let s = 0; s < steps; s++) {
        for (let i = 0; i < inputCount; i++) {
          const length = interpreter.input(i).byteLength;
          interpreter.setInput(i, payload.subarray(at, at + length));
          at += length;
        }
        interpreter.invoke();
        for (let o = 0; o < outputCount; o++) {
          const bytes = interpreter.output(o).bytes;
          results[o].set(bytes, s * bytes.length);
        }
      }
      return pack({ steps }, results);
    },
    setInputs(header, payload) {
      const interpreter = state.interpreter;
      let at = 0;
      for (let i = 0; i < interpreter.inputCount; i++) {
        const length = interpreter.input(i).byteLength;
        interpreter.setInput(i, payload.subarray(at, at + length));
        at += length;
      }
      return pack({}, []);
    },
    invoke(header) {
      const interpreter = state.interpreter;
      for (let i = 0; i < header.count; i++) interpreter.invoke();
      return pack({}, []);
    },
    invokeOp(header) {
      const interpreter = state.interpreter;
      for (let i = 0; i < header.count; i++) interpreter.invokeOperator(header.index);
      return pack({}, []);
    },
    tensor(header) {
      return pack({}, [state.interpreter.tensor(header.index).bytes]);
    },
    modelUnchanged() {
      const a = state.model, b = state.modelCopy;
      let same = a.length === b.length;
      for (let i = 0; same && i < a.length; i++) if (a[i] !== b[i]) same = false;
      return pack({ unchanged: same }, []);
    },
    probe(header, payload) {
      // The fuzzer's hostile cases (fuzz-probe.ts), installed as globalThis.tfliteProbe.
      state.interpreter = null; state.model = null; state.modelCopy = null;
      return pack(globalThis.tfliteProbe(lib, payload, header.probe), []);
      },
    audioLoad(header, payload) {
      state.speech = null;
      const pre = payload.subarray(0, header.preprocessorLength);
      const keyword = payload.subarray(header.preprocessorLength);
      state.speech = new lib.MicroSpeech({ preprocessor: pre, keyword, resolver });
      return pack({ arenaBytes: state.speech.preprocessor.arenaBytes + state.speech.keyword.arenaBytes }, []);
    },
    audioFeatures(header, payload) {
      const samples = new Int16Array(payload.buffer, payload.byteOffset, payload.byteLength >> 1);
      const windows = state.speech.computeFeatures(samples);
      return pack({ windows }, [new Uint8Array(state.speech.featureData.slice().buffer)]);
    },
    audioClassify(header, payload) {
      const samples = new Int16Array(payload.buffer, payload.byteOffset, payload.byteLength >> 1);
      const index = state.speech.classify(samples);
      return pack({ index, label: state.speech.labels[index], scores: Array.from(state.speech.scores) }, []);
    },
    unload() { state.interpreter = null; state.model = null; state.modelCopy = null; return pack({}, []); },
    gc() { gc(); return pack({}, []); },
  };
  globalThis.handleCommand = function (message) {
    const bytes = new Uint8Array(message);
    const headLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headLength)));
    const payload = bytes.slice(4 + headLength);
    try {
      return commands[header.command](header, payload);
    } catch (error) {
      return pack({ error: { name: (error && error.name) || 'Error', message: String((error && error.message) || error) } }, []);
    }
  };
})();
`;

const require = createRequire(import.meta.url);

const XS_FEATURE = 'the XS engine';
// @endo/init comes with @agoric/xsnap; named too so that a strict layout (pnpm) resolves it here.
const XS_PACKAGES: readonly string[] = Object.freeze(['@agoric/xsnap', '@endo/init']);

/**
 * tmp's tmpName, which xsnap calls (for snapshots) with a template whose XXXXXX is replaced by
 * random characters; here so that the XS engine needs no tmp package of its own.
 */
function tmpName(options: { template?: string } | undefined, callback: (error: Error | null, name?: string) => void): void {
  const template = options?.template ?? 'tmp-XXXXXX';
  const name = template.replace('XXXXXX', randomBytes(6).toString('hex'));
  callback(null, path.join(os.tmpdir(), name));
}

function defaultBundlePath(): string {
  return packagePath('dist', 'xs', 'tflite-xs.js');
}

/** Where @agoric/xsnap's postinstall puts the XS binary. */
export function xsnapBinaryPath(): string {
  let entry: string;
  try {
    entry = require.resolve('@agoric/xsnap');
  } catch (error) {
    if (isNotFound(error, '@agoric/xsnap')) throw new MissingPackage(XS_FEATURE, XS_PACKAGES);
    throw error;
  }
  const platform = os.type() === 'Darwin' ? 'mac' : 'lin';
  return fileURLToPath(new URL(`../xsnap-native/xsnap/build/bin/${platform}/release/xsnap-worker`, `file://${entry}`));
}

export class XsEngine {
  private readonly worker: any;

  private constructor(worker: any) {
    this.worker = worker;
  }

  static async start(options: XsEngineOptions = {}): Promise<XsEngine> {
    const binary = xsnapBinaryPath();
    if (!fs.existsSync(binary)) {
      throw new Error(`the XS engine binary is missing (${binary}): @agoric/xsnap builds it in its install script; ` +
        'run `npm install-scripts approve @agoric/xsnap` then `npm rebuild @agoric/xsnap`');
    }
    const bundlePath = options.bundlePath ?? defaultBundlePath();
    if (!fs.existsSync(bundlePath)) throw new Error(`the XS bundle is missing (${bundlePath}): run \`npm run build\``);
    // xsnap needs the realm locked down (@endo/init). Imported only now: lockdown makes every
    // typed-array store in V8 several times slower, which Node-side work must not inherit.
    await importOptional('@endo/init', XS_FEATURE, XS_PACKAGES);
    const { xsnap } = await importOptional('@agoric/xsnap', XS_FEATURE, XS_PACKAGES);
    const worker = await xsnap({
      os: os.type(),
      spawn,
      fs: { ...fs, ...fs.promises, tmpName },
      meteringLimit: 0,
      name: 'tflite-xs',
      stderr: 'inherit',
    } as any);
    const engine = new XsEngine(worker);
    try {
      await worker.evaluate(fs.readFileSync(bundlePath, 'utf8'));
      if (options.harden) await worker.evaluate('harden(globalThis.tflite)');
      await worker.evaluate(DRIVER);
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** Evaluates code in the worker; returns the computrons it cost. */
  async evaluate(code: string): Promise<{ computrons: number; heapCount: number }> {
    const { meterUsage } = await this.worker.evaluate(code);
    return { computrons: meterUsage.compute ?? 0, heapCount: meterUsage.currentHeapCount ?? 0 };
  }

  /** XS's allocated space (heap and chunks, bytes) after the last command: it only grows. */
  private allocated = 0;

  private async command(header: object, payloads: Uint8Array[] = []): Promise<{ header: any; payload: Uint8Array; computrons: number; heapCount: number }> {
    const head = new TextEncoder().encode(JSON.stringify(header));
    let total = 4 + head.length;
    for (const p of payloads) total += p.byteLength;
    const message = new Uint8Array(total);
    new DataView(message.buffer).setUint32(0, head.length, true);
    message.set(head, 4);
    let at = 4 + head.length;
    for (const p of payloads) { message.set(p, at); at += p.byteLength; }
    const { reply, meterUsage } = await this.worker.issueCommand(message);
    if (typeof meterUsage.allocate === 'number') this.allocated = meterUsage.allocate;
    const bytes = new Uint8Array(reply);
    const headLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const replyHeader = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength)));
    if (replyHeader.error) throw new XsError(replyHeader.error.name, replyHeader.error.message);
    return { header: replyHeader, payload: bytes.subarray(4 + headLength), computrons: meterUsage.compute ?? 0, heapCount: meterUsage.currentHeapCount ?? 0 };
  }

  /** Loads and allocates a model inside XS. */
  async load(model: Uint8Array, options: { arenaSize?: number; weightCacheBytes?: number; maxArenaBytes?: number; preserveAllTensors?: boolean } = {}): Promise<XsLoadResult> {
    const r = await this.command({ command: 'load', arenaSize: options.arenaSize, weightCacheBytes: options.weightCacheBytes, maxArenaBytes: options.maxArenaBytes, preserveAllTensors: options.preserveAllTensors }, [model]);
    return { ...r.header, computrons: r.computrons, heapCount: r.heapCount };
  }

  /** Runs `steps` invokes; `inputs[i]` holds input i for every step, one after another. */
  async run(inputs: Uint8Array[], steps: number, outputSizes: number[]): Promise<XsRunResult> {
    // Interleave per step: the driver reads step s of every input from one contiguous run.
    const perStep = inputs.map(b => b.byteLength / steps);
    const stepBytes = perStep.reduce((a, b) => a + b, 0);
    const payload = new Uint8Array(stepBytes * steps);
    for (let s = 0; s < steps; s++) {
      let at = s * stepBytes;
      for (let i = 0; i < inputs.length; i++) {
        payload.set(inputs[i].subarray(s * perStep[i], (s + 1) * perStep[i]), at);
        at += perStep[i];
      }
    }
    const r = await this.command({ command: 'run', steps }, [payload]);
    const outputs: Uint8Array[] = [];
    let at = 0;
    for (const size of outputSizes) {
      outputs.push(r.payload.slice(at, at + size * steps));
      at += size * steps;
    }
    return { outputs, computrons: r.computrons, heapCount: r.heapCount };
  }

  /** Copies one step of inputs into the loaded model's input tensors. */
  async setInputs(inputs: Uint8Array[]): Promise<void> {
    await this.command({ command: 'setInputs' }, inputs);
  }

  /** Invokes `count` times with no input or output traffic: for measuring the invoke alone. */
  async invoke(count = 1): Promise<{ computrons: number; heapCount: number }> {
    const r = await this.command({ command: 'invoke', count });
    return { computrons: r.computrons, heapCount: r.heapCount };
  }

  /** Runs operator `index` alone `count` times (per-op profiling). */
  async invokeOperator(index: number, count = 1): Promise<{ computrons: number; heapCount: number }> {
    const r = await this.command({ command: 'invokeOp', index, count });
    return { computrons: r.computrons, heapCount: r.heapCount };
  }

  /** Installs the fuzzer's probe function from its source text (fuzz-probe.ts runProbe). */
  async installProbe(source: string): Promise<void> {
    const { meterUsage } = await this.worker.evaluate(`globalThis.tfliteProbe = ${source};`);
    if (typeof meterUsage?.allocate === 'number') this.allocated = meterUsage.allocate;
  }

  /**
   * Runs the installed probe on `model` inside XS; `allocatedBytes` is how much XS's allocated
   * space grew meanwhile (it never shrinks, so a case's peak need beyond earlier ones).
   */
  async probe(model: Uint8Array, probe: object): Promise<{ result: any; allocatedBytes: number }> {
    const before = this.allocated;
    const r = await this.command({ command: 'probe', probe }, [model]);
    return { result: r.header, allocatedBytes: this.allocated - before };
  }

  /** The bytes of tensor `index` of the loaded model's main subgraph, as interpreter.tensor(index) reads them. */
  async tensor(index: number): Promise<Uint8Array> {
    return (await this.command({ command: 'tensor', index })).payload.slice();
  }

  /** True when the model's bytes inside XS are as they were loaded. */
  async modelUnchanged(): Promise<boolean> {
    return (await this.command({ command: 'modelUnchanged' })).header.unchanged;
  }

  /** Builds the micro_speech pipeline (components/micro-speech.ts) inside XS from its two models. */
  async loadAudio(preprocessor: Uint8Array, keyword: Uint8Array): Promise<{ arenaBytes: number; computrons: number }> {
    const r = await this.command({ command: 'audioLoad', preprocessorLength: preprocessor.byteLength }, [preprocessor, keyword]);
    return { arenaBytes: r.header.arenaBytes, computrons: r.computrons };
  }

  /** The pipeline's 49 × 40 features of one clip (int16 samples), and what computing them cost. */
  async audioFeatures(samples: Int16Array): Promise<{ features: Int8Array; windows: number; computrons: number }> {
    const r = await this.command({ command: 'audioFeatures' }, [new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)]);
    return { features: new Int8Array(r.payload.slice().buffer), windows: r.header.windows, computrons: r.computrons };
  }

  /** Features and keyword model for one clip: the scores, the best one's index and label. */
  async classifyAudio(samples: Int16Array): Promise<{ scores: number[]; index: number; label: string; computrons: number }> {
    const r = await this.command({ command: 'audioClassify' }, [new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)]);
    return { scores: r.header.scores, index: r.header.index, label: r.header.label, computrons: r.computrons };
  }

  /** Drops the loaded model so that its objects can be collected. */
  async unload(): Promise<void> {
    await this.command({ command: 'unload' });
  }

  async gc(): Promise<number> {
    return (await this.command({ command: 'gc' })).heapCount;
  }

  async close(): Promise<void> {
    try {
      await this.worker.close();
    } catch {
      // already gone
    }
  }
}
