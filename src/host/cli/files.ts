// Reading and writing the files a command names, with one-line messages that say which file and
// what is wrong in words ("no such file"), never a raw errno.
import fs from 'node:fs';
import path from 'node:path';
import { InputProblem } from './args.js';

/** The problem behind a failed fs call, in words. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a folder';
    case 'ENOTDIR': return 'a folder in its path is a file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOSPC': return 'no space left on the disk';
    case 'EROFS': return 'the file system is read-only';
    default: return String((error as Error)?.message ?? error).split('\n')[0];
  }
}

/** The file's bytes; `what` names it in the message ("model", "input"). */
export function readBytes(file: string, what: string): Uint8Array {
  try {
    const b = fs.readFileSync(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (error) {
    throw new InputProblem(`cannot read ${what} ${file}: ${fileProblem(error)}`);
  }
}

export function readText(file: string, what: string): string {
  return new TextDecoder().decode(readBytes(file, what));
}

/** Writes `data` to `file`; a missing folder is named as such. */
export function writeBytes(file: string, data: Uint8Array | string, what: string): void {
  try {
    fs.writeFileSync(file, data);
  } catch (error) {
    const dir = path.dirname(file);
    if ((error as NodeJS.ErrnoException)?.code === 'ENOENT' && !fs.existsSync(dir)) {
      throw new InputProblem(`cannot write ${what} ${file}: the folder ${dir} does not exist`);
    }
    throw new InputProblem(`cannot write ${what} ${file}: ${fileProblem(error)}`);
  }
}
