// The device app (Moddable): both models from flash as Resources, the spectrogram, the word heard
// and the score bars on the app's screen through Poco (ILI9341 on an ESP32, or the simulator's
// screen), the log on trace(). Where the sound comes from is the platform's "audio-input" module
// (manifest.json): the microphone through ECMA-419's AudioIn on a board that has one
// (audio-mic.ts), else TFLM's four test recordings from flash, played in a loop (audio-recorded.ts).
import Poco from "commodetto/Poco";
import Resource from "Resource";
import { start } from "audio-input";

start({
  preprocessor: new Resource("audio_preprocessor_int8.tflite"),
  keyword: new Resource("micro_speech_quantized.tflite"),
  display: new Poco(screen),
});
