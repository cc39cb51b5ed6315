// The gesture data set, synthesized (host only): what a 3-axis accelerometer in a hand-held wand
// reads while the hand draws TFLM's magic wand gestures in the air, sampled at 25 Hz, 128
// samples (5.12 s) per example, in g.
//   wing "W", ring "O" (a clockwise circle), slope "L" (down-left diagonal, then right), and
//   negative: the wand held still, wobbling, shaken, or moved along a random smooth path.
// A gesture is a path in the vertical plane in front of the user, traversed stroke by stroke
// with a minimum-jerk speed profile (how hands move between points), at a random size (15–45 cm),
// duration (1–2.2 s), start time, slant in its plane and wobble. The accelerometer reads the
// path's acceleration minus gravity (its specific force), turned into the wand's frame by a
// random grip (tilts of up to ±25° about each axis), plus sensor noise and a small bias.
// Everything comes from one seeded PRNG: the same seed gives the same examples, bit for bit.

export const LABELS: readonly string[] = Object.freeze(['wing', 'ring', 'slope', 'negative']);
export const WING = 0, RING = 1, SLOPE = 2, NEGATIVE = 3;
/** Samples per second and per example, and values per sample (x, y, z). */
export const RATE = 25;
export const SAMPLES = 128;
export const AXES = 3;
/** m/s² per g, as the ECMA-419 drivers convert (Moddable's LIS3DH, MPU6050). */
export const STANDARD_GRAVITY = 9.80665;

export interface GestureSet {
  /** count × SAMPLES × AXES values in g, example after example. */
  data: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** mulberry32: small, fast, and the same in every engine. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const uniform = (r: Random, low: number, high: number) => low + (high - low) * r();
function gaussian(r: Random): number {
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Stroke corners of the letter-like gestures, in a unit box (x right, y up). */
const POLYLINES: Record<number, readonly (readonly [number, number])[]> = {
  [WING]: [[0, 1], [0.25, 0], [0.5, 0.65], [0.75, 0], [1, 1]],
  [SLOPE]: [[1, 1], [0, 0], [1, 0]],
};

/** Minimum-jerk progress over one stroke: 0 → 1 with zero speed and acceleration at both ends. */
const minJerk = (t: number) => t * t * t * (10 - 15 * t + 6 * t * t);

/** Position (m) of the gesture at progress u in [0, 1]. */
function gesturePoint(label: number, u: number, size: number, out: number[]): void {
  if (label === RING) {
    // Clockwise from the top, eased in and out as a whole.
    const a = Math.PI / 2 - 2 * Math.PI * minJerk(u);
    out[0] = 0.5 * size * Math.cos(a);
    out[1] = 0.5 * size * Math.sin(a);
    return;
  }
  const corners = POLYLINES[label];
  const strokes = corners.length - 1;
  const at = Math.min(u * strokes, strokes - 1e-9);
  const k = Math.floor(at), s = minJerk(at - k);
  const [x0, y0] = corners[k], [x1, y1] = corners[k + 1];
  out[0] = size * (x0 + (x1 - x0) * s - 0.5);
  out[1] = size * (y0 + (y1 - y0) * s - 0.5);
}

/** A rotation matrix (row-major 3 × 3) from tilts about x, y and z. */
function rotation(ax: number, ay: number, az: number): number[] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  return [
    cy * cz, cz * sx * sy - cx * sz, cx * cz * sy + sx * sz,
    cy * sz, cx * cz + sx * sy * sz, cx * sy * sz - cz * sx,
    -sy, cy * sx, cx * cy,
  ];
}

/**
 * One example into `out` at `offset` (SAMPLES × AXES values, in g). Positions are worked out
 * at 4× the sample rate and differentiated twice, then read at 25 Hz.
 */
export function synthesize(label: number, r: Random, out: Float32Array, offset = 0): void {
  const fine = 4, n = SAMPLES * fine, dt = 1 / (RATE * fine);
  const px = new Float64Array(n + 2), py = new Float64Array(n + 2), pz = new Float64Array(n + 2);
  const point = [0, 0];
  if (label !== NEGATIVE) {
    const size = uniform(r, 0.15, 0.45);
    const duration = uniform(r, 1.0, 2.2);
    const start = uniform(r, 0.2, SAMPLES / RATE - duration - 0.2);
    const slant = uniform(r, -0.25, 0.25), squash = uniform(r, 0.75, 1.25);
    const wobble = uniform(r, 0, 0.02), wobbleHz = uniform(r, 0.5, 2), phase = uniform(r, 0, 6.3);
    const [c, s] = [Math.cos(slant), Math.sin(slant)];
    for (let i = 0; i < n + 2; i++) {
      const t = (i - 1) * dt;
      const u = Math.min(1, Math.max(0, (t - start) / duration));
      gesturePoint(label, u, size, point);
      const x = point[0] * squash, y = point[1] / squash;
      px[i] = c * x - s * y;
      py[i] = s * x + c * y;
      pz[i] = wobble * Math.sin(2 * Math.PI * wobbleHz * t + phase);
    }
  } else {
    negativePath(r, px, py, pz, dt);
  }
  const grip = rotation(uniform(r, -0.45, 0.45), uniform(r, -0.45, 0.45), uniform(r, -0.45, 0.45));
  const noise = uniform(r, 0.01, 0.04);
  const bias = [uniform(r, -0.04, 0.04), uniform(r, -0.04, 0.04), uniform(r, -0.04, 0.04)];
  const inv = 1 / (dt * dt * STANDARD_GRAVITY);
  for (let k = 0; k < SAMPLES; k++) {
    const i = k * fine + 1;
    // Specific force in g: the path's acceleration plus 1 g up (what a resting sensor reads).
    const fx = (px[i + 1] - 2 * px[i] + px[i - 1]) * inv;
    const fy = (py[i + 1] - 2 * py[i] + py[i - 1]) * inv + 1;
    const fz = (pz[i + 1] - 2 * pz[i] + pz[i - 1]) * inv;
    for (let a = 0; a < AXES; a++) {
      const v = grip[3 * a] * fx + grip[3 * a + 1] * fy + grip[3 * a + 2] * fz + bias[a] + noise * gaussian(r);
      out[offset + k * AXES + a] = v;
    }
  }
}

/** Motions that are no gesture: still, slow wobble, a shake, or a random smooth wander. */
function negativePath(r: Random, px: Float64Array, py: Float64Array, pz: Float64Array, dt: number): void {
  const kind = Math.floor(r() * 4);
  const n = px.length;
  const waves: number[][] = [];
  const count = kind === 0 ? 0 : kind === 1 ? 3 : kind === 2 ? 2 : 6;
  for (let w = 0; w < count * 3; w++) {
    const hz = kind === 2 ? uniform(r, 3, 6) : kind === 1 ? uniform(r, 0.2, 1) : uniform(r, 0.3, 1.2);
    const amplitude = kind === 2 ? uniform(r, 0.005, 0.02) : kind === 1 ? uniform(r, 0.01, 0.04) : uniform(r, 0.01, 0.06);
    waves.push([w % 3, hz, amplitude, uniform(r, 0, 6.3)]);
  }
  // A shake lasts a moment; the other motions the whole window.
  const from = kind === 2 ? uniform(r, 0.3, 3) : -1, to = kind === 2 ? from + uniform(r, 0.5, 1.5) : 1e9;
  for (let i = 0; i < n; i++) {
    const t = (i - 1) * dt;
    const envelope = t < from || t > to ? 0 : kind === 2 ? Math.sin(Math.PI * (t - from) / (to - from)) ** 2 : 1;
    let x = 0, y = 0, z = 0;
    for (const [axis, hz, amplitude, phase] of waves) {
      const v = envelope * amplitude * Math.sin(2 * Math.PI * hz * t + phase);
      if (axis === 0) x += v; else if (axis === 1) y += v; else z += v;
    }
    px[i] = x; py[i] = y; pz[i] = z;
  }
}

/** `count` examples, the four labels in equal shares in a seeded random order. */
export function generate(count: number, seed: number): GestureSet {
  const r = rng(seed);
  const data = new Float32Array(count * SAMPLES * AXES);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % LABELS.length;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = labels[i]; labels[i] = labels[j]; labels[j] = t;
  }
  for (let i = 0; i < count; i++) synthesize(labels[i], r, data, i * SAMPLES * AXES);
  return { data, labels, count };
}

