// SignalRfft and SignalIrfft of type int32 (kiss_fft FIXED_POINT=32, int64 products), on Node and
// in XS (which must agree to the bit), against TFLM's signal/micro/kernels/fft_test.cc: the size 64
// impulse tables and the 512-point tables of signal/testdata/fft_test_data.cc, compared exactly as
// TFLM compares them (tolerance 0). Those are TFLM's numbers (test-host/lib/tflm-fft-int32.mjs).
// A BigInt model of the same sround() checks the 16-bit-halves arithmetic on hostile values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import { flexbuffersMap } from './lib/flexbuffers-writer.mjs';
import { rfftInt32Length512Input, rfftInt32Length512Golden, irfftInt32Length512Input, irfftInt32Length512Golden } from './lib/tflm-fft-int32.mjs';

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

const INT32 = 2;
const bytesOf = v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();

function fftModel(name, fftLength, inputShape, outputShape) {
  const tensors = [{ type: 'int32', shape: inputShape }, { type: 'int32', shape: outputShape }];
  const customOptions = flexbuffersMap([['T', { int: INT32 }], ['fft_length', { int: fftLength }]], { width: 4 });
  return writeModel({ subgraphs: [{ tensors, inputs: [0], outputs: [1], operators: [{ op: { custom: name }, inputs: [0], outputs: [1], customOptions }] }] });
}

/** Runs on Node and XS; returns Node's output after checking XS wrote the same bytes. */
async function run(model, input) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.input(0).data.set(input);
  it.invoke();
  const out = it.output(0).data.slice();
  const loaded = await xs.load(model);
  const result = await xs.run([bytesOf(Int32Array.from(input))], 1, loaded.outputs.map(o => o.byteLength));
  assert.deepEqual(result.outputs[0], bytesOf(out), 'XS output differs from Node\'s');
  return Array.from(out);
}

const impulseRows = rows => Array.from({ length: rows * 64 }, (_, i) => (i % 64 === 0 ? 16384 : 0));
const flatBins = rows => Array.from({ length: rows * 66 }, (_, i) => (i % 2 ? 0 : 256));

test('SignalRfft int32 RfftTestSize64Int32 and RfftTestSize64Int32OuterDims4 (TFLM fft_test.cc)', async () => {
  assert.deepEqual(await run(fftModel('SignalRfft', 64, [64], [66]), impulseRows(1)), flatBins(1));
  assert.deepEqual(await run(fftModel('SignalRfft', 64, [2, 2, 64], [2, 2, 66]), impulseRows(4)), flatBins(4));
});

test('SignalRfft int32 RfftTestSize512Int32 (TFLM fft_test.cc, fft_test_data.cc, exact)', async () => {
  assert.deepEqual(await run(fftModel('SignalRfft', 512, [512], [514]), rfftInt32Length512Input), Array.from(rfftInt32Length512Golden));
});

test('SignalIrfft int32 IrfftTestLength64Int32 and its OuterDims4 (TFLM fft_test.cc)', async () => {
  const golden = rows => Array.from({ length: rows * 64 }, (_, i) => (i % 64 === 0 ? 256 : 0));
  assert.deepEqual(await run(fftModel('SignalIrfft', 64, [66], [64]), flatBins(1)), golden(1));
  assert.deepEqual(await run(fftModel('SignalIrfft', 64, [2, 2, 66], [2, 2, 64]), flatBins(4)), golden(4));
});

test('SignalIrfft int32 IrfftTestLength512Int32 (TFLM fft_test.cc, fft_test_data.cc, exact)', async () => {
  assert.deepEqual(await run(fftModel('SignalIrfft', 512, [514], [512]), irfftInt32Length512Input), Array.from(irfftInt32Length512Golden));
});

// ---- an independent model: kiss_fft v130 FIXED_POINT=32 in BigInt, recursion as kf_work ----
const I32 = v => Number(BigInt.asIntN(32, v));
const sround = x => BigInt.asIntN(32, (x + (1n << 30n)) >> 31n);
const fixdiv = (c, p) => ({ r: sround(c.r * BigInt(Math.trunc(2147483647 / p))), i: sround(c.i * BigInt(Math.trunc(2147483647 / p))) });
const cmul = (a, b) => ({ r: sround(a.r * b.r - a.i * b.i), i: sround(a.r * b.i + a.i * b.r) });
const wrap = v => BigInt.asIntN(32, v);
const cexp = phase => ({ r: BigInt(Math.floor(0.5 + 2147483647 * Math.cos(phase))), i: BigInt(Math.floor(0.5 + 2147483647 * Math.sin(phase))) });

