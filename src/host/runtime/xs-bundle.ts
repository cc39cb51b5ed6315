// The script the host's XS engine (xsnap) evaluates: dist/xs/tflite-xs.js, a global `tflite` with
// the core and every kernel, for `tflite-xs run --engine xs`, the bench and the tests. A Moddable
// app never loads it: it takes the core from "tflite-xs" and only its own kernels.
export * from '../../index.js';
export * from '../../kernels/index.js';
export { ALL_KERNELS, allOps } from '../../kernels/all.js';
export { MicroSpeech, MICRO_SPEECH_LABELS } from '../../components/micro-speech.js';
