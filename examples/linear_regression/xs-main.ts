// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same app as on
// the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel. The parent sends one command, [u32 length][JSON options][model bytes]; the
// app then runs to the end before the command returns, sending log lines and drawing frames.
//   message to the parent: byte 0 = channel (1: a log line, UTF-8; 2: a drawing frame), then
//   from byte 4 the payload; a frame is int32 records [x, y, width, height, color].
import type { Display, LogSink } from 'tflite-xs/drivers';
import { runExample } from './app.js';

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
    this.records.set([x, y, width, height, color], this.count * RECORD);
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
  width?: number;
  height?: number;
  count?: number;
  seed?: number;
}

(globalThis as { handleCommand?: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message: ArrayBuffer): ArrayBuffer => {
  const jsonLength = new DataView(message).getUint32(0, true);
  const options = JSON.parse(new TextDecoder().decode(new Uint8Array(message, 4, jsonLength))) as StartOptions;
  const model = message.slice(4 + jsonLength);
  runExample({
    model,
    display: new BridgeDisplay(options.width ?? 240, options.height ?? 320),
    sink: bridgeSink,
    count: options.count,
    seed: options.seed,
  });
  return new ArrayBuffer(0);
};
