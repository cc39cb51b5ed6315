// The micro_speech example, the same on every target: 16 kHz sound from an audio input goes, 30 ms
// windows every 20 ms, through TFLM's audio preprocessor (its noise state kept from window to
// window) into a ring of the last 49 windows' 40 features; every few windows the keyword model
// scores that second of features (silence, unknown, yes, no), TFLM's RecognizeCommands smooths
// the scores over the last second, and a new command is logged ("Heard yes (255) @1300ms", as
// TFLM's RespondToCommand prints it) and shown on the display with the spectrogram and a bar per
// score. The caller brings what differs per target: the two models' bytes (Resources on
// Moddable), the audio input (AudioIn, or RecordedAudio over WAV Resources), the display, the
// log sink and the timer. The kernels of both models come from resolver.js, written with
// manifest_resolver.json by `tflite-xs resolver audio_preprocessor_int8.tflite micro_speech_quantized.tflite -o .`.
//
// Memory: the window and the feature ring are made once, with the app; a chunk of audio, a
// window through the preprocessor, an inference and its drawing allocate nothing (a log line,
// made only when a command is heard, is the one string).
import {
  Board, FrameView, Logger, MicroSpeech, RecognizeCommands, MICRO_SPEECH_FEATURES, MICRO_SPEECH_LABELS, MICRO_SPEECH_STRIDE, MICRO_SPEECH_WINDOW, MICRO_SPEECH_WINDOWS,
  type AudioSource, type Display, type LogSink, type ModelSource, type Scheduler,
} from 'tflite-xs/components';
import { resolver } from './resolver.js';

/** The keyword model's classes in the order of its scores (TFLM's kCategoryLabels). */
export const LABELS: readonly string[] = MICRO_SPEECH_LABELS;
/** The words drawn in the highlight color: yes and no. */
export const WORDS: readonly number[] = Object.freeze([2, 3]);
/** Milliseconds of audio between two windows. */
export const STRIDE_MS = 20;
/** Windows between two inferences by default: 5, one inference every 100 ms. */
export const INFERENCE_EVERY = 5;

export interface SpotterOptions {
  /** audio_preprocessor_int8.tflite */
  preprocessor: ModelSource;
  /** micro_speech_quantized.tflite */
  keyword: ModelSource;
  display: Display;
  /** Default: trace() (the serial console), or stdout on Node. */
  sink?: LogSink;
  /** Windows between inferences. Default INFERENCE_EVERY. */
  every?: number;
}

/** The keyword spotter: feed() it audio as it comes; it infers, recognises, draws and logs. */
export class KeywordSpotter {
  readonly speech: MicroSpeech;
  readonly recognizer: RecognizeCommands;
  readonly view: FrameView;
  readonly logger: Logger;
  readonly every: number;
  /** The last command heard since the start (or reset()), -1 before the first. */
  heard = -1;
  /** Windows computed since the start (or reset()); the stream's time is windows × 20 ms. */
  windows = 0;
  /** Inferences run since the start (or reset()). */
  inferences = 0;
  // The last 480 samples: a window, then its last 160 samples begin the next one.
  private readonly window = new Int16Array(MICRO_SPEECH_WINDOW);
  private filled = 0;
  // The last 49 windows' features, oldest first: the keyword model's input, kept outside its
  // arena, whose plan reuses the input's bytes while the model runs.
  private readonly features = new Int8Array(MICRO_SPEECH_WINDOWS * MICRO_SPEECH_FEATURES);
  private readonly probabilities = new Float64Array(MICRO_SPEECH_LABELS.length);
  private readonly scale: number;
  private readonly zeroPoint: number;

