// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same detector as
// on the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel (../lib/xs-bridge.ts), and a RecordedCamera over the frames the parent sends.
//   command 1: [u32 length][JSON {width, height, frameWidth, frameHeight, frames}][model][frames]
//              (frames: gray bytes, top row first, one after another): loads the model.
//   command 2..: [u32 0]: detects on the next frame; its computrons are one frame's cost.
import { RecordedCamera, grayFrame } from 'tflite-xs/components';
import { BridgeDisplay, bridgeSink } from '../lib/xs-bridge.js';
import { PersonDetector } from './app.js';

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
