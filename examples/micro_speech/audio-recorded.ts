// "audio-input" on a board without a microphone: TFLM's four test recordings, WAV Resources read
// in place in flash (no copy in RAM), played one after another with half a second of silence
// after each, in a loop, one stride (20 ms of sound) every 20 ms on a Timer.
import Resource from "Resource";
import Timer from "timer";
import { RecordedAudio, wavClip } from "tflite-xs/components";
import { runExample, type SpotterOptions } from "./app.js";

export const CLIPS: readonly string[] = Object.freeze(["yes_1000ms.wav", "no_1000ms.wav", "silence_1000ms.wav", "noise_1000ms.wav"]);
/** Samples of silence after each clip: 500 ms, time for the smoothing to hear the word. */
export const GAP = 8000;

export function start(options: SpotterOptions): void {
  const clips = [];
  for (const name of CLIPS) clips.push(wavClip(new Resource(name), name));
  runExample({
    ...options,
    audio: new RecordedAudio({ clips, gap: GAP }),
    scheduler: {
      repeat: (callback: () => void, interval: number) => Timer.repeat(callback, interval),
      clear: (handle: unknown) => Timer.clear(handle as Timer),
    },
  });
}
