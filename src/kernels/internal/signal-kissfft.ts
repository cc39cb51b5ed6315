// kiss_fft (v130, the version TFLM's Signal library builds) reimplemented for its fixed-point
// int16 configuration (FIXED_POINT=16) and for float32, with the same arithmetic to the bit:
// every intermediate a `kiss_fft_cpx` holds is truncated to int16 (or rounded to float32) where
// the C code stores it, products round as its sround() macro does, and each radix-2/3/4/5
// stage scales by 1/p first (C_FIXDIV). Radices other than 2, 3, 4 and 5 are refused: TFLM
// builds kiss_fft without an allocator, so its generic butterfly cannot run.
//
// The recursion of kf_work() is unrolled: the leaves' copy is one permutation of the input
// (computed in prepare), then each stage's butterflies run innermost stage first, which is the
// order the recursion applies them in.

/** Layout of a plan (Int32Array): stage count, then (p, m, fstride) per stage, then the permutation. */
export const enum KissPlan {
  STAGES = 0,
  FIRST = 1,
  MAX_STAGES = 32,
  PERM = 1 + 3 * 32,
}

export function kissPlanLength(n: number): number {
  return KissPlan.PERM + n;
}

/**
 * kf_factor(): powers of 4, then 2, then odd primes. Fills the plan's stages and permutation;
 * returns '' or why kiss_fft as TFLM builds it cannot transform n points. Runs in both prepare
 * runs (`plan` may be empty in the sizing run: writes are then dropped).
 */
export function kissFactor(n: number, plan: Int32Array): string {
  if (!(n >= 2)) return `${n} points is too few`;
  const floorSqrt = Math.floor(Math.sqrt(n));
  const p: number[] = [], m: number[] = [], fstride: number[] = [];
  let rest = n, radix = 4, stride = 1;
  do {
    while (rest % radix) {
      radix = radix === 4 ? 2 : radix === 2 ? 3 : radix + 2;
      if (radix > floorSqrt) radix = rest;
    }
    if (radix > 5) return `${n} points have the factor ${radix}: only radices 2, 3, 4 and 5 are supported (TFLM's kiss_fft has no allocator for others)`;
    rest /= radix;
    p.push(radix);
    m.push(rest);
    fstride.push(stride);
    stride *= radix;
  } while (rest > 1);
  if (p.length > KissPlan.MAX_STAGES) return `${n} points need ${p.length} stages`;
  plan[KissPlan.STAGES] = p.length;
  for (let s = 0; s < p.length; s++) {
    plan[KissPlan.FIRST + 3 * s] = p[s];
    plan[KissPlan.FIRST + 3 * s + 1] = m[s];
    plan[KissPlan.FIRST + 3 * s + 2] = fstride[s];
  }
  // Output position o = Σ k_s·m_s reads input Σ k_s·fstride_s (the leaves of kf_work).
  for (let o = 0; o < n; o++) {
    let r = o, from = 0;
    for (let s = 0; s < p.length; s++) {
      const k = Math.floor(r / m[s]);
      r -= k * m[s];
      from += k * fstride[s];
    }
    plan[KissPlan.PERM + o] = from;
  }
  return '';
}

const PI_KISS = 3.141592653589793238462643383279502884197169399375105820974944;
const PI_KISSR = 3.14159265358979323846264338327;

/** kf_cexp twiddles of an n-point FFT (int16: floor(.5 + 32767·cos)), interleaved (re, im). */
export function kissTwiddles(n: number, inverse: boolean, out: Int16Array | Float32Array, at: number): void {
  const fixed = out instanceof Int16Array;
  for (let i = 0; i < n; i++) {
    let phase = -2 * PI_KISS * i / n;
    if (inverse) phase *= -1;
    out[at + 2 * i] = fixed ? Math.floor(0.5 + 32767 * Math.cos(phase)) : Math.cos(phase);
    out[at + 2 * i + 1] = fixed ? Math.floor(0.5 + 32767 * Math.sin(phase)) : Math.sin(phase);
  }
}

