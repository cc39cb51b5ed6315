// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same detector as
// on the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel, and a RecordedCamera over the frames the parent sends.
//   command 1: [u32 length][JSON {width, height, frameWidth, frameHeight, frames}][model][frames]
//              (frames: gray bytes, top row first, one after another): loads the model.
//   command 2..: [u32 0]: detects on the next frame; its computrons are one frame's cost.
//   message to the parent: byte 0 = channel (1: a log line, UTF-8; 2: a drawing frame), then
//   from byte 4 the payload; a frame is int32 records [x, y, width, height, color].
import type { Display, LogSink } from 'tflite-xs/drivers';
import { RecordedCamera, grayFrame } from 'tflite-xs/components';
import { PersonDetector } from './app.js';

declare function issueCommand(message: ArrayBuffer): ArrayBuffer;

const CHANNEL_LOG = 1;
const CHANNEL_FRAME = 2;
const RECORD = 5;

class BridgeDisplay implements Display {
  readonly width: number;
  readonly height: number;
  private records = new Int32Array(RECORD * 64);
  private count = 0;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  makeColor(r: number, g: number, b: number): number {
    return ((r & 255) << 16) | ((g & 255) << 8) | (b & 255);
  }

  begin(x = 0, y = 0, width = this.width - x, height = this.height - y): void {
    this.count = 0;
    this.push(x, y, width, height, -1);
  }

  fillRectangle(color: number, x: number, y: number, width: number, height: number): void {
    this.push(x, y, width, height, color);
  }

  end(): void {
    const message = new Uint8Array(4 + this.count * RECORD * 4);
    message[0] = CHANNEL_FRAME;
    message.set(new Uint8Array(this.records.buffer, 0, this.count * RECORD * 4), 4);
    issueCommand(message.buffer);
  }

  private push(x: number, y: number, width: number, height: number, color: number): void {
    if ((this.count + 1) * RECORD > this.records.length) {
      const grown = new Int32Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
    }
    const r = this.records, at = this.count * RECORD;
    r[at] = x; r[at + 1] = y; r[at + 2] = width; r[at + 3] = height; r[at + 4] = color;
    this.count++;
  }
}

const bridgeSink: LogSink = {
  write(line: string): void {
    const text = new TextEncoder().encode(line);
    const message = new Uint8Array(4 + text.length);
    message[0] = CHANNEL_LOG;
    message.set(text, 4);
    issueCommand(message.buffer);
  },
};

interface StartOptions {
  width: number;
  height: number;
  frameWidth: number;
  frameHeight: number;
  frames: number;
  modelBytes: number;
}

let detector: PersonDetector | null = null;

(globalThis as { handleCommand?: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message: ArrayBuffer): ArrayBuffer => {
  const jsonLength = new DataView(message).getUint32(0, true);
  if (jsonLength === 0) {
    if (!detector) throw new Error('detect before start');
    detector.detect();
    return new ArrayBuffer(0);
  }
  const options = JSON.parse(new TextDecoder().decode(new Uint8Array(message, 4, jsonLength))) as StartOptions;
  const start = 4 + jsonLength;
  const model = message.slice(start, start + options.modelBytes);
  const size = options.frameWidth * options.frameHeight;
  const frames = [];
  for (let i = 0; i < options.frames; i++) {
    const at = start + options.modelBytes + i * size;
    frames.push(grayFrame(new Uint8Array(message.slice(at, at + size)), options.frameWidth, options.frameHeight));
  }
  detector = new PersonDetector({
    model,
    camera: new RecordedCamera({ frames }),
    display: new BridgeDisplay(options.width, options.height),
    sink: bridgeSink,
  });
  return new ArrayBuffer(0);
};
