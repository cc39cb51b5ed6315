// The logger as a component: trace() on Moddable unless another sink is given (stdout on the
// host, a bridge out of the XS engine).
import { SerialLogger, traceSink, type LogLevel, type LogSink } from '../drivers/logger.js';

export type { LogLevel, LogSink };

export interface LoggerOptions {
  /** Default: trace(). */
  sink?: LogSink;
  /** Default "info". */
  level?: LogLevel;
}

export class Logger extends SerialLogger {
  constructor(options: LoggerOptions = {}) {
    super({ sink: options.sink ?? traceSink(), level: options.level });
  }
}
Object.freeze(Logger.prototype);