/** A trace as the sensor logs it: "t_ms,x,y,z" lines in m/s², after a header line. */
export function traceCsv(values: Float32Array, offset = 0): string {
  const lines = ['t_ms,x,y,z'];
  for (let k = 0; k < SAMPLES; k++) {
    const at = offset + k * AXES;
    const v = (a: number) => (values[at + a] * STANDARD_GRAVITY).toFixed(3);
    lines.push(`${k * 1000 / RATE},${v(0)},${v(1)},${v(2)}`);
  }
  return lines.join('\n') + '\n';
}

/** Reads a trace CSV ("x,y,z" or "t,x,y,z" per line, m/s², a header line allowed) as m/s² triples. */
export function parseTraceCsv(text: string, name = 'trace'): Float32Array {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const cells = line.split(',').map(c => c.trim());
    if (cells.some(c => c === '' || Number.isNaN(Number(c)))) {
      if (rows.length === 0 && i === 0) continue; // the header
      throw new RangeError(`${name}, line ${i + 1}: "${line}" is not numbers separated by commas`);
    }
    if (cells.length !== 3 && cells.length !== 4) throw new RangeError(`${name}, line ${i + 1}: expected x,y,z or t,x,y,z, got ${cells.length} values`);
    rows.push(cells.slice(cells.length - 3).map(Number));
  }
  if (rows.length === 0) throw new RangeError(`${name}: no samples`);
  const out = new Float32Array(rows.length * AXES);
  rows.forEach((row, k) => out.set(row, k * AXES));
  return out;
}
