// TFLM's micro_speech pipeline from audio (examples/micro_speech): the audio preprocessor model
// (the Signal front end) runs on 480-sample windows (30 ms at 16 kHz) every 320 samples (20 ms),
// its state (noise estimates) kept from window to window, and its 40 int8 features per window
// are stacked, 49 windows for one second, into the keyword model's input; the keyword model then
// scores silence, unknown, yes and no. Device code: the caller gives both models and the kernels.
import { UsageError } from '../core/errors.js';
import { Interpreter } from '../core/interpreter.js';
import type { Kernel } from '../core/kernel.js';
import { OpResolver } from '../core/resolver.js';
import { TensorType } from '../core/types.js';
import type { ModelSource } from './model.js';

export const MICRO_SPEECH_LABELS: readonly string[] = Object.freeze(['silence', 'unknown', 'yes', 'no']);
/** Samples per window, samples between windows, windows per clip, features per window. */
export const MICRO_SPEECH_WINDOW = 480;
export const MICRO_SPEECH_STRIDE = 320;
export const MICRO_SPEECH_WINDOWS = 49;
export const MICRO_SPEECH_FEATURES = 40;

export interface MicroSpeechOptions {
  /** audio_preprocessor_int8.tflite: int16 [1, 480] in, int8 [40] out. */
  preprocessor: ModelSource;
  /** micro_speech_quantized.tflite: int8 49 × 40 features in, int8 scores out. */
  keyword: ModelSource;
  /** The kernels both models need (a resolver, or the kernels themselves). */
  resolver?: OpResolver;
  kernels?: readonly Kernel[];
  labels?: readonly string[];
}

export class MicroSpeech {
  readonly preprocessor: Interpreter;
  readonly keyword: Interpreter;
  readonly labels: readonly string[];
  private readonly window: Int16Array;
  private readonly feature: Int8Array;
  private readonly features: Int8Array;
  private readonly output: Int8Array;

  constructor(options: MicroSpeechOptions) {
    if (!options || typeof options !== 'object' || !options.preprocessor || !options.keyword) {
      throw new UsageError('new MicroSpeech({preprocessor, keyword, resolver}) needs both models');
    }
    const resolver = options.resolver ?? (options.kernels ? new OpResolver(options.kernels) : undefined);
    if (!resolver) throw new UsageError('new MicroSpeech({...}) needs the kernels: a resolver or {kernels: [...]}');
    this.labels = options.labels ?? MICRO_SPEECH_LABELS;
    this.preprocessor = new Interpreter(options.preprocessor, { resolver }).allocateTensors();
    this.keyword = new Interpreter(options.keyword, { resolver }).allocateTensors();
    const pin = this.preprocessor.input(0), pout = this.preprocessor.output(0);
    if (pin.type !== TensorType.INT16 || pin.elementCount !== MICRO_SPEECH_WINDOW) {
      throw new UsageError(`the preprocessor's input ${pin.describe()} is not ${MICRO_SPEECH_WINDOW} int16 samples`);
    }
    if (pout.type !== TensorType.INT8 || pout.elementCount !== MICRO_SPEECH_FEATURES) {
      throw new UsageError(`the preprocessor's output ${pout.describe()} is not ${MICRO_SPEECH_FEATURES} int8 features`);
    }
    const kin = this.keyword.input(0), kout = this.keyword.output(0);
    if (kin.type !== TensorType.INT8 || kin.elementCount !== MICRO_SPEECH_WINDOWS * MICRO_SPEECH_FEATURES) {
      throw new UsageError(`the keyword model's input ${kin.describe()} is not ${MICRO_SPEECH_WINDOWS} × ${MICRO_SPEECH_FEATURES} int8 features`);
    }
    if (kout.type !== TensorType.INT8 || kout.elementCount !== this.labels.length) {
      throw new UsageError(`the keyword model's output ${kout.describe()} is not ${this.labels.length} int8 scores`);
    }
    this.window = pin.data as Int16Array;
    this.feature = pout.data as Int8Array;
    this.features = kin.data as Int8Array;
    this.output = kout.data as Int8Array;
  }

  /**
   * The preprocessor over one clip (from a fresh state, as TFLM's test does for each clip) into
   * the keyword model's input: windows at 0, 320, ... while 480 samples remain, at most 49;
   * windows the clip is too short for are zeros. Returns the count of windows computed.
   */
  computeFeatures(samples: Int16Array): number {
    if (!(samples instanceof Int16Array)) throw new UsageError('computeFeatures(samples) needs an Int16Array of 16 kHz samples');
    const features = this.features;
    this.preprocessor.resetVariables();
    features.fill(0);
    let count = 0;
    for (let start = 0; start + MICRO_SPEECH_WINDOW <= samples.length && count < MICRO_SPEECH_WINDOWS; start += MICRO_SPEECH_STRIDE) {
      this.computeWindow(samples, start, features, count * MICRO_SPEECH_FEATURES);
      count++;
    }
    return count;
  }

  /**
   * One window through the preprocessor, its state (noise estimates) kept from the window before:
   * the 480 samples from samples[start] in, the 40 features out to into[at…at + 39]. A stream
   * calls it every 320 samples; resetVariables() on `preprocessor` starts a new stream.
   */
  computeWindow(samples: Int16Array, start: number, into: Int8Array, at: number): void {
    if (!(start >= 0 && start + MICRO_SPEECH_WINDOW <= samples.length)) throw new UsageError(`computeWindow: samples ${start}…${start + MICRO_SPEECH_WINDOW - 1} are outside the ${samples.length} given`);
    if (!(at >= 0 && at + MICRO_SPEECH_FEATURES <= into.length)) throw new UsageError(`computeWindow: features ${at}…${at + MICRO_SPEECH_FEATURES - 1} are outside the ${into.length} given`);
    const window = this.window, feature = this.feature;
    for (let i = 0; i < MICRO_SPEECH_WINDOW; i++) window[i] = samples[start + i];
    this.preprocessor.invoke();
    for (let i = 0; i < MICRO_SPEECH_FEATURES; i++) into[at + i] = feature[i];
  }

  /**
   * The keyword model on 49 × 40 features kept elsewhere (a stream's ring, oldest window first):
   * they are copied into its input (which the model's plan reuses while it runs). Returns the
   * index of the best score; the scores are in `scores`.
   */
  scoreFeatures(features: Int8Array): number {
    if (!(features instanceof Int8Array) || features.length !== this.features.length) throw new UsageError(`scoreFeatures: ${this.features.length} int8 features expected`);
    this.features.set(features);
    this.keyword.invoke();
    return this.best();
  }

  /** The stacked features the last computeFeatures() wrote (the keyword model's input, a view). */
  get featureData(): Int8Array {
    return this.features;
  }

  /** The keyword model's int8 scores (a view, valid until the next classify()). */
  get scores(): Int8Array {
    return this.output;
  }

  /** Features, then the keyword model: the index of the best score (the first, on a tie). */
  classify(samples: Int16Array): number {
    this.computeFeatures(samples);
    this.keyword.invoke();
    return this.best();
  }

  private best(): number {
    const scores = this.output;
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
    return best;
  }

  /** The label of classify()'s answer. */
  label(samples: Int16Array): string {
    return this.labels[this.classify(samples)];
  }
}

Object.freeze(MicroSpeech.prototype);