/** kiss_fftr's super twiddles for a real FFT whose complex FFT has ncfft points (ncfft/2 of them). */
export function kissSuperTwiddles(ncfft: number, inverse: boolean, out: Int16Array | Float32Array, at: number): void {
  const fixed = out instanceof Int16Array;
  for (let i = 0; i < (ncfft >> 1); i++) {
    let phase = -PI_KISSR * ((i + 1) / ncfft + 0.5);
    if (inverse) phase *= -1;
    out[at + 2 * i] = fixed ? Math.floor(0.5 + 32767 * Math.cos(phase)) : Math.cos(phase);
    out[at + 2 * i + 1] = fixed ? Math.floor(0.5 + 32767 * Math.sin(phase)) : Math.sin(phase);
  }
}

// ---- int16 ----

// sround(smul(a, b)) of FIXED_POINT 16, (a·b + 2^14) >> 15 as int16, is written out in place
// below as ((a·b) + 16384) >> 15 << 16 >> 16: a function call per product costs XS twice the time.

function bfly2(f: Int16Array, a: number, fstride: number, m: number, tw: Int16Array, t0: number): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, w = t0 + 2 * k * fstride;
    const ar = (((f[a] * 16383) + 16384) >> 15 << 16 >> 16), ai = (((f[a + 1] * 16383) + 16384) >> 15 << 16 >> 16);
    const br = (((f[b] * 16383) + 16384) >> 15 << 16 >> 16), bi = (((f[b + 1] * 16383) + 16384) >> 15 << 16 >> 16);
    const wr = tw[w], wi = tw[w + 1];
    const tr = (((br * wr - bi * wi) + 16384) >> 15 << 16 >> 16), ti = (((br * wi + bi * wr) + 16384) >> 15 << 16 >> 16);
    f[b] = ar - tr;
    f[b + 1] = ai - ti;
    f[a] = ar + tr;
    f[a + 1] = ai + ti;
  }
}

function bfly3(f: Int16Array, a: number, fstride: number, m: number, tw: Int16Array, t0: number): void {
  const epi3i = tw[t0 + 2 * fstride * m + 1];
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride;
    const f0r = (((f[a] * 10922) + 16384) >> 15 << 16 >> 16), f0i = (((f[a + 1] * 10922) + 16384) >> 15 << 16 >> 16);
    const f1r = (((f[b] * 10922) + 16384) >> 15 << 16 >> 16), f1i = (((f[b + 1] * 10922) + 16384) >> 15 << 16 >> 16);
    const f2r = (((f[c] * 10922) + 16384) >> 15 << 16 >> 16), f2i = (((f[c + 1] * 10922) + 16384) >> 15 << 16 >> 16);
    const s1r = (((f1r * tw[w1] - f1i * tw[w1 + 1]) + 16384) >> 15 << 16 >> 16), s1i = (((f1r * tw[w1 + 1] + f1i * tw[w1]) + 16384) >> 15 << 16 >> 16);
    const s2r = (((f2r * tw[w2] - f2i * tw[w2 + 1]) + 16384) >> 15 << 16 >> 16), s2i = (((f2r * tw[w2 + 1] + f2i * tw[w2]) + 16384) >> 15 << 16 >> 16);
    const s3r = (s1r + s2r) << 16 >> 16, s3i = (s1i + s2i) << 16 >> 16;
    let s0r = (s1r - s2r) << 16 >> 16, s0i = (s1i - s2i) << 16 >> 16;
    const g1r = (f0r - (s3r >> 1)) << 16 >> 16, g1i = (f0i - (s3i >> 1)) << 16 >> 16;
    s0r = (((s0r * epi3i) + 16384) >> 15 << 16 >> 16);
    s0i = (((s0i * epi3i) + 16384) >> 15 << 16 >> 16);
    f[a] = f0r + s3r;
    f[a + 1] = f0i + s3i;
    f[c] = g1r + s0i;
    f[c + 1] = g1i - s0r;
    f[b] = g1r - s0i;
    f[b + 1] = g1i + s0r;
  }
}

