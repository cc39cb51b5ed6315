// A TFLite model as a component: loads (without copying the weights), allocates its arena once,
// and predicts from real numbers, quantizing inputs and dequantizing outputs when the model is int8.
// It takes the kernels from the caller: importing every kernel here would put all of them in every
// app that uses Model.
import { UsageError } from '../core/errors.js';
import { Interpreter } from '../core/interpreter.js';
import type { Kernel } from '../core/kernel.js';
import { OpResolver } from '../core/resolver.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';

/**
 * Where the model's bytes are: a Moddable Resource (flash, viewed in place), a preloaded
 * ArrayBuffer (flash), or any ArrayBuffer / Uint8Array in RAM.
 */
export type ModelSource = ArrayBuffer | Uint8Array | { readonly byteLength: number };

export interface ModelOptions {
  model: ModelSource;
  /**
   * The kernels the model needs: a resolver (the one `tflite-xs resolver MODEL -o DIR` writes, or
   * allOps() from "tflite-xs/kernels/all" on the host), or the kernels themselves. One is required.
   */
  resolver?: OpResolver;
  kernels?: readonly Kernel[];
  /** Arena bytes to allocate, or an arena to plan into. Default: exactly what the plan needs. */
  arenaSize?: number;
  arena?: ArrayBuffer;
}

export class Model {
  readonly interpreter: Interpreter;
  private readonly input: Tensor;
  private readonly output: Tensor;

  constructor(options: ModelOptions) {
    if (!options || typeof options !== 'object' || !options.model) {
      throw new UsageError('new Model({model}) needs the model: a Resource, an ArrayBuffer or a Uint8Array');
    }
    const resolver = options.resolver ?? (options.kernels ? new OpResolver(options.kernels) : undefined);
    if (!resolver) {
      throw new UsageError('new Model({model, resolver}) needs the kernels: a resolver (tflite-xs resolver MODEL -o DIR writes one) or {kernels: [...]}');
    }
    this.interpreter = new Interpreter(options.model, {
      resolver,
      arenaSize: options.arenaSize,
      arena: options.arena,
    });
    this.interpreter.allocateTensors();
    this.input = this.interpreter.input(0);
    this.output = this.interpreter.output(0);
  }

  /** Bytes of RAM the arena takes. */
  get arenaBytes(): number {
    return this.interpreter.arenaBytes;
  }

  get inputSize(): number {
    return this.input.elementCount;
  }

  get outputSize(): number {
    return this.output.elementCount;
  }

  /** True when the model's input or output is quantized (int8, uint8 or int16). */
  get quantized(): boolean {
    return isQuantized(this.input) || isQuantized(this.output);
  }

  /**
   * Runs the model on real numbers. A single number in gives the first output back as a number;
   * an array in (as many values as the input holds) gives every output value back.
   */
  predict(x: number): number;
  predict(x: ArrayLike<number>): Float32Array;
  predict(x: number | ArrayLike<number>): number | Float32Array {
    const input = this.input;
    if (typeof x === 'number') {
      if (input.elementCount !== 1) throw new UsageError(`predict(number): the model's input takes ${input.elementCount} values; pass an array`);
      writeOne(input, x);
    } else {
      input.quantize(x);
    }
    this.interpreter.invoke();
    const output = this.output;
    if (typeof x === 'number') return readOne(output);
    return output.dequantize();
  }
}
Object.freeze(Model.prototype);

function isQuantized(tensor: Tensor): boolean {
  return tensor.type === TensorType.INT8 || tensor.type === TensorType.UINT8 || tensor.type === TensorType.INT16;
}

// The one-value paths allocate nothing, so a predict loop does not churn the heap.
function writeOne(tensor: Tensor, value: number): void {
  if (tensor.type === TensorType.FLOAT32) {
    tensor.data[0] = value;
    return;
  }
  if (!isQuantized(tensor)) throw new UsageError(`predict: input ${tensor.describe()} is neither float32 nor quantized`);
  const low = tensor.type === TensorType.INT8 ? -128 : tensor.type === TensorType.UINT8 ? 0 : -32768;
  const high = tensor.type === TensorType.INT8 ? 127 : tensor.type === TensorType.UINT8 ? 255 : 32767;
  const scaled = value / tensor.scale;
  // Half away from zero, as TFLite's converter and Tensor.quantize round.
  let q = (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) + tensor.zeroPoint;
  if (q !== q) q = tensor.zeroPoint;
  tensor.data[0] = q < low ? low : q > high ? high : q;
}

function readOne(tensor: Tensor): number {
  const raw = tensor.data[0] as number;
  if (tensor.type === TensorType.FLOAT32) return raw;
  if (!isQuantized(tensor)) throw new UsageError(`predict: output ${tensor.describe()} is neither float32 nor quantized`);
  return (raw - tensor.zeroPoint) * tensor.scale;
}
