// Serial logger: levelled lines to a sink. On Moddable the sink is trace() (the serial port, or
// xsbug's console in the simulator); on the host it is stdout (src/host/stdout-logger.ts) or a
// bridge out of the XS engine. The logger itself only formats and filters.

/** Where finished lines go: one call per line, without the trailing newline. */
export interface LogSink {
  write(line: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANKS: Readonly<Record<LogLevel, number>> = Object.freeze({ debug: 0, info: 1, warn: 2, error: 3, silent: 4 });

export function levelRank(level: string): number {
  const rank = (LEVEL_RANKS as Record<string, number>)[level];
  if (rank === undefined) throw new RangeError(`unknown log level "${level}" (use debug, info, warn, error or silent)`);
  return rank;
}

/** trace() as a sink. Looked up when called, so this module preloads and runs anywhere trace exists. */
export function traceSink(): LogSink {
  const trace = (globalThis as { trace?: (text: string) => void }).trace;
  if (typeof trace !== 'function') throw new Error('traceSink: this engine has no trace(); pass a sink');
  return { write: (line: string) => trace(line + '\n') };
}

/**
 * The example's value line, "X Value: 0.14": a label and a number with a fixed count of decimals
 * (two, as the seed prints them). Negative zero prints as 0.00.
 */
export function formatValue(label: string, value: number, decimals = 2): string {
  let text = value.toFixed(decimals);
  if (text.charAt(0) === '-' && Number(text) === 0) text = text.slice(1);
  return `${label} Value: ${text}`;
}

export interface SerialLoggerOptions {
  sink: LogSink;
  /** Lines below this level are dropped. Default "info". */
  level?: LogLevel;
  /** Put "[warn] " etc. before lines of other levels than info. Default true. */
  tagLevels?: boolean;
}

export class SerialLogger {
  readonly sink: LogSink;
  private threshold: number;
  private readonly tagLevels: boolean;

  constructor(options: SerialLoggerOptions) {
    if (!options || !options.sink || typeof options.sink.write !== 'function') {
      throw new TypeError('SerialLogger needs {sink} with a write(line) method');
    }
    this.sink = options.sink;
    this.threshold = levelRank(options.level ?? 'info');
    this.tagLevels = options.tagLevels ?? true;
  }

  set level(level: LogLevel) {
    this.threshold = levelRank(level);
  }

  enabled(level: LogLevel): boolean {
    return levelRank(level) >= this.threshold && level !== 'silent';
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const tag = this.tagLevels && level !== 'info' ? `[${level}] ` : '';
    // A message with newlines still reaches the sink one line at a time.
    const lines = message.split('\n');
    for (let i = 0; i < lines.length; i++) this.sink.write(tag + lines[i]);
  }

  debug(message: string): void { this.log('debug', message); }
  info(message: string): void { this.log('info', message); }
  warn(message: string): void { this.log('warn', message); }
  error(message: string): void { this.log('error', message); }

  /** Logs "LABEL Value: n.nn" at info level. */
  value(label: string, value: number, decimals = 2): void {
    this.log('info', formatValue(label, value, decimals));
  }
}
Object.freeze(SerialLogger.prototype);
