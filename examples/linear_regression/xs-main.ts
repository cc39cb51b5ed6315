// The example inside the XS engine on the host (xsnap), as host.mjs runs it: the same app as on
// the device, with the screen and trace() replaced by bridges to the Node parent over xsnap's
// command channel. The parent sends one command, [u32 length][JSON options][model bytes]; the
// app then runs to the end before the command returns, sending log lines and drawing frames
// (../lib/xs-bridge.ts).
import { BridgeDisplay, bridgeSink } from '../lib/xs-bridge.js';
import { runExample } from './app.js';

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
