// WAV files for the audio commands: RIFF/WAVE, PCM, 16-bit, mono. The layout is read by the
// device's reader (drivers/audio.ts: every chunk size checked against the file); here its
// complaints become InputProblems and the samples are copied out of the file's bytes.
import { wavLayout } from '../../drivers/audio.js';
import { InputProblem } from '../cli/args.js';

export interface Wav {
  sampleRate: number;
  samples: Int16Array;
}

/** Parses a 16-bit PCM mono WAV; `name` names the file in errors. */
export function readWav(bytes: Uint8Array, name = 'WAV'): Wav {
  let layout;
  try {
    layout = wavLayout(bytes, name);
  } catch (error) {
    throw new InputProblem((error as Error).message);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = new Int16Array(layout.count);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(layout.offset + 2 * i, true);
  return { sampleRate: layout.sampleRate, samples };
}
