// kiss_fft v130 in its FIXED_POINT=32 configuration (TFLM's signal/src/kiss_fft_wrappers/
// kiss_fft_int32.cc), for SignalRfft and SignalIrfft of type int32, to the bit: products are
// int64 (SAMPPROD) rounded by sround(), (x + 2^30) >> 31 truncated to int32, and each stage
// scales by 1/p first (C_FIXDIV: x·(INT32_MAX / p) rounded alike). The plan (stages and
// permutation) is the one signal-kissfft.ts builds for int16 and float32.
//
// A JS number holds 53 bits, so the 62-bit products are taken in 16-bit halves: the result of
// sround(a·b ± c·d) is exact modulo 2^32, as C's int64 arithmetic and int32 cast give it.
import { KissPlan } from './signal-kissfft.js';

/** sround(smul(a, b)): (a·b + 2^30) >> 31 of int32 a, b, as int32. */
function sr(a: number, b: number): number {
  const ah = a >> 16, al = a & 0xffff, bh = b >> 16, bl = b & 0xffff;
  const mid = ah * bl + al * bh;
  const midLo = mid & 0xffff;
  const low = midLo * 65536 + al * bl + 1073741824;
  return ((ah * bh + (mid - midLo) / 65536) * 2 + Math.floor(low / 2147483648)) | 0;
}

/** sround(smul(a, b) - smul(c, d)) of int32 a, b, c, d, as int32. */
function srSub(a: number, b: number, c: number, d: number): number {
  const ah = a >> 16, al = a & 0xffff, bh = b >> 16, bl = b & 0xffff;
  const ch = c >> 16, cl = c & 0xffff, dh = d >> 16, dl = d & 0xffff;
  const mid = ah * bl + al * bh - ch * dl - cl * dh;
  const midLo = mid & 0xffff;
  const low = midLo * 65536 + al * bl - cl * dl + 1073741824;
  return ((ah * bh - ch * dh + (mid - midLo) / 65536) * 2 + Math.floor(low / 2147483648)) | 0;
}

/** sround(smul(a, b) + smul(c, d)) of int32 a, b, c, d, as int32. */
function srAdd(a: number, b: number, c: number, d: number): number {
  const ah = a >> 16, al = a & 0xffff, bh = b >> 16, bl = b & 0xffff;
  const ch = c >> 16, cl = c & 0xffff, dh = d >> 16, dl = d & 0xffff;
  const mid = ah * bl + al * bh + ch * dl + cl * dh;
  const midLo = mid & 0xffff;
  const low = midLo * 65536 + al * bl + cl * dl + 1073741824;
  return ((ah * bh + ch * dh + (mid - midLo) / 65536) * 2 + Math.floor(low / 2147483648)) | 0;
}

// DIVSCALAR(x, k) multiplies by SAMP_MAX / k (integer division).
const DIV2 = 1073741823, DIV3 = 715827882, DIV4 = 536870911, DIV5 = 429496729;

/** kf_cexp twiddles of an n-point FFT, floor(.5 + INT32_MAX·cos(phase)), interleaved (re, im). */
export function kissTwiddles32(n: number, inverse: boolean, out: Int32Array, at: number): void {
  for (let i = 0; i < n; i++) {
    let phase = -2 * 3.141592653589793238462643383279502884197169399375105820974944 * i / n;
    if (inverse) phase *= -1;
    out[at + 2 * i] = Math.floor(0.5 + 2147483647 * Math.cos(phase));
    out[at + 2 * i + 1] = Math.floor(0.5 + 2147483647 * Math.sin(phase));
  }
}

/** kiss_fftr's ncfft/2 super twiddles for a complex FFT of ncfft points. */
export function kissSuperTwiddles32(ncfft: number, inverse: boolean, out: Int32Array, at: number): void {
  for (let i = 0; i < (ncfft >> 1); i++) {
    let phase = -3.14159265358979323846264338327 * ((i + 1) / ncfft + 0.5);
    if (inverse) phase *= -1;
    out[at + 2 * i] = Math.floor(0.5 + 2147483647 * Math.cos(phase));
    out[at + 2 * i + 1] = Math.floor(0.5 + 2147483647 * Math.sin(phase));
  }
}

function bfly2(f: Int32Array, a: number, fstride: number, m: number, tw: Int32Array, t0: number): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, w = t0 + 2 * k * fstride;
    const ar = sr(f[a], DIV2), ai = sr(f[a + 1], DIV2), br = sr(f[b], DIV2), bi = sr(f[b + 1], DIV2);
    const wr = tw[w], wi = tw[w + 1];
    const tr = srSub(br, wr, bi, wi), ti = srAdd(br, wi, bi, wr);
    f[b] = ar - tr;
    f[b + 1] = ai - ti;
    f[a] = ar + tr;
    f[a + 1] = ai + ti;
  }
}

