// TFLM's RecognizeCommands (examples/micro_speech/recognize_commands.cc): a keyword model's
// scores smoothed over time. Each result goes into a queue; results older than the averaging
// window fall out; with enough of them the average score per class decides the top class, and
// a command is "new" when its average passes the threshold and it differs from the previous
// command or the suppression time has passed. The rules are TFLM's, quirks included:
//  - scores are int8, averaged as score + 128 (0…255) with integer division;
//  - class 0 is "silence": a previous command of class 0 never suppresses the next one;
//  - a result older than the oldest one kept is refused (TFLM compares with the front, not the back);
//  - a full queue (capacity results) drops the newest result, as TFLM's PreviousResultsQueue does.
// The queue is preallocated: process() allocates nothing.
import { UsageError } from '../core/errors.js';

export interface RecognizeCommandsOptions {
  /** One name per score; class 0 is silence. */
  labels: readonly string[];
  /** Results older than this many ms before the latest one are dropped. TFLM: 1000. */
  averageWindowMs?: number;
  /** Average (0…255) a command must pass to be new. TFLM: 200. */
  detectionThreshold?: number;
  /** After a command, the same command is not new again for this many ms. TFLM: 1500. */
  suppressionMs?: number;
  /** Fewer results than this in the window (or a window shorter than a quarter) decide nothing. TFLM: 3. */
  minimumCount?: number;
  /** Results the queue holds. TFLM: 50. */
  capacity?: number;
}

const INT32_MIN = -2147483648;

export class RecognizeCommands {
  readonly labels: readonly string[];
  readonly averageWindowMs: number;
  readonly detectionThreshold: number;
  readonly suppressionMs: number;
  readonly minimumCount: number;
  readonly capacity: number;
  /** After process(): the top class (or the previous command when too few results), its average score (0 when undecided), whether it is a new command. */
  command = 0;
  score = 0;
  isNew = false;
  private readonly times: Int32Array;
  private readonly results: Int8Array;
  private readonly sums: Int32Array;
  private front = 0;
  private size = 0;
  private previousTop = 0;
  private previousTime = INT32_MIN;

  constructor(options: RecognizeCommandsOptions) {
    if (!options || !options.labels || options.labels.length < 1) throw new UsageError('new RecognizeCommands({labels}) needs one label per score');
    const whole = (value: number | undefined, fallback: number, name: string, min: number) => {
      const v = value ?? fallback;
      if (!(Number.isInteger(v) && v >= min)) throw new UsageError(`RecognizeCommands: ${name} must be a whole number ≥ ${min}, got ${v}`);
      return v;
    };
    this.labels = options.labels;
    this.averageWindowMs = whole(options.averageWindowMs, 1000, 'averageWindowMs', 0);
    this.detectionThreshold = whole(options.detectionThreshold, 200, 'detectionThreshold', 0);
    this.suppressionMs = whole(options.suppressionMs, 1500, 'suppressionMs', 0);
    this.minimumCount = whole(options.minimumCount, 3, 'minimumCount', 0);
    this.capacity = whole(options.capacity, 50, 'capacity', 1);
    this.times = new Int32Array(this.capacity);
    this.results = new Int8Array(this.capacity * this.labels.length);
    this.sums = new Int32Array(this.labels.length);
  }

  /** Forgets every result and the previous command. */
  reset(): void {
    this.front = 0;
    this.size = 0;
    this.previousTop = 0;
    this.previousTime = INT32_MIN;
    this.command = 0;
    this.score = 0;
    this.isNew = false;
  }

  /** How many results are in the window now. */
  get count(): number {
    return this.size;
  }

  /** The label of `command`. */
  get label(): string {
    return this.labels[this.command];
  }

  /**
   * Adds the keyword model's int8 scores taken at `timeMs` (increasing) and decides: sets command,
   * score and isNew; returns isNew.
   */
  process(scores: Int8Array, timeMs: number): boolean {
    const classes = this.labels.length, capacity = this.capacity, times = this.times, results = this.results;
    if (!(scores instanceof Int8Array) || scores.length !== classes) {
      throw new UsageError(`RecognizeCommands.process: ${classes} int8 scores expected (${this.labels.join(', ')}), got ${scores instanceof Int8Array ? scores.length : typeof scores}`);
    }
    if (!Number.isInteger(timeMs)) throw new UsageError(`RecognizeCommands.process: the time must be whole milliseconds, got ${timeMs}`);
    if (this.size > 0 && timeMs < times[this.front]) {
      throw new UsageError(`RecognizeCommands.process: results must come in increasing time order; ${timeMs} ms is earlier than ${times[this.front]} ms`);
    }
    if (this.size < capacity) {
      let back = this.front + this.size;
      if (back >= capacity) back -= capacity;
      times[back] = timeMs;
      const at = back * classes;
      for (let i = 0; i < classes; i++) results[at + i] = scores[i];
      this.size++;
    }
    const limit = timeMs - this.averageWindowMs;
    while (this.size > 0 && times[this.front] < limit) {
      this.front = this.front + 1 === capacity ? 0 : this.front + 1;
      this.size--;
    }
    const count = this.size;
    if (count < this.minimumCount || timeMs - times[this.front] < Math.trunc(this.averageWindowMs / 4)) {
      this.command = this.previousTop;
      this.score = 0;
      this.isNew = false;
      return false;
    }
    const sums = this.sums;
    for (let i = 0; i < classes; i++) sums[i] = 0;
    for (let k = 0, index = this.front; k < count; k++) {
      const at = index * classes;
      for (let i = 0; i < classes; i++) sums[i] += results[at + i] + 128;
      index = index + 1 === capacity ? 0 : index + 1;
    }
    let top = 0, topScore = 0;
    for (let i = 0; i < classes; i++) {
      const average = Math.trunc(sums[i] / count);
      if (average > topScore) {
        topScore = average;
        top = i;
      }
    }
    const sinceLast = this.previousTop === 0 || this.previousTime === INT32_MIN ? Infinity : timeMs - this.previousTime;
    const isNew = topScore > this.detectionThreshold && (top !== this.previousTop || sinceLast > this.suppressionMs);
    if (isNew) {
      this.previousTop = top;
      this.previousTime = timeMs;
    }
    this.command = top;
    this.score = topScore;
    this.isNew = isNew;
    return isNew;
  }
}
Object.freeze(RecognizeCommands.prototype);
