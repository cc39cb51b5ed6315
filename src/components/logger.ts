// The logger as a component: trace() on Moddable unless another sink is given; on a host without
// trace() (Node), the console, i.e. stdout. Looked up at run time: device code names no Node API.
import { SerialLogger, traceSink, type LogLevel, type LogSink } from '../drivers/logger.js';

export type { LogLevel, LogSink };

export interface LoggerOptions {
  /** Default: trace() where the engine has it, else console.log (stdout on Node). */
  sink?: LogSink;
  /** Default "info". */
  level?: LogLevel;
}

interface HostGlobals {
  trace?: unknown;
  console?: { log?: (text: string) => void };
}

/** trace() when the engine has it, else the host's console; neither: an error asking for a sink. */
export function defaultSink(): LogSink {
  const g = globalThis as HostGlobals;
  if (typeof g.trace === 'function') return traceSink();
  const host = g.console;
  if (host && typeof host.log === 'function') {
    const log = host.log;
    return { write: (line: string) => { log.call(host, line); } };
  }
  throw new Error('Logger: this engine has neither trace() nor a console; pass a sink');
}

export class Logger extends SerialLogger {
  constructor(options: LoggerOptions = {}) {
    super({ sink: options.sink ?? defaultSink(), level: options.level });
  }
}
Object.freeze(Logger.prototype);