function bfly3(f: Int32Array, a: number, fstride: number, m: number, tw: Int32Array, t0: number): void {
  const epi3i = tw[t0 + 2 * fstride * m + 1];
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride;
    const f0r = sr(f[a], DIV3), f0i = sr(f[a + 1], DIV3);
    const f1r = sr(f[b], DIV3), f1i = sr(f[b + 1], DIV3);
    const f2r = sr(f[c], DIV3), f2i = sr(f[c + 1], DIV3);
    const s1r = srSub(f1r, tw[w1], f1i, tw[w1 + 1]), s1i = srAdd(f1r, tw[w1 + 1], f1i, tw[w1]);
    const s2r = srSub(f2r, tw[w2], f2i, tw[w2 + 1]), s2i = srAdd(f2r, tw[w2 + 1], f2i, tw[w2]);
    const s3r = (s1r + s2r) | 0, s3i = (s1i + s2i) | 0;
    const s0r = sr((s1r - s2r) | 0, epi3i), s0i = sr((s1i - s2i) | 0, epi3i);
    const g1r = (f0r - (s3r >> 1)) | 0, g1i = (f0i - (s3i >> 1)) | 0;
    f[a] = f0r + s3r;
    f[a + 1] = f0i + s3i;
    f[c] = g1r + s0i;
    f[c + 1] = g1i - s0r;
    f[b] = g1r - s0i;
    f[b + 1] = g1i + s0r;
  }
}

