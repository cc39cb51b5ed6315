// Drivers the components sit on: the serial logger and the plot drawing code with the small
// Display interface it draws through.
export { SerialLogger, traceSink, formatValue, levelRank, type LogSink, type LogLevel, type SerialLoggerOptions } from './logger.js';
export { PlotDriver, niceTicks, tickLabel, textWidth, type Display, type Range, type PlotColors, type PlotOptions } from './plot.js';
export { RecordedCamera, grayFrame, bmpFrame, copyFrame, type FrameSource, type GrayFrame, type ByteSource, type RecordedCameraOptions } from './camera.js';
export { FrameViewDriver, glyphTextWidth, formatScore, type FrameViewOptions } from './frame-view.js';
export { RecordedAudio, wavClip, wavLayout, type AudioSource, type RecordedAudioOptions, type WavLayout } from './audio.js';
