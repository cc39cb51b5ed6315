// The person detection example, the same on every target: a 96 × 96 grayscale frame from a camera
// goes into TFLM's person_detect (int8 MobileNet v1, 0.25 wide), the two scores go to the serial
// log and the frame with the verdict to the display.
// The caller brings what differs per target: the model's bytes (a Resource on Moddable), the
// camera (a FrameSource: a sensor's frame buffer, or RecordedCamera over frames in flash), the
// display (Poco over `screen`, or a PNG framebuffer), the log sink and the timer.
// The kernels come from resolver.js, which `tflite-xs resolver model.tflite -o .` wrote with
// manifest_resolver.json: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, SOFTMAX.
import { Board, FrameView, Logger, Model, type Display, type FrameSource, type LogSink, type ModelSource, type Scheduler } from 'tflite-xs/components';
import { resolver } from './resolver.js';

/** The model's classes in the order of its scores, as TFLM's example names them (kCategoryLabels). */
export const CLASSES: readonly string[] = Object.freeze(['no person', 'person']);
export const PERSON = 1;
export const NO_PERSON = 0;

export interface DetectorOptions {
  model: ModelSource;
  camera: FrameSource;
  display: Display;
  /** Default: trace() (the serial console), or stdout on Node. */
  sink?: LogSink;
}

/** One camera frame through the model: read, infer, draw, log. Made once; detect() per frame. */
export class PersonDetector {
  readonly model: Model;
  readonly view: FrameView;
  readonly logger: Logger;
  private readonly camera: FrameSource;
  /** The latest scores, [no person, person], 0…1. */
  readonly scores: number[] = [0, 0];

  constructor(options: DetectorOptions) {
    this.logger = new Logger({ sink: options.sink });
    this.model = new Model({ model: options.model, resolver });
    this.camera = options.camera;
    const interpreter = this.model.interpreter;
    const input = interpreter.input(0), output = interpreter.output(0);
    const camera = this.camera;
    if (!(input.data instanceof Int8Array) || input.elementCount !== camera.width * camera.height) {
      throw new RangeError(`the model takes ${input.describe()}; the camera gives ${camera.width}x${camera.height} gray frames`);
    }
    if (output.elementCount !== CLASSES.length) throw new RangeError(`the model gives ${output.describe()}; ${CLASSES.length} scores expected`);
    this.logger.info(`person_detect: ${input.typeName} ${input.dims().join('x')} in, arena ${this.model.arenaBytes} bytes`);
    this.view = new FrameView({
      display: options.display,
      frameWidth: camera.width,
      frameHeight: camera.height,
      classes: CLASSES,
      positive: PERSON,
      title: 'person detection',
    });
  }

  /** Reads the camera's frame into the model's input, runs the model, shows and logs the result. */
  detect(): number {
    const interpreter = this.model.interpreter;
    const input = interpreter.input(0).data as Int8Array;
    // The camera writes pixel - 128 (the model's int8 input) straight into the arena.
    this.camera.read(input);
    this.view.frame(input);
    interpreter.invoke();
    const output = interpreter.output(0);
    const data = output.data, scale = output.scale, zeroPoint = output.zeroPoint;
    const scores = this.scores;
    for (let i = 0; i < scores.length; i++) scores[i] = ((data[i] as number) - zeroPoint) * scale;
    const verdict = this.view.result(scores);
    this.logger.info(`person score: ${scores[PERSON].toFixed(2)}`);
    this.logger.info(`no person score: ${scores[NO_PERSON].toFixed(2)}`);
    this.logger.info(CLASSES[verdict]);
    return verdict;
  }
}
Object.freeze(PersonDetector.prototype);

export interface ExampleOptions extends DetectorOptions {
  /** Default: the frames run back to back. */
  scheduler?: Scheduler;
  /** Milliseconds between frames when there is a scheduler. Default 1000. */
  interval?: number;
  /** How many frames to look at. Default: forever (give a count when there is no scheduler). */
  count?: number;
  /** Called after each frame with its verdict (PERSON or NO_PERSON) and the detector. */
  onFrame?: (verdict: number, detector: PersonDetector) => void;
  /** Called after the last frame. */
  onDone?: () => void;
}

/** The app: when the board is ready, a detection every `interval` ms. */
export function runExample(options: ExampleOptions): Board {
  const count = options.count ?? Infinity;
  const board = new Board({ scheduler: options.scheduler ?? null });
  board.on('ready', () => {
    const detector = new PersonDetector(options);
    board.loop(options.interval ?? 1000, (stop, turn) => {
      if (turn >= count) {
        stop();
        return;
      }
      const verdict = detector.detect();
      if (options.onFrame) options.onFrame(verdict, detector);
      if (turn + 1 === count) {
        stop();
        if (options.onDone) options.onDone();
      }
    });
  });
  return board;
}