function bfly4(f: Int32Array, a: number, fstride: number, m: number, tw: Int32Array, t0: number, inverse: boolean): void {
  for (let k = 0; k < m; k++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m;
    const w1 = t0 + 2 * k * fstride, w2 = t0 + 4 * k * fstride, w3 = t0 + 6 * k * fstride;
    const f0r = sr(f[a], DIV4), f0i = sr(f[a + 1], DIV4);
    const f1r = sr(f[b], DIV4), f1i = sr(f[b + 1], DIV4);
    const f2r = sr(f[c], DIV4), f2i = sr(f[c + 1], DIV4);
    const f3r = sr(f[d], DIV4), f3i = sr(f[d + 1], DIV4);
    const s0r = srSub(f1r, tw[w1], f1i, tw[w1 + 1]), s0i = srAdd(f1r, tw[w1 + 1], f1i, tw[w1]);
    const s1r = srSub(f2r, tw[w2], f2i, tw[w2 + 1]), s1i = srAdd(f2r, tw[w2 + 1], f2i, tw[w2]);
    const s2r = srSub(f3r, tw[w3], f3i, tw[w3 + 1]), s2i = srAdd(f3r, tw[w3 + 1], f3i, tw[w3]);
    const s5r = (f0r - s1r) | 0, s5i = (f0i - s1i) | 0;
    const g0r = (f0r + s1r) | 0, g0i = (f0i + s1i) | 0;
    const s3r = (s0r + s2r) | 0, s3i = (s0i + s2i) | 0;
    const s4r = (s0r - s2r) | 0, s4i = (s0i - s2i) | 0;
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

function bfly5(f: Int32Array, a: number, fstride: number, m: number, tw: Int32Array, t0: number): void {
  const ya = t0 + 2 * fstride * m, yb = t0 + 4 * fstride * m;
  const yar = tw[ya], yai = tw[ya + 1], ybr = tw[yb], ybi = tw[yb + 1];
  for (let u = 0; u < m; u++, a += 2) {
    const b = a + 2 * m, c = b + 2 * m, d = c + 2 * m, e = d + 2 * m;
    const w1 = t0 + 2 * u * fstride, w2 = t0 + 4 * u * fstride, w3 = t0 + 6 * u * fstride, w4 = t0 + 8 * u * fstride;
    const s0r = sr(f[a], DIV5), s0i = sr(f[a + 1], DIV5);
    const f1r = sr(f[b], DIV5), f1i = sr(f[b + 1], DIV5);
    const f2r = sr(f[c], DIV5), f2i = sr(f[c + 1], DIV5);
    const f3r = sr(f[d], DIV5), f3i = sr(f[d + 1], DIV5);
    const f4r = sr(f[e], DIV5), f4i = sr(f[e + 1], DIV5);
    const s1r = srSub(f1r, tw[w1], f1i, tw[w1 + 1]), s1i = srAdd(f1r, tw[w1 + 1], f1i, tw[w1]);
    const s2r = srSub(f2r, tw[w2], f2i, tw[w2 + 1]), s2i = srAdd(f2r, tw[w2 + 1], f2i, tw[w2]);
    const s3r = srSub(f3r, tw[w3], f3i, tw[w3 + 1]), s3i = srAdd(f3r, tw[w3 + 1], f3i, tw[w3]);
    const s4r = srSub(f4r, tw[w4], f4i, tw[w4 + 1]), s4i = srAdd(f4r, tw[w4 + 1], f4i, tw[w4]);
    const s7r = (s1r + s4r) | 0, s7i = (s1i + s4i) | 0;
    const s10r = (s1r - s4r) | 0, s10i = (s1i - s4i) | 0;
    const s8r = (s2r + s3r) | 0, s8i = (s2i + s3i) | 0;
    const s9r = (s2r - s3r) | 0, s9i = (s2i - s3i) | 0;
    f[a] = s0r + s7r + s8r;
    f[a + 1] = s0i + s7i + s8i;
    const s5r = (s0r + sr(s7r, yar) + sr(s8r, ybr)) | 0, s5i = (s0i + sr(s7i, yar) + sr(s8i, ybr)) | 0;
    const s6r = (sr(s10i, yai) + sr(s9i, ybi)) | 0, s6i = (-sr(s10r, yai) - sr(s9r, ybi)) | 0;
    f[b] = s5r - s6r;
    f[b + 1] = s5i - s6i;
    f[e] = s5r + s6r;
    f[e + 1] = s5i + s6i;
    const s11r = (s0r + sr(s7r, ybr) + sr(s8r, yar)) | 0, s11i = (s0i + sr(s7i, ybr) + sr(s8i, yar)) | 0;
    const s12r = (-sr(s10i, ybi) + sr(s9i, yai)) | 0, s12i = (sr(s10r, ybi) - sr(s9r, yai)) | 0;
    f[c] = s11r + s12r;
    f[c + 1] = s11i + s12i;
    f[d] = s11r - s12r;
    f[d + 1] = s11i - s12i;
  }
}

/** kiss_fft() of n complex int32 points from src (at srcAt) into dst (at dstAt); they must not overlap. */
export function kissFft32(plan: Int32Array, tw: Int32Array, t0: number, inverse: boolean, n: number,
  src: Int32Array, srcAt: number, dst: Int32Array, dstAt: number): void {
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

/** kiss_fftr(): 2·ncfft int32 samples (time, at timeAt) to ncfft + 1 complex bins (out, at outAt), through tmp. */
export function kissFftr32(plan: Int32Array, tw: Int32Array, ncfft: number,
  time: Int32Array, timeAt: number, tmp: Int32Array, tmpAt: number, out: Int32Array, outAt: number): void {
  kissFft32(plan, tw, 0, false, ncfft, time, timeAt, tmp, tmpAt);
  const tdcr = sr(tmp[tmpAt], DIV2), tdci = sr(tmp[tmpAt + 1], DIV2);
  out[outAt] = tdcr + tdci;
  out[outAt + 2 * ncfft] = tdcr - tdci;
  out[outAt + 1] = 0;
  out[outAt + 2 * ncfft + 1] = 0;
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = tmpAt + 2 * k, q = tmpAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fpkr = sr(tmp[p], DIV2), fpki = sr(tmp[p + 1], DIV2);
    const fpnkr = sr(tmp[q], DIV2), fpnki = sr((-tmp[q + 1]) | 0, DIV2);
    const f1kr = (fpkr + fpnkr) | 0, f1ki = (fpki + fpnki) | 0;
    const f2kr = (fpkr - fpnkr) | 0, f2ki = (fpki - fpnki) | 0;
    const wr = tw[w], wi = tw[w + 1];
    const twr = srSub(f2kr, wr, f2ki, wi), twi = srAdd(f2kr, wi, f2ki, wr);
    out[outAt + 2 * k] = ((f1kr + twr) | 0) >> 1;
    out[outAt + 2 * k + 1] = ((f1ki + twi) | 0) >> 1;
    out[outAt + 2 * (ncfft - k)] = ((f1kr - twr) | 0) >> 1;
    out[outAt + 2 * (ncfft - k) + 1] = ((twi - f1ki) | 0) >> 1;
  }
}

/** kiss_fftri(): ncfft + 1 complex int32 bins (freq, at freqAt) to 2·ncfft samples (time, at timeAt), through tmp. */
export function kissFftri32(plan: Int32Array, tw: Int32Array, ncfft: number,
  freq: Int32Array, freqAt: number, tmp: Int32Array, tmpAt: number, time: Int32Array, timeAt: number): void {
  const last = freqAt + 2 * ncfft;
  tmp[tmpAt] = sr((freq[freqAt] + freq[last]) | 0, DIV2);
  tmp[tmpAt + 1] = sr((freq[freqAt] - freq[last]) | 0, DIV2);
  const st = 2 * ncfft;
  for (let k = 1; k <= (ncfft >> 1); k++) {
    const p = freqAt + 2 * k, q = freqAt + 2 * (ncfft - k), w = st + 2 * (k - 1);
    const fkr = sr(freq[p], DIV2), fki = sr(freq[p + 1], DIV2);
    const fnkcr = sr(freq[q], DIV2), fnkci = sr((-freq[q + 1]) | 0, DIV2);
    const fekr = (fkr + fnkcr) | 0, feki = (fki + fnkci) | 0;
    const tr = (fkr - fnkcr) | 0, ti = (fki - fnkci) | 0;
    const wr = tw[w], wi = tw[w + 1];
    const fokr = srSub(tr, wr, ti, wi), foki = srAdd(tr, wi, ti, wr);
    tmp[tmpAt + 2 * k] = fekr + fokr;
    tmp[tmpAt + 2 * k + 1] = feki + foki;
    tmp[tmpAt + 2 * (ncfft - k)] = fekr - fokr;
    tmp[tmpAt + 2 * (ncfft - k) + 1] = -((feki - foki) | 0);
  }
  kissFft32(plan, tw, 0, true, ncfft, tmp, tmpAt, time, timeAt);
}