  constructor(options: SpotterOptions) {
    this.logger = new Logger({ sink: options.sink });
    this.speech = new MicroSpeech({ preprocessor: options.preprocessor, keyword: options.keyword, resolver });
    this.recognizer = new RecognizeCommands({ labels: this.speech.labels });
    const every = options.every ?? INFERENCE_EVERY;
    if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`every must be a whole number of windows ≥ 1, got ${every}`);
    // TFLM's queue holds 50 results: one inference per window would overflow a second's worth.
    if (Math.ceil(this.recognizer.averageWindowMs / (every * STRIDE_MS)) + 1 > this.recognizer.capacity) {
      throw new RangeError(`an inference every ${every} window(s) keeps more results than RecognizeCommands holds (${this.recognizer.capacity})`);
    }
    this.every = every;
    const output = this.speech.keyword.output(0);
    this.scale = output.scale;
    this.zeroPoint = output.zeroPoint;
    this.features.fill(-128);
    this.logger.info(`micro_speech: arenas ${this.speech.preprocessor.arenaBytes} + ${this.speech.keyword.arenaBytes} bytes, an inference every ${every * STRIDE_MS} ms`);
    this.view = new FrameView({
      display: options.display,
      frameWidth: MICRO_SPEECH_FEATURES,
      frameHeight: MICRO_SPEECH_WINDOWS,
      classes: LABELS,
      positive: WORDS,
      title: 'micro speech',
    });
  }

  /** A new stream: the preprocessor's state, the window, the features and the recognizer start afresh. */
  reset(): void {
    this.speech.preprocessor.resetVariables();
    this.filled = 0;
    this.windows = 0;
    this.inferences = 0;
    this.heard = -1;
    this.features.fill(-128);
    this.recognizer.reset();
  }

  /** Takes the next `count` samples (default all of `samples`); runs each window they complete. */
  feed(samples: Int16Array, count = samples.length): void {
    const window = this.window;
    let filled = this.filled;
    for (let i = 0; i < count; i++) {
      window[filled++] = samples[i];
      if (filled === MICRO_SPEECH_WINDOW) {
        this.step();
        window.copyWithin(0, MICRO_SPEECH_STRIDE, MICRO_SPEECH_WINDOW);
        filled = MICRO_SPEECH_WINDOW - MICRO_SPEECH_STRIDE;
      }
    }
    this.filled = filled;
  }

  /** Reads the source's next samples into `chunk` (made once by the caller) and feeds them; returns how many. */
  pull(source: AudioSource, chunk: Int16Array): number {
    const got = source.read(chunk);
    if (got > 0) this.feed(chunk, got);
    return got;
  }

  // One window: its features join the ring; once the ring holds a whole second (the model was
  // trained on whole seconds), every `every` windows an inference.
  private step(): void {
    const features = this.features, last = (MICRO_SPEECH_WINDOWS - 1) * MICRO_SPEECH_FEATURES;
    features.copyWithin(0, MICRO_SPEECH_FEATURES);
    this.speech.computeWindow(this.window, 0, features, last);
    this.windows++;
    if (this.windows >= MICRO_SPEECH_WINDOWS && this.windows % this.every === 0) this.infer();
  }

  /** The keyword model on the ring, then the recognizer, the display and, for a new command, the log. */
  infer(): void {
    const speech = this.speech, recognizer = this.recognizer;
    speech.scoreFeatures(this.features);
    const timeMs = this.windows * STRIDE_MS;
    const isNew = recognizer.process(speech.scores, timeMs);
    if (isNew) this.heard = recognizer.command;
    this.inferences++;
    const scores = speech.scores, probabilities = this.probabilities, scale = this.scale, zeroPoint = this.zeroPoint;
    for (let i = 0; i < probabilities.length; i++) probabilities[i] = (scores[i] - zeroPoint) * scale;
    this.view.frame(this.features);
    this.view.result(probabilities, this.heard);
    if (isNew) this.logger.info(`Heard ${LABELS[recognizer.command]} (${recognizer.score}) @${timeMs}ms`);
  }
}
Object.freeze(KeywordSpotter.prototype);

/** "Heard yes (255) @1300ms" lines: the word heard last, or silence when none was. */
export function lastHeard(lines: readonly string[]): string {
  let word = LABELS[0];
  for (const line of lines) {
    const m = /^Heard (\w+) \(\d+\) @\d+ms$/.exec(line);
    if (m) word = m[1];
  }
  return word;
}

export interface ExampleOptions extends SpotterOptions {
  /** Where the sound comes from. */
  audio: AudioSource;
  /** Default: the turns run back to back (give a count then). */
  scheduler?: Scheduler;
  /** Milliseconds between reads of the audio input. Default 20 (one stride). */
  interval?: number;
  /** How many reads. Default: forever. */
  count?: number;
  /** Called after the last read. */
  onDone?: (spotter: KeywordSpotter) => void;
}

/**
 * The app over a source read on a timer (recorded audio): when the board is ready, every
 * `interval` ms one stride (320 samples, 20 ms of sound) is read and fed. A microphone that says
 * when it has samples (AudioIn's onReadable) feeds a KeywordSpotter itself: see audio-mic.ts.
 */
export function runExample(options: ExampleOptions): Board {
  const count = options.count ?? Infinity;
  const board = new Board({ scheduler: options.scheduler ?? null });
  board.on('ready', () => {
    const spotter = new KeywordSpotter(options);
    const chunk = new Int16Array(MICRO_SPEECH_STRIDE);
    board.loop(options.interval ?? STRIDE_MS, (stop, turn) => {
      if (turn >= count) {
        stop();
        return;
      }
      spotter.pull(options.audio, chunk);
      if (turn + 1 === count) {
        stop();
        if (options.onDone) options.onDone(spotter);
      }
    });
  });
  return board;
}
