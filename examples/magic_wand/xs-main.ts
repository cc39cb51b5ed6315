// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same wand as on
// the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel (../lib/xs-bridge.ts), and a RecordedAccelerometer over the samples the
// parent sends.
//   command 1: [u32 length][JSON {width, height, modelBytes}][model][samples: int16 LE x, y, z
//              in milli-g]: loads the model, makes the wand.
//   command 2..: [u32 0]: reads WINDOW samples (one trace) into the ring and recognises the
//              gesture; its computrons are one window's cost (samples, inference, drawing, log).
//   command 3..: [u32 1][u32 n]: n inferences alone (MagicWand.infer; n = 1 when left out), for
//              their computrons and for the heap they leave behind.
//   message to the parent: byte 0 = channel (1: a log line, UTF-8; 2: a drawing frame), then
//   from byte 4 the payload; a frame is int32 records [x, y, width, height, color].
import { BridgeDisplay, bridgeSink } from '../lib/xs-bridge.js';
import { MagicWand, WINDOW } from './app.js';
import { RecordedAccelerometer } from './accelerometer.js';

interface StartOptions {
  width: number;
  height: number;
  modelBytes: number;
}

let wand: MagicWand | null = null;

(globalThis as { handleCommand?: (message: ArrayBuffer) => ArrayBuffer }).handleCommand = (message: ArrayBuffer): ArrayBuffer => {
  const jsonLength = new DataView(message).getUint32(0, true);
  if (jsonLength === 0 || jsonLength === 1) {
    if (!wand) throw new Error('recognize before start');
    if (jsonLength === 1) {
      const times = message.byteLength >= 8 ? new DataView(message).getUint32(4, true) : 1;
      for (let i = 0; i < times; i++) wand.infer();
      return new ArrayBuffer(0);
    }
    for (let i = 0; i < WINDOW; i++) wand.sample();
    wand.recognize();
    return new ArrayBuffer(0);
  }
  const options = JSON.parse(new TextDecoder().decode(new Uint8Array(message, 4, jsonLength))) as StartOptions;
  const start = 4 + jsonLength;
  wand = new MagicWand({
    model: message.slice(start, start + options.modelBytes),
    accelerometer: new RecordedAccelerometer({ samples: message.slice(start + options.modelBytes) }),
    display: new BridgeDisplay(options.width, options.height),
    sink: bridgeSink,
  });
  return new ArrayBuffer(0);
};
