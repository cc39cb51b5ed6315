// Johnny-Five-style components over the engine: a Board that emits "ready", and a Model, a Plot
// and a Logger built from options objects. The same code runs on Moddable, in Node and in XS.
export { Emitter, type Listener } from './emitter.js';
export { Board, hostScheduler, hostTicks, type BoardOptions, type Scheduler, type LoopCallback } from './board.js';
export { Model, type ModelOptions, type ModelSource, type Outputs } from './model.js';
export { Profiler, type TickSource } from '../core/profiler.js';
export { Plot, type Display, type Range, type PlotOptions } from './plot.js';
export { MicroSpeech, MICRO_SPEECH_LABELS, MICRO_SPEECH_WINDOW, MICRO_SPEECH_STRIDE, MICRO_SPEECH_WINDOWS, MICRO_SPEECH_FEATURES, type MicroSpeechOptions } from './micro-speech.js';
export { RecognizeCommands, type RecognizeCommandsOptions } from './recognize-commands.js';
export { RecordedAudio, wavClip, type AudioSource } from '../drivers/audio.js';
export { FrameView, type FrameViewOptions } from './frame-view.js';
export { RecordedCamera, grayFrame, bmpFrame, type FrameSource, type GrayFrame } from '../drivers/camera.js';
export { Logger, defaultSink, type LoggerOptions, type LogLevel, type LogSink } from './logger.js';
export { formatValue } from '../drivers/logger.js';
