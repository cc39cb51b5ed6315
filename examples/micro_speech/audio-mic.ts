// "audio-input" on a board with a microphone: ECMA-419's AudioIn (Moddable's
// "embedded:io/audio/in", modules/io/audioin) at 16 kHz, 16-bit mono. When it says bytes are
// ready (onReadable), whole strides are read into one buffer made here once and fed to the
// spotter; what is left waits for the next call.
import AudioIn from "embedded:io/audio/in";
import { MICRO_SPEECH_STRIDE } from "tflite-xs/components";
import { KeywordSpotter, type SpotterOptions } from "./app.js";

export function start(options: SpotterOptions): void {
  const spotter = new KeywordSpotter(options);
  const chunk = new Int16Array(MICRO_SPEECH_STRIDE);
  const input = new AudioIn({
    sampleRate: 16000,
    bitsPerSample: 16,
    channels: 1,
    onReadable(this: AudioIn, bytes: number) {
      for (; bytes >= chunk.byteLength; bytes -= chunk.byteLength) {
        this.read(chunk);
        spotter.feed(chunk);
      }
    },
  });
  input.start();
}
