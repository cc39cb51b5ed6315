// A TFLite model as a component: loads (without copying the weights), allocates its arena once,
// and predicts from real numbers, quantizing inputs and dequantizing outputs when the model is int8.
// It takes the kernels from the caller: importing every kernel here would put all of them in every
// app that uses Model.
//
// Events as Johnny-Five's Sensor: "data" after every inference, "change" when the model's value
// moves (the top class of a classifier; the output of a one-value model by more than
// `threshold`). A predict allocates nothing: the outputs go into the caller's array or into one
// array the model made at construction (a plain array: XS slots, not a typed array outside the
// arena), and emit() allocates nothing either.
import { UsageError } from '../core/errors.js';
import { Interpreter } from '../core/interpreter.js';
import type { Kernel } from '../core/kernel.js';
import type { Profiler } from '../core/profiler.js';
import { OpResolver } from '../core/resolver.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';
import { Emitter } from './emitter.js';

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
  /** Times each operator at every predict (new Profiler(board.ticks)); opt-in, 16 B per operator of arena. */
  profiler?: Profiler;
  /**
   * One-value models: "change" fires when the output moves by more than this from the value of
   * the last "change" (Johnny-Five's Sensor threshold). Default 0: any change. Classifiers
   * (several outputs) fire "change" when the top class changes.
   */
  threshold?: number;
}

/** What predict() fills: a Float32Array, a Float64Array or a plain array, at least outputSize long. */
export type Outputs = Float32Array | Float64Array | number[];

export class Model extends Emitter {
  readonly interpreter: Interpreter;
  private readonly input: Tensor;
  private readonly output: Tensor;
  private readonly result: number[];
  private readonly threshold: number;
  private last: Outputs;
  /** Top class (classifiers), or 0 once a one-value model has predicted; -1 before. */
  private current = -1;
  /** One-value models: the value of the last "change". */
  private changed = NaN;
  private ranToEnd = false;

  constructor(options: ModelOptions) {
    super();
    if (!options || typeof options !== 'object' || !options.model) {
      throw new UsageError('new Model({model}) needs the model: a Resource, an ArrayBuffer or a Uint8Array');
    }
    const resolver = options.resolver ?? (options.kernels ? new OpResolver(options.kernels) : undefined);
    if (!resolver) {
      throw new UsageError('new Model({model, resolver}) needs the kernels: a resolver (tflite-xs resolver MODEL -o DIR writes one) or {kernels: [...]}');
    }
    const threshold = options.threshold ?? 0;
    if (!(threshold >= 0)) throw new UsageError(`new Model({threshold}): threshold must be a number >= 0, got ${options.threshold}`);
    this.threshold = threshold;
    this.interpreter = new Interpreter(options.model, {
      resolver,
      arenaSize: options.arenaSize,
      arena: options.arena,
      profiler: options.profiler,
    });
    this.interpreter.allocateTensors();
    this.input = this.interpreter.input(0);
    this.output = this.interpreter.output(0);
    const result: number[] = [];
    for (let i = 0; i < this.output.elementCount; i++) result.push(0);
    this.result = result;
    this.last = result;
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
   * Whether the last predict ran every operator. False when one ended the invoke early (TFLM's
   * kTfLiteAbort: CIRCULAR_BUFFER before its period is up); that predict read no output.
   */
  get completed(): boolean {
    return this.ranToEnd;
  }

  /** The outputs of the last predict (the array it filled; reused by the next one). */
  get values(): Outputs {
    return this.last;
  }

  /**
   * The model's value, as a Johnny-Five sensor's: for a classifier (several outputs) the index of
   * the top class of the last predict (the first, on a tie); for a one-value model that value.
   * -1 / NaN before the first predict.
   */
  get value(): number {
    if (this.result.length > 1) return this.current;
    return this.current < 0 ? NaN : this.last[0];
  }

  /**
   * Runs the model on real numbers. A single number in gives the first output back as a number;
   * an array in (as many values as the input holds) gives every output value back, in `into`
   * when given (a Float32Array, Float64Array or number[] of at least outputSize), else in the
   * model's own array, overwritten by the next predict. Allocates nothing either way. Then emits
   * "data" (values) and, when the value moved, "change" (value, values).
   *
   * When an operator ends the invoke early (see `completed`), no output is read and nothing is
   * emitted: a number predict returns NaN, an array predict its array as it was.
   */
  predict(x: number): number;
  predict<T extends Outputs>(x: ArrayLike<number>, into: T): T;
  predict(x: ArrayLike<number>): number[];
  predict(x: number | ArrayLike<number>, into?: Outputs): number | Outputs {
    const input = this.input;
    if (typeof x === 'number') {
      if (input.elementCount !== 1) throw new UsageError(`predict(number): the model's input takes ${input.elementCount} values; pass an array`);
      writeOne(input, x);
    } else {
      input.quantize(x);
    }
    let out: Outputs = this.result;
    if (into !== undefined) {
      if (into === null || typeof into !== 'object' || typeof into.length !== 'number') throw new UsageError('predict(x, into): into must be a Float32Array, a Float64Array or an array');
      if (into.length < out.length) throw new UsageError(`predict(x, into): the model has ${out.length} outputs; into holds ${into.length}`);
      out = into;
    }
    this.ranToEnd = this.interpreter.invoke();
    if (!this.ranToEnd) return typeof x === 'number' ? NaN : out;
    readAll(this.output, out);
    this.last = out;
    this.emitEvents(out);
    return typeof x === 'number' ? out[0] : out;
  }

  private emitEvents(out: Outputs): void {
    const n = this.result.length;
    if (n > 1) {
      let top = 0;
      for (let i = 1; i < n; i++) if (out[i] > out[top]) top = i;
      const moved = top !== this.current;
      this.current = top;
      this.emit('data', out);
      if (moved) this.emit('change', top, out);
      return;
    }
    const value = out[0], since = this.changed;
    // The first value is a change, as Johnny-Five's first reading is; NaN to NaN is not.
    const moved = this.current < 0 || (value !== value ? since === since : !(Math.abs(value - since) <= this.threshold));
    this.current = 0;
    this.emit('data', out);
    if (moved) {
      this.changed = value;
      this.emit('change', value, out);
    }
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

function readAll(tensor: Tensor, out: Outputs): void {
  const data = tensor.data, n = tensor.elementCount;
  if (tensor.type === TensorType.FLOAT32) {
    for (let i = 0; i < n; i++) out[i] = data[i];
    return;
  }
  if (!isQuantized(tensor)) throw new UsageError(`predict: output ${tensor.describe()} is neither float32 nor quantized`);
  const scale = tensor.scale, zeroPoint = tensor.zeroPoint;
  for (let i = 0; i < n; i++) out[i] = (data[i] - zeroPoint) * scale;
}