function bfly4(f: Int16Array, a: number, fstride: number, m: number, tw: Int16Array, t0: number, inverse: boolean): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride, w3 = t0 + 6 * k * fstride;
    const f0r = (((f[a] * 8191) + 16384) >> 15 << 16 >> 16), f0i = (((f[a + 1] * 8191) + 16384) >> 15 << 16 >> 16);
    const f1r = (((f[b] * 8191) + 16384) >> 15 << 16 >> 16), f1i = (((f[b + 1] * 8191) + 16384) >> 15 << 16 >> 16);
    const f2r = (((f[c] * 8191) + 16384) >> 15 << 16 >> 16), f2i = (((f[c + 1] * 8191) + 16384) >> 15 << 16 >> 16);
    const f3r = (((f[d] * 8191) + 16384) >> 15 << 16 >> 16), f3i = (((f[d + 1] * 8191) + 16384) >> 15 << 16 >> 16);
    const s0r = (((f1r * tw[w1] - f1i * tw[w1 + 1]) + 16384) >> 15 << 16 >> 16), s0i = (((f1r * tw[w1 + 1] + f1i * tw[w1]) + 16384) >> 15 << 16 >> 16);
    const s1r = (((f2r * tw[w2] - f2i * tw[w2 + 1]) + 16384) >> 15 << 16 >> 16), s1i = (((f2r * tw[w2 + 1] + f2i * tw[w2]) + 16384) >> 15 << 16 >> 16);
    const s2r = (((f3r * tw[w3] - f3i * tw[w3 + 1]) + 16384) >> 15 << 16 >> 16), s2i = (((f3r * tw[w3 + 1] + f3i * tw[w3]) + 16384) >> 15 << 16 >> 16);
    const s5r = (f0r - s1r) << 16 >> 16, s5i = (f0i - s1i) << 16 >> 16;
    const g0r = (f0r + s1r) << 16 >> 16, g0i = (f0i + s1i) << 16 >> 16;
    const s3r = (s0r + s2r) << 16 >> 16, s3i = (s0i + s2i) << 16 >> 16;
    const s4r = (s0r - s2r) << 16 >> 16, s4i = (s0i - s2i) << 16 >> 16;
    f[c] = g0r - s3r;
    f[c + 1] = g0i - s3i;
    f[a] = g0r + s3r;
    f[a + 1] = g0i + s3i;
    if (inverse) {
      f[b] = s5r - s4i;
      f[b + 1] = s5i + s4r;
      f[d] = s5r + s4i;
      f[d + 1] = s5i - s4r;
    } else {
      f[b] = s5r + s4i;
      f[b + 1] = s5i - s4r;
      f[d] = s5r - s4i;
      f[d + 1] = s5i + s4r;
    }
  }
}

