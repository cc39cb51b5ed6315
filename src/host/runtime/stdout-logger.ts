// The host twin of trace(): a log sink that writes lines to stdout (or any writable stream).
import type { LogSink } from '../../drivers/logger.js';

export interface WritableLike {
  write(text: string): unknown;
}

export function stdoutSink(stream: WritableLike = process.stdout): LogSink {
  return { write: (line: string) => { stream.write(line + '\n'); } };
}

/** A sink that keeps the lines, for tests and for callers that print them later. */
export function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => { lines.push(line); } };
}
