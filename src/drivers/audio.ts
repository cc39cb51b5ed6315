// Sound as a keyword app hears it: 16-bit mono samples read in chunks from an audio input, the
// way ECMA-419's AudioIn (Moddable's "embedded:io/audio/in") delivers them: onReadable(bytes)
// says how much is ready and read(buffer) fills the caller's buffer. An app reads into one
// buffer it made once. A board with a microphone passes AudioIn behind this interface;
// RecordedAudio plays recorded clips (WAV Resources read in place in flash, or samples in
// memory) for boards without one and for the host.
import { viewOf, type ByteSource } from './camera.js';

/** A source of 16-bit mono samples. */
export interface AudioSource {
  readonly sampleRate: number;
  /** Copies the next samples into `into`, at most into.length; returns how many (0: none ready). */
  read(into: Int16Array): number;
}

/** Where a 16-bit PCM mono WAV's samples are in its bytes. */
export interface WavLayout {
  sampleRate: number;
  /** Byte offset of the first sample. */
  offset: number;
  /** Samples in the data chunk. */
  count: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/**
 * Finds the samples of a RIFF/WAVE file of 16-bit PCM mono (`name` names it in errors). Every
 * chunk size is checked against the file; anything else is a RangeError saying what it is instead.
 */
export function wavLayout(bytes: Uint8Array, name = 'WAV'): WavLayout {
  const u32 = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') throw new RangeError(`${name} is not a RIFF/WAVE file`);
  let at = 12;
  let code = -1, channels = 0, sampleRate = 0, bits = 0;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at), size = u32(at + 4);
    const body = at + 8;
    if (body + size > bytes.length) throw new RangeError(`${name}: chunk "${id}" of ${size} bytes runs past the end of the file (${bytes.length} bytes)`);
    if (id === 'fmt ') {
      if (size < 16) throw new RangeError(`${name}: fmt chunk of ${size} bytes is too short`);
      code = u16(body);
      channels = u16(body + 2);
      sampleRate = u32(body + 4);
      bits = u16(body + 14);
    } else if (id === 'data') {
      if (code < 0) throw new RangeError(`${name}: data comes before the fmt chunk`);
      if (code !== 1 && code !== 0xfffe) throw new RangeError(`${name}: format ${code} is not PCM`);
      if (bits !== 16) throw new RangeError(`${name}: ${bits}-bit samples, 16-bit expected`);
      if (channels !== 1) throw new RangeError(`${name}: ${channels} channels, mono expected`);
      return { sampleRate, offset: body, count: size >> 1 };
    }
    at = body + size + (size & 1);
  }
  throw new RangeError(`${name} has no data chunk`);
}

/** A WAV's samples read in place (a Resource's stay in flash): an Int16Array over its bytes. */
export function wavClip(source: ByteSource, name = 'WAV'): Int16Array {
  const bytes = viewOf(source, 'wavClip');
  const layout = wavLayout(bytes, name);
  const start = bytes.byteOffset + layout.offset;
  if (start & 1) throw new RangeError(`${name}: the samples start at an odd address (${start}); copy the file to read it`);
  return new Int16Array(bytes.buffer, start, layout.count);
}

export interface RecordedAudioOptions {
  /** The clips, played one after another: 16 kHz samples (wavClip() over a Resource, or any Int16Array). */
  clips: readonly Int16Array[];
  /** Samples of silence (zeros) after each clip. Default 0. */
  gap?: number;
  /** Start again after the last clip. Default true; when false, read() returns 0 at the end. */
  loop?: boolean;
  sampleRate?: number;
}

/** Recorded clips as an AudioSource: read() hands out the next samples, as fast as asked. */
export class RecordedAudio implements AudioSource {
  readonly sampleRate: number;
  private readonly clips: readonly Int16Array[];
  private readonly gap: number;
  private readonly loop: boolean;
  private clip = 0;
  private offset = 0;
  private ended = false;

  constructor(options: RecordedAudioOptions) {
    const clips = options && options.clips;
    if (!clips || clips.length === 0) throw new TypeError('RecordedAudio needs {clips: [...]} with at least one clip');
    for (let i = 0; i < clips.length; i++) if (!(clips[i] instanceof Int16Array)) throw new TypeError(`RecordedAudio: clip ${i} is not an Int16Array`);
    const gap = options.gap ?? 0;
    if (!(Number.isInteger(gap) && gap >= 0)) throw new RangeError(`RecordedAudio: gap must be a whole number of samples, got ${gap}`);
    this.clips = clips;
    this.gap = gap;
    this.loop = options.loop ?? true;
    this.sampleRate = options.sampleRate ?? 16000;
  }

  /** The clip the next sample comes from. */
  get position(): number {
    return this.clip;
  }

  read(into: Int16Array): number {
    let written = 0;
    const wanted = into.length;
    while (written < wanted && !this.ended) {
      const samples = this.clips[this.clip];
      const length = samples.length + this.gap;
      let offset = this.offset;
      const end = Math.min(length, offset + wanted - written);
      for (; offset < end; offset++) into[written++] = offset < samples.length ? samples[offset] : 0;
      if (offset === length) {
        offset = 0;
        if (++this.clip === this.clips.length) {
          this.clip = 0;
          if (!this.loop) this.ended = true;
        }
      }
      this.offset = offset;
    }
    return written;
  }
}
Object.freeze(RecordedAudio.prototype);
