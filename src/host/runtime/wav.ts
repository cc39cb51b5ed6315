// WAV files for the audio commands: RIFF/WAVE, PCM, 16-bit, mono. Every chunk size is checked
// against the file; anything else is an InputProblem that says what the file is instead.
import { InputProblem } from '../cli/args.js';

export interface Wav {
  sampleRate: number;
  samples: Int16Array;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** Parses a 16-bit PCM mono WAV; `name` names the file in errors. */
export function readWav(bytes: Uint8Array, name = 'WAV'): Wav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw new InputProblem(`${name} is not a RIFF/WAVE file`);
  let at = 12;
  let format: { channels: number; sampleRate: number; bits: number; code: number } | null = null;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at), size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > bytes.length) throw new InputProblem(`${name}: chunk "${id}" of ${size} bytes runs past the end of the file (${bytes.length} bytes)`);
    if (id === 'fmt ') {
      if (size < 16) throw new InputProblem(`${name}: fmt chunk of ${size} bytes is too short`);
      format = { code: view.getUint16(body, true), channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) throw new InputProblem(`${name}: data comes before the fmt chunk`);
      if (format.code !== 1 && format.code !== 0xfffe) throw new InputProblem(`${name}: format ${format.code} is not PCM`);
      if (format.bits !== 16) throw new InputProblem(`${name}: ${format.bits}-bit samples, 16-bit expected`);
      if (format.channels !== 1) throw new InputProblem(`${name}: ${format.channels} channels, mono expected`);
      const samples = new Int16Array(size >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { sampleRate: format.sampleRate, samples };
    }
    at = body + size + (size & 1);
  }
  throw new InputProblem(`${name} has no data chunk`);
}