function bfly5(f: Int16Array, a: number, fstride: number, m: number, tw: Int16Array, t0: number): void {
  const ya = t0 + 2 * fstride * m, yb = t0 + 4 * fstride * m;
  const yar = tw[ya], yai = tw[ya + 1], ybr = tw[yb], ybi = tw[yb + 1];
  for (let u = 0; u < m; u++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m, e = d + 2 * m;
    const w1 = t0 + 2 * u * fstride, w2 = t0 + 4 * u * fstride, w3 = t0 + 6 * u * fstride, w4 = t0 + 8 * u * fstride;
    const s0r = (((f[a] * 6553) + 16384) >> 15 << 16 >> 16), s0i = (((f[a + 1] * 6553) + 16384) >> 15 << 16 >> 16);
    const f1r = (((f[b] * 6553) + 16384) >> 15 << 16 >> 16), f1i = (((f[b + 1] * 6553) + 16384) >> 15 << 16 >> 16);
    const f2r = (((f[c] * 6553) + 16384) >> 15 << 16 >> 16), f2i = (((f[c + 1] * 6553) + 16384) >> 15 << 16 >> 16);
    const f3r = (((f[d] * 6553) + 16384) >> 15 << 16 >> 16), f3i = (((f[d + 1] * 6553) + 16384) >> 15 << 16 >> 16);
    const f4r = (((f[e] * 6553) + 16384) >> 15 << 16 >> 16), f4i = (((f[e + 1] * 6553) + 16384) >> 15 << 16 >> 16);
    const s1r = (((f1r * tw[w1] - f1i * tw[w1 + 1]) + 16384) >> 15 << 16 >> 16), s1i = (((f1r * tw[w1 + 1] + f1i * tw[w1]) + 16384) >> 15 << 16 >> 16);
    const s2r = (((f2r * tw[w2] - f2i * tw[w2 + 1]) + 16384) >> 15 << 16 >> 16), s2i = (((f2r * tw[w2 + 1] + f2i * tw[w2]) + 16384) >> 15 << 16 >> 16);
    const s3r = (((f3r * tw[w3] - f3i * tw[w3 + 1]) + 16384) >> 15 << 16 >> 16), s3i = (((f3r * tw[w3 + 1] + f3i * tw[w3]) + 16384) >> 15 << 16 >> 16);
    const s4r = (((f4r * tw[w4] - f4i * tw[w4 + 1]) + 16384) >> 15 << 16 >> 16), s4i = (((f4r * tw[w4 + 1] + f4i * tw[w4]) + 16384) >> 15 << 16 >> 16);
    const s7r = (s1r + s4r) << 16 >> 16, s7i = (s1i + s4i) << 16 >> 16;
    const s10r = (s1r - s4r) << 16 >> 16, s10i = (s1i - s4i) << 16 >> 16;
    const s8r = (s2r + s3r) << 16 >> 16, s8i = (s2i + s3i) << 16 >> 16;
    const s9r = (s2r - s3r) << 16 >> 16, s9i = (s2i - s3i) << 16 >> 16;
    f[a] = s0r + s7r + s8r;
    f[a + 1] = s0i + s7i + s8i;
    const s5r = (s0r + (((s7r * yar) + 16384) >> 15 << 16 >> 16) + (((s8r * ybr) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s5i = (s0i + (((s7i * yar) + 16384) >> 15 << 16 >> 16) + (((s8i * ybr) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s6r = ((((s10i * yai) + 16384) >> 15 << 16 >> 16) + (((s9i * ybi) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s6i = (-(((s10r * yai) + 16384) >> 15 << 16 >> 16) - (((s9r * ybi) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    f[b] = s5r - s6r;
    f[b + 1] = s5i - s6i;
    f[e] = s5r + s6r;
    f[e + 1] = s5i + s6i;
    const s11r = (s0r + (((s7r * ybr) + 16384) >> 15 << 16 >> 16) + (((s8r * yar) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s11i = (s0i + (((s7i * ybr) + 16384) >> 15 << 16 >> 16) + (((s8i * yar) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s12r = (-(((s10i * ybi) + 16384) >> 15 << 16 >> 16) + (((s9i * yai) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    const s12i = ((((s10r * ybi) + 16384) >> 15 << 16 >> 16) - (((s9r * yai) + 16384) >> 15 << 16 >> 16)) << 16 >> 16;
    f[c] = s11r + s12r;
    f[c + 1] = s11i + s12i;
    f[d] = s11r - s12r;
    f[d + 1] = s11i - s12i;
  }
}

/** kiss_fft() of n complex int16 points from src (at srcAt) into dst (at dstAt); src and dst must not overlap. */
export function kissFft16(plan: Int32Array, tw: Int16Array, t0: number, inverse: boolean, n: number,
  src: Int16Array, srcAt: number, dst: Int16Array, dstAt: number): void {
  for (let o = 0; o < n; o++) {
    const from = srcAt + 2 * plan[KissPlan.PERM + o], to = dstAt + 2 * o;
    dst[to] = src[from];
    dst[to + 1] = src[from + 1];
  }
  for (let s = plan[KissPlan.STAGES] - 1; s >= 0; s--) {
    const p = plan[KissPlan.FIRST + 3 * s], m = plan[KissPlan.FIRST + 3 * s + 1], fstride = plan[KissPlan.FIRST + 3 * s + 2];
    const size = 2 * p * m;
    for (let block = 0, a = dstAt; block < fstride; block++, a += size) {
      if (p === 4) bfly4(dst, a, fstride, m, tw, t0, inverse);
      else if (p === 2) bfly2(dst, a, fstride, m, tw, t0);
      else if (p === 3) bfly3(dst, a, fstride, m, tw, t0);
      else bfly5(dst, a, fstride, m, tw, t0);
    }
  }
}

/**
 * kiss_fftr(): the real FFT of 2·ncfft int16 samples (time, at timeAt) into ncfft + 1 complex
 * bins (out, at outAt), through tmp (2·ncfft int16 at tmpAt). tw holds the ncfft twiddles at 0
 * and the super twiddles after them.
 */
export function kissFftr16(plan: Int32Array, tw: Int16Array, ncfft: number,
  time: Int16Array, timeAt: number, tmp: Int16Array, tmpAt: number, out: Int16Array, outAt: number): void {
  kissFft16(plan, tw, 0, false, ncfft, time, timeAt, tmp, tmpAt);
  const tdcr = (((tmp[tmpAt] * 16383) + 16384) >> 15 << 16 >> 16), tdci = (((tmp[tmpAt + 1] * 16383) + 16384) >> 15 << 16 >> 16);
  out[outAt] = tdcr + tdci;
  out[outAt + 2 * ncfft] = tdcr - tdci;
  out[outAt + 1] = 0;
  out[outAt + 2 * ncfft + 1] = 0;
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = tmpAt + 2 * k, q = tmpAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fpkr = (((tmp[p] * 16383) + 16384) >> 15 << 16 >> 16), fpki = (((tmp[p + 1] * 16383) + 16384) >> 15 << 16 >> 16);
    const fpnkr = (((tmp[q] * 16383) + 16384) >> 15 << 16 >> 16), fpnki = (((((-tmp[q + 1]) << 16 >> 16) * 16383) + 16384) >> 15 << 16 >> 16);
    const f1kr = (fpkr + fpnkr) << 16 >> 16, f1ki = (fpki + fpnki) << 16 >> 16;
    const f2kr = (fpkr - fpnkr) << 16 >> 16, f2ki = (fpki - fpnki) << 16 >> 16;
    const wr = tw[w], wi = tw[w + 1];
    const twr = (((f2kr * wr - f2ki * wi) + 16384) >> 15 << 16 >> 16), twi = (((f2kr * wi + f2ki * wr) + 16384) >> 15 << 16 >> 16);
    out[outAt + 2 * k] = (f1kr + twr) >> 1;
    out[outAt + 2 * k + 1] = (f1ki + twi) >> 1;
    out[outAt + 2 * (ncfft - k)] = (f1kr - twr) >> 1;
    out[outAt + 2 * (ncfft - k) + 1] = (twi - f1ki) >> 1;
  }
}

/** kiss_fftri(): ncfft + 1 complex int16 bins (freq, at freqAt) to 2·ncfft samples (time, at timeAt), through tmp. */
export function kissFftri16(plan: Int32Array, tw: Int16Array, ncfft: number,
  freq: Int16Array, freqAt: number, tmp: Int16Array, tmpAt: number, time: Int16Array, timeAt: number): void {
  const last = freqAt + 2 * ncfft;
  tmp[tmpAt] = (((((freq[freqAt] + freq[last]) << 16 >> 16) * 16383) + 16384) >> 15 << 16 >> 16);
  tmp[tmpAt + 1] = (((((freq[freqAt] - freq[last]) << 16 >> 16) * 16383) + 16384) >> 15 << 16 >> 16);
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = freqAt + 2 * k, q = freqAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fkr = (((freq[p] * 16383) + 16384) >> 15 << 16 >> 16), fki = (((freq[p + 1] * 16383) + 16384) >> 15 << 16 >> 16);
    const fnkcr = (((freq[q] * 16383) + 16384) >> 15 << 16 >> 16), fnkci = (((((-freq[q + 1]) << 16 >> 16) * 16383) + 16384) >> 15 << 16 >> 16);
    const fekr = (fkr + fnkcr) << 16 >> 16, feki = (fki + fnkci) << 16 >> 16;
    const tr = (fkr - fnkcr) << 16 >> 16, ti = (fki - fnkci) << 16 >> 16;
    const wr = tw[w], wi = tw[w + 1];
    const fokr = (((tr * wr - ti * wi) + 16384) >> 15 << 16 >> 16), foki = (((tr * wi + ti * wr) + 16384) >> 15 << 16 >> 16);
    tmp[tmpAt + 2 * k] = fekr + fokr;
    tmp[tmpAt + 2 * k + 1] = feki + foki;
    tmp[tmpAt + 2 * (ncfft - k)] = fekr - fokr;
    tmp[tmpAt + 2 * (ncfft - k) + 1] = -(((feki - foki) << 16) >> 16);
  }
  kissFft16(plan, tw, 0, true, ncfft, tmp, tmpAt, time, timeAt);
}

// ---- float32 ----

const fr = Math.fround;

function fbfly2(f: Float32Array, a: number, fstride: number, m: number, tw: Float32Array, t0: number): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, w = t0 + 2 * k * fstride;
    const br = f[b], bi = f[b + 1], wr = tw[w], wi = tw[w + 1];
    const tr = fr(fr(br * wr) - fr(bi * wi)), ti = fr(fr(br * wi) + fr(bi * wr));
    const ar = f[a], ai = f[a + 1];
    f[b] = ar - tr;
    f[b + 1] = ai - ti;
    f[a] = ar + tr;
    f[a + 1] = ai + ti;
  }
}

function fbfly3(f: Float32Array, a: number, fstride: number, m: number, tw: Float32Array, t0: number): void {
  const epi3i = tw[t0 + 2 * fstride * m + 1];
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride;
    const f1r = f[b], f1i = f[b + 1], f2r = f[c], f2i = f[c + 1];
    const s1r = fr(fr(f1r * tw[w1]) - fr(f1i * tw[w1 + 1])), s1i = fr(fr(f1r * tw[w1 + 1]) + fr(f1i * tw[w1]));
    const s2r = fr(fr(f2r * tw[w2]) - fr(f2i * tw[w2 + 1])), s2i = fr(fr(f2r * tw[w2 + 1]) + fr(f2i * tw[w2]));
    const s3r = fr(s1r + s2r), s3i = fr(s1i + s2i);
    const s0r = fr(fr(s1r - s2r) * epi3i), s0i = fr(fr(s1i - s2i) * epi3i);
    const f0r = f[a], f0i = f[a + 1];
    const g1r = fr(f0r - fr(s3r * 0.5)), g1i = fr(f0i - fr(s3i * 0.5));
    f[a] = f0r + s3r;
    f[a + 1] = f0i + s3i;
    f[c] = g1r + s0i;
    f[c + 1] = g1i - s0r;
    f[b] = g1r - s0i;
    f[b + 1] = g1i + s0r;
  }
}

function fbfly4(f: Float32Array, a: number, fstride: number, m: number, tw: Float32Array, t0: number, inverse: boolean): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride, w3 = t0 + 6 * k * fstride;
    const f1r = f[b], f1i = f[b + 1], f2r = f[c], f2i = f[c + 1], f3r = f[d], f3i = f[d + 1];
    const s0r = fr(fr(f1r * tw[w1]) - fr(f1i * tw[w1 + 1])), s0i = fr(fr(f1r * tw[w1 + 1]) + fr(f1i * tw[w1]));
    const s1r = fr(fr(f2r * tw[w2]) - fr(f2i * tw[w2 + 1])), s1i = fr(fr(f2r * tw[w2 + 1]) + fr(f2i * tw[w2]));
    const s2r = fr(fr(f3r * tw[w3]) - fr(f3i * tw[w3 + 1])), s2i = fr(fr(f3r * tw[w3 + 1]) + fr(f3i * tw[w3]));
    const f0r = f[a], f0i = f[a + 1];
    const s5r = fr(f0r - s1r), s5i = fr(f0i - s1i);
    const g0r = fr(f0r + s1r), g0i = fr(f0i + s1i);
    const s3r = fr(s0r + s2r), s3i = fr(s0i + s2i);
    const s4r = fr(s0r - s2r), s4i = fr(s0i - s2i);
    f[c] = g0r - s3r;
    f[c + 1] = g0i - s3i;
    f[a] = g0r + s3r;
    f[a + 1] = g0i + s3i;
    if (inverse) {
      f[b] = s5r - s4i;
      f[b + 1] = s5i + s4r;
      f[d] = s5r + s4i;
      f[d + 1] = s5i - s4r;
    } else {
      f[b] = s5r + s4i;
      f[b + 1] = s5i - s4r;
      f[d] = s5r - s4i;
      f[d + 1] = s5i + s4r;
    }
  }
}

function fbfly5(f: Float32Array, a: number, fstride: number, m: number, tw: Float32Array, t0: number): void {
  const ya = t0 + 2 * fstride * m, yb = t0 + 4 * fstride * m;
  const yar = tw[ya], yai = tw[ya + 1], ybr = tw[yb], ybi = tw[yb + 1];
  for (let u = 0; u < m; u++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m, e = d + 2 * m;
    const w1 = t0 + 2 * u * fstride, w2 = t0 + 4 * u * fstride, w3 = t0 + 6 * u * fstride, w4 = t0 + 8 * u * fstride;
    const s0r = f[a], s0i = f[a + 1];
    const f1r = f[b], f1i = f[b + 1], f2r = f[c], f2i = f[c + 1], f3r = f[d], f3i = f[d + 1], f4r = f[e], f4i = f[e + 1];
    const s1r = fr(fr(f1r * tw[w1]) - fr(f1i * tw[w1 + 1])), s1i = fr(fr(f1r * tw[w1 + 1]) + fr(f1i * tw[w1]));
    const s2r = fr(fr(f2r * tw[w2]) - fr(f2i * tw[w2 + 1])), s2i = fr(fr(f2r * tw[w2 + 1]) + fr(f2i * tw[w2]));
    const s3r = fr(fr(f3r * tw[w3]) - fr(f3i * tw[w3 + 1])), s3i = fr(fr(f3r * tw[w3 + 1]) + fr(f3i * tw[w3]));
    const s4r = fr(fr(f4r * tw[w4]) - fr(f4i * tw[w4 + 1])), s4i = fr(fr(f4r * tw[w4 + 1]) + fr(f4i * tw[w4]));
    const s7r = fr(s1r + s4r), s7i = fr(s1i + s4i);
    const s10r = fr(s1r - s4r), s10i = fr(s1i - s4i);
    const s8r = fr(s2r + s3r), s8i = fr(s2i + s3i);
    const s9r = fr(s2r - s3r), s9i = fr(s2i - s3i);
    f[a] = s0r + fr(s7r + s8r);
    f[a + 1] = s0i + fr(s7i + s8i);
    const s5r = fr(fr(s0r + fr(s7r * yar)) + fr(s8r * ybr));
    const s5i = fr(fr(s0i + fr(s7i * yar)) + fr(s8i * ybr));
    const s6r = fr(fr(s10i * yai) + fr(s9i * ybi));
    const s6i = fr(-fr(s10r * yai) - fr(s9r * ybi));
    f[b] = s5r - s6r;
    f[b + 1] = s5i - s6i;
    f[e] = s5r + s6r;
    f[e + 1] = s5i + s6i;
    const s11r = fr(fr(s0r + fr(s7r * ybr)) + fr(s8r * yar));
    const s11i = fr(fr(s0i + fr(s7i * ybr)) + fr(s8i * yar));
    const s12r = fr(-fr(s10i * ybi) + fr(s9i * yai));
    const s12i = fr(fr(s10r * ybi) - fr(s9r * yai));
    f[c] = s11r + s12r;
    f[c + 1] = s11i + s12i;
    f[d] = s11r - s12r;
    f[d + 1] = s11i - s12i;
  }
}

export function kissFftF32(plan: Int32Array, tw: Float32Array, t0: number, inverse: boolean, n: number,
  src: Float32Array, srcAt: number, dst: Float32Array, dstAt: number): void {
  for (let o = 0; o < n; o++) {
    const from = srcAt + 2 * plan[KissPlan.PERM + o], to = dstAt + 2 * o;
    dst[to] = src[from];
    dst[to + 1] = src[from + 1];
  }
  for (let s = plan[KissPlan.STAGES] - 1; s >= 0; s--) {
    const p = plan[KissPlan.FIRST + 3 * s], m = plan[KissPlan.FIRST + 3 * s + 1], fstride = plan[KissPlan.FIRST + 3 * s + 2];
    const size = 2 * p * m;
    for (let block = 0, a = dstAt; block < fstride; block++, a += size) {
      if (p === 4) fbfly4(dst, a, fstride, m, tw, t0, inverse);
      else if (p === 2) fbfly2(dst, a, fstride, m, tw, t0);
      else if (p === 3) fbfly3(dst, a, fstride, m, tw, t0);
      else fbfly5(dst, a, fstride, m, tw, t0);
    }
  }
}

export function kissFftrF32(plan: Int32Array, tw: Float32Array, ncfft: number,
  time: Float32Array, timeAt: number, tmp: Float32Array, tmpAt: number, out: Float32Array, outAt: number): void {
  kissFftF32(plan, tw, 0, false, ncfft, time, timeAt, tmp, tmpAt);
  const tdcr = tmp[tmpAt], tdci = tmp[tmpAt + 1];
  out[outAt] = tdcr + tdci;
  out[outAt + 2 * ncfft] = tdcr - tdci;
  out[outAt + 1] = 0;
  out[outAt + 2 * ncfft + 1] = 0;
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = tmpAt + 2 * k, q = tmpAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fpkr = tmp[p], fpki = tmp[p + 1], fpnkr = tmp[q], fpnki = -tmp[q + 1];
    const f1kr = fr(fpkr + fpnkr), f1ki = fr(fpki + fpnki);
    const f2kr = fr(fpkr - fpnkr), f2ki = fr(fpki - fpnki);
    const wr = tw[w], wi = tw[w + 1];
    const twr = fr(fr(f2kr * wr) - fr(f2ki * wi)), twi = fr(fr(f2kr * wi) + fr(f2ki * wr));
    out[outAt + 2 * k] = fr(f1kr + twr) * 0.5;
    out[outAt + 2 * k + 1] = fr(f1ki + twi) * 0.5;
    out[outAt + 2 * (ncfft - k)] = fr(f1kr - twr) * 0.5;
    out[outAt + 2 * (ncfft - k) + 1] = fr(twi - f1ki) * 0.5;
  }
}

export function kissFftriF32(plan: Int32Array, tw: Float32Array, ncfft: number,
  freq: Float32Array, freqAt: number, tmp: Float32Array, tmpAt: number, time: Float32Array, timeAt: number): void {
  const last = freqAt + 2 * ncfft;
  tmp[tmpAt] = freq[freqAt] + freq[last];
  tmp[tmpAt + 1] = freq[freqAt] - freq[last];
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = freqAt + 2 * k, q = freqAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fkr = freq[p], fki = freq[p + 1], fnkcr = freq[q], fnkci = -freq[q + 1];
    const fekr = fr(fkr + fnkcr), feki = fr(fki + fnkci);
    const tr = fr(fkr - fnkcr), ti = fr(fki - fnkci);
    const wr = tw[w], wi = tw[w + 1];
    const fokr = fr(fr(tr * wr) - fr(ti * wi)), foki = fr(fr(tr * wi) + fr(ti * wr));
    tmp[tmpAt + 2 * k] = fekr + fokr;
    tmp[tmpAt + 2 * k + 1] = feki + foki;
    tmp[tmpAt + 2 * (ncfft - k)] = fekr - fokr;
    tmp[tmpAt + 2 * (ncfft - k) + 1] = -fr(feki - foki);
  }
  kissFftF32(plan, tw, 0, true, ncfft, tmp, tmpAt, time, timeAt);
}
