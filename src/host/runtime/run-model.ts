// One way to run a model on raw input bytes, in Node or inside XS, with the same checks and the
// same result shape: what the CLI, the benchmark and the tests share.
import { Interpreter } from '../../core/interpreter.js';
import { UsageError } from '../../core/errors.js';
import { allOps } from '../../kernels/all.js';
import { XsEngine, type TensorMeta } from './xs-runner.js';

export type Engine = 'node' | 'xs';

export interface RunResult {
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  /** One buffer per output: every step's output, one after another. */
  outputData: Uint8Array[];
  steps: number;
  arenaBytes: number;
  /** XS only: computrons of loading + allocating, and of all the invokes with their copies. */
  computrons?: { load: number; run: number };
}

export interface RunOptions {
  engine?: Engine;
  arenaSize?: number;
  harden?: boolean;
}

/**
 * Each input holds exactly one tensor's bytes, or N times that for N invokes in sequence on one
 * interpreter with its state kept; every input must imply the same N.
 */
export function stepsFor(inputs: readonly Uint8Array[], metas: readonly TensorMeta[]): number {
  if (inputs.length !== metas.length) {
    throw new UsageError(`the model has ${metas.length} input${metas.length === 1 ? '' : 's'}, got ${inputs.length} input file${inputs.length === 1 ? '' : 's'}`);
  }
  let steps = -1;
  for (let i = 0; i < inputs.length; i++) {
    const size = metas[i].byteLength, got = inputs[i].byteLength;
    const name = metas[i].name ? ` "${metas[i].name}"` : '';
    if (size === 0 || got === 0 || got % size !== 0) {
      throw new UsageError(`input ${i}${name} (${metas[i].type} [${metas[i].shape.join(', ')}]) takes ${size} bytes (or a multiple, one per invoke), got ${got}`);
    }
    const n = got / size;
    if (steps >= 0 && n !== steps) throw new UsageError(`input ${i}${name} holds ${n} steps but input 0 holds ${steps}`);
    steps = n;
  }
  return Math.max(steps, 1);
}

export async function runModel(model: Uint8Array, inputs: Uint8Array[], options: RunOptions = {}): Promise<RunResult> {
  return (options.engine ?? 'node') === 'xs' ? runOnXs(model, inputs, options) : runOnNode(model, inputs, options);
}

function meta(t: { name: string; typeName: string; shape: Int32Array; byteLength: number }): TensorMeta {
  return { name: t.name, type: t.typeName, shape: Array.from(t.shape), byteLength: t.byteLength };
}

export function runOnNode(model: Uint8Array, inputs: Uint8Array[], options: RunOptions = {}): RunResult {
  const interpreter = new Interpreter(model, { resolver: allOps(), arenaSize: options.arenaSize });
  interpreter.allocateTensors();
  const inputMetas = [], outputMetas = [];
  for (let i = 0; i < interpreter.inputCount; i++) inputMetas.push(meta(interpreter.input(i)));
  for (let i = 0; i < interpreter.outputCount; i++) outputMetas.push(meta(interpreter.output(i)));
  const steps = stepsFor(inputs, inputMetas);
  const outputData = outputMetas.map(m => new Uint8Array(m.byteLength * steps));
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < inputs.length; i++) {
      const size = inputMetas[i].byteLength;
      interpreter.setInput(i, inputs[i].subarray(s * size, (s + 1) * size));
    }
    interpreter.invoke();
    for (let o = 0; o < outputMetas.length; o++) outputData[o].set(interpreter.output(o).bytes, s * outputMetas[o].byteLength);
  }
  return { inputs: inputMetas, outputs: outputMetas, outputData, steps, arenaBytes: interpreter.arenaBytes };
}

export async function runOnXs(model: Uint8Array, inputs: Uint8Array[], options: RunOptions = {}): Promise<RunResult> {
  const engine = await XsEngine.start({ harden: options.harden });
  try {
    const loaded = await engine.load(model, { arenaSize: options.arenaSize });
    const steps = stepsFor(inputs, loaded.inputs);
    const run = await engine.run(inputs, steps, loaded.outputs.map(o => o.byteLength));
    return {
      inputs: loaded.inputs, outputs: loaded.outputs, outputData: run.outputs, steps, arenaBytes: loaded.arenaBytes,
      computrons: { load: loaded.computrons, run: run.computrons },
    };
  } finally {
    await engine.close();
  }
}
