// Inside the XS engine on the host (xsnap), what an example's device app draws and logs goes to
// the Node parent over xsnap's command channel (xs-host.mjs takes it there). A message: byte 0 the
// channel (1: a log line, UTF-8; 2: a drawing frame), then from byte 4 the payload; a frame is
// int32 records [x, y, width, height, color], the first one begin()'s area with color -1.
import type { Display, LogSink } from 'tflite-xs/drivers';

declare function issueCommand(message: ArrayBuffer): ArrayBuffer;

const CHANNEL_LOG = 1;
const CHANNEL_FRAME = 2;
const RECORD = 5;

/** A Display whose frames go to the parent, where a PNG screen draws them. */
export class BridgeDisplay implements Display {
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

/** A LogSink whose lines go to the parent. */
export const bridgeSink: LogSink = Object.freeze({
  write(line: string): void {
    const text = new TextEncoder().encode(line);
    const message = new Uint8Array(4 + text.length);
    message[0] = CHANNEL_LOG;
    message.set(text, 4);
    issueCommand(message.buffer);
  },
});
