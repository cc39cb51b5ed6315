// The accelerometer as the app sees it: ECMA-419's Accelerometer sensor class, whose sample()
// gives {x, y, z} in m/s² (Moddable's embedded:sensor/Accelerometer/LIS3DH and the MPU6050's
// accelerometer). RecordedAccelerometer is the same interface over a recorded trace, for boards
// without a sensor and for the host: int16 little-endian triples in milli-g, read in place
// (a Resource in flash, or bytes in RAM), one sample per call, from the first again after the last.

export interface AccelerometerSample {
  x: number;
  y: number;
  z: number;
}

/** What the app needs of an ECMA-419 accelerometer. */
export interface Accelerometer {
  sample(): AccelerometerSample | undefined;
}

/** m/s² per g (the ECMA-419 drivers' conversion). */
export const STANDARD_GRAVITY = 9.80665;
const MS2_PER_MG = STANDARD_GRAVITY / 1000;

export interface RecordedAccelerometerOptions {
  /** int16 LE x, y, z in milli-g, sample after sample: an ArrayBuffer, a Uint8Array or a Resource. */
  samples: ArrayBuffer | Uint8Array | { readonly byteLength: number };
}

export class RecordedAccelerometer implements Accelerometer {
  readonly count: number;
  private readonly bytes: Uint8Array;
  private next = 0;
  // One object, refilled: replaying a trace allocates nothing per sample (a driver's sample() does).
  private readonly reading: AccelerometerSample = { x: 0, y: 0, z: 0 };

  constructor(options: RecordedAccelerometerOptions) {
    const source = options && options.samples;
    if (!source || typeof source.byteLength !== 'number') throw new TypeError('RecordedAccelerometer needs {samples}: an ArrayBuffer, a Uint8Array or a Resource');
    this.bytes = source instanceof Uint8Array ? source : new Uint8Array(source as ArrayBuffer);
    if (this.bytes.length < 6 || this.bytes.length % 6 !== 0) throw new RangeError(`RecordedAccelerometer: ${this.bytes.length} bytes is not a whole number of int16 x, y, z samples (6 bytes each)`);
    this.count = this.bytes.length / 6;
  }

  /** The index of the sample the next call returns. */
  get position(): number {
    return this.next;
  }

  sample(): AccelerometerSample {
    const b = this.bytes, at = this.next * 6, r = this.reading;
    r.x = (((b[at] | (b[at + 1] << 8)) << 16) >> 16) * MS2_PER_MG;
    r.y = (((b[at + 2] | (b[at + 3] << 8)) << 16) >> 16) * MS2_PER_MG;
    r.z = (((b[at + 4] | (b[at + 5] << 8)) << 16) >> 16) * MS2_PER_MG;
    this.next = this.next + 1 === this.count ? 0 : this.next + 1;
    return r;
  }
}
Object.freeze(RecordedAccelerometer.prototype);

/** m/s² triples as RecordedAccelerometer's bytes (int16 LE milli-g, rounded, clamped to ±32 g). */
export function encodeTrace(values: ArrayLike<number>): Uint8Array {
  if (values.length % 3 !== 0) throw new RangeError(`encodeTrace: ${values.length} values is not a whole number of x, y, z samples`);
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    let mg = Math.round(values[i] / MS2_PER_MG);
    if (!(mg === mg)) mg = 0;
    if (mg > 32767) mg = 32767; else if (mg < -32768) mg = -32768;
    out[2 * i] = mg & 255;
    out[2 * i + 1] = (mg >> 8) & 255;
  }
  return out;
}
