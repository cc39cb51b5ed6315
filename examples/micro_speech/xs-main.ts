// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same spotter as
// on the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel (../lib/xs-bridge.ts), fed the samples the parent sends as a microphone would.
//   command 1: [u32 length][JSON StartOptions][preprocessor model][keyword model]: makes the spotter.
//   command 2..: [u32 0][u32 op][payload], op:
//     1 feed: int16 samples follow; 2 reset: a new stream; 3 gc: a full collection (the parent
//     reads the heap count); 4 one keyword inference alone; 5 one preprocessor window alone;
//     6 one inference of the app (model, recognizer, drawing). Each command's computrons are its cost.
// With `quiet`, the display and the log go nowhere: what is measured is the app, not the bridge.
import type { Display, LogSink } from 'tflite-xs/drivers';
import { BridgeDisplay, bridgeSink } from '../lib/xs-bridge.js';
import { KeywordSpotter } from './app.js';

interface StartOptions {
  width: number;
  height: number;
  preprocessorBytes: number;
  keywordBytes: number;
  every?: number;
  quiet?: boolean;
}

class QuietDisplay implements Display {
  readonly width: number;
  readonly height: number;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }
  makeColor(r: number, g: number, b: number): number {
    return ((r & 255) << 16) | ((g & 255) << 8) | (b & 255);
  }
  begin(): void {}
  fillRectangle(): void {}
  end(): void {}
}

const quietSink: LogSink = Object.freeze({ write(): void {} });

const FEED = 1, RESET = 2, GC = 3, KEYWORD = 4, WINDOW = 5, INFER = 6;

let spotter: KeywordSpotter | null = null;
let scratch: Int8Array | null = null;
let quietWindow: Int16Array | null = null;

(globalThis as { handleCommand?: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message: ArrayBuffer): ArrayBuffer => {
  const view = new DataView(message);
  const jsonLength = view.getUint32(0, true);
  if (jsonLength === 0) {
    const op = view.getUint32(4, true);
    if (op === GC) {
      (globalThis as unknown as { gc: () => void }).gc();
      return new ArrayBuffer(0);
    }
    if (!spotter) throw new Error('a command before start');
    if (op === FEED) spotter.feed(new Int16Array(message, 8, (message.byteLength - 8) >> 1));
    else if (op === RESET) spotter.reset();
    else if (op === KEYWORD) spotter.speech.keyword.invoke();
    else if (op === WINDOW) spotter.speech.computeWindow(quietWindow!, 0, scratch!, 0);
    else if (op === INFER) spotter.infer();
    else throw new Error(`unknown op ${op}`);
    return new ArrayBuffer(0);
  }
  const options = JSON.parse(new TextDecoder().decode(new Uint8Array(message, 4, jsonLength))) as StartOptions;
  const start = 4 + jsonLength;
  const preprocessor = message.slice(start, start + options.preprocessorBytes);
  const keyword = message.slice(start + options.preprocessorBytes, start + options.preprocessorBytes + options.keywordBytes);
  scratch = new Int8Array(40);
  quietWindow = new Int16Array(480);
  spotter = new KeywordSpotter({
    preprocessor,
    keyword,
    every: options.every,
    display: options.quiet ? new QuietDisplay(options.width, options.height) : new BridgeDisplay(options.width, options.height),
    sink: options.quiet ? quietSink : bridgeSink,
  });
  return new ArrayBuffer(0);
};