function bigFft(input, inverse) {
  const n = input.length;
  const tw = Array.from({ length: n }, (_, i) => cexp((inverse ? 1 : -1) * 2 * Math.PI * i / n));
  const factors = [];
  let rest = n, p = 4;
  const floorSqrt = Math.floor(Math.sqrt(n));
  do {
    while (rest % p) { p = p === 4 ? 2 : p === 2 ? 3 : p + 2; if (p > floorSqrt) p = rest; }
    rest /= p;
    factors.push([p, rest]);
  } while (rest > 1);
  const out = new Array(n);
  const work = (o, f, fstride, level) => {
    const [p, m] = factors[level];
    if (m === 1) for (let q = 0; q < p; q++) out[o + q] = { ...input[f + q * fstride] };
    else for (let q = 0; q < p; q++) work(o + q * m, f + q * fstride, fstride * p, level + 1);
    for (let k = 0; k < m; k++) {
      // The generic DFT butterfly of one column, scaled by 1/p first (C_FIXDIV), products as C_MUL.
      const col = [];
      for (let q = 0; q < p; q++) col.push(fixdiv(out[o + k + q * m], p));
      if (p === 2) {
        const t = cmul(col[1], tw[k * fstride]);
        out[o + k + m] = { r: wrap(col[0].r - t.r), i: wrap(col[0].i - t.i) };
        out[o + k] = { r: wrap(col[0].r + t.r), i: wrap(col[0].i + t.i) };
      } else if (p === 4) {
        const s0 = cmul(col[1], tw[k * fstride]), s1 = cmul(col[2], tw[2 * k * fstride]), s2 = cmul(col[3], tw[3 * k * fstride]);
        const s5 = { r: wrap(col[0].r - s1.r), i: wrap(col[0].i - s1.i) }, g0 = { r: wrap(col[0].r + s1.r), i: wrap(col[0].i + s1.i) };
        const s3 = { r: wrap(s0.r + s2.r), i: wrap(s0.i + s2.i) }, s4 = { r: wrap(s0.r - s2.r), i: wrap(s0.i - s2.i) };
        out[o + k + 2 * m] = { r: wrap(g0.r - s3.r), i: wrap(g0.i - s3.i) };
        out[o + k] = { r: wrap(g0.r + s3.r), i: wrap(g0.i + s3.i) };
        out[o + k + m] = inverse ? { r: wrap(s5.r - s4.i), i: wrap(s5.i + s4.r) } : { r: wrap(s5.r + s4.i), i: wrap(s5.i - s4.r) };
        out[o + k + 3 * m] = inverse ? { r: wrap(s5.r + s4.i), i: wrap(s5.i - s4.r) } : { r: wrap(s5.r - s4.i), i: wrap(s5.i + s4.r) };
      } else throw new Error('the model covers radices 2 and 4');
    }
  };
  work(0, 0, 1, 0);
  return out;
}

function bigRfft(samples) {
  const ncfft = samples.length / 2;
  const tmp = bigFft(Array.from({ length: ncfft }, (_, i) => ({ r: BigInt(samples[2 * i]), i: BigInt(samples[2 * i + 1]) })), false);
  const out = new Array(2 * ncfft + 2).fill(0);
  const tdc = fixdiv(tmp[0], 2);
  out[0] = I32(tdc.r + tdc.i);
  out[2 * ncfft] = I32(tdc.r - tdc.i);
  for (let k = 1; k <= ncfft / 2; k++) {
    const fpk = fixdiv(tmp[k], 2), fpnk = fixdiv({ r: tmp[ncfft - k].r, i: wrap(-tmp[ncfft - k].i) }, 2);
    const f1k = { r: wrap(fpk.r + fpnk.r), i: wrap(fpk.i + fpnk.i) }, f2k = { r: wrap(fpk.r - fpnk.r), i: wrap(fpk.i - fpnk.i) };
    const t = cmul(f2k, cexp(-Math.PI * ((k) / ncfft + 0.5)));
    out[2 * k] = I32(wrap(f1k.r + t.r) >> 1n);
    out[2 * k + 1] = I32(wrap(f1k.i + t.i) >> 1n);
    out[2 * (ncfft - k)] = I32(wrap(f1k.r - t.r) >> 1n);
    out[2 * (ncfft - k) + 1] = I32(wrap(t.i - f1k.i) >> 1n);
  }
  return out;
}

test('SignalRfft int32 agrees with a BigInt kiss_fft on full-scale and extreme inputs (sizes 16, 32, 128)', async () => {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
  for (const n of [16, 32, 128]) {
    const cases = [
      Array.from({ length: n }, () => next()),
      Array.from({ length: n }, (_, i) => (i % 2 ? -2147483648 : 2147483647)),
      Array.from({ length: n }, () => -2147483648),
    ];
    for (const input of cases) {
      assert.deepEqual(await run(fftModel('SignalRfft', n, [n], [n + 2]), input), bigRfft(input), `n ${n}`);
    }
  }
});

test('SignalRfft/SignalIrfft int32 prepare errors: mismatched tensor type, odd fft_length', () => {
  const bad = (model, re) => assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && re.test(e.message));
  const tensors = [{ type: 'int16', shape: [64] }, { type: 'int16', shape: [66] }];
  const customOptions = flexbuffersMap([['T', { int: INT32 }], ['fft_length', { int: 64 }]], { width: 4 });
  bad(writeModel({ subgraphs: [{ tensors, inputs: [0], outputs: [1], operators: [{ op: { custom: 'SignalRfft' }, inputs: [0], outputs: [1], customOptions }] }] }), /int32/);
  bad(fftModel('SignalIrfft', 63, [64], [63]), /fft_length 63/);
});
