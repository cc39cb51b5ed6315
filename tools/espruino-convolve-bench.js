// E.convolve against plain JS inner products, as tflite-xs's kernels use them on Espruino
// (src/kernels/internal/convolve.ts and the fc-, conv- and depthwise-convolve paths). A standalone
// script for Espruino itself, not Node: run it in Espruino's Linux build (built from Espruino's
// public source, outside this repository) or paste it into the Web IDE for a board:
//   espruino tools/espruino-convolve-bench.js
// It prints the cost of a call, of an element and of a view, then plain loop vs E.convolve for a
// few layer shapes, and checks that both give the same sums. Times are wall-clock (getTime()):
// run it on an idle machine.
var conv = E.convolve;
function t() { return getTime(); }
function fill(a, k) { for (var i = 0; i < a.length; i++) a[i] = ((i * k) % 251) - 125; return a; }
var R = {};
// 1. call overhead, per element, view creation
var one = new Int8Array(1), big = fill(new Int8Array(4096), 7), s = t(), i, n;
for (i = 0; i < 2000; i++) conv(one, one, 0);
R.call_us = (t() - s) / 2000 * 1e6;
s = t(); for (i = 0; i < 200; i++) conv(big, big, 0);
R.per_element_ns = ((t() - s) / 200 * 1e6 - R.call_us) / 4096 * 1e3;
s = t(); for (i = 0; i < 2000; i++) big.subarray(64, 128);
R.view_us = (t() - s) / 2000 * 1e6;
// offset walk: cost of offset 4000 vs 0 for a 64-long a
var a64 = fill(new Int8Array(64), 3);
s = t(); for (i = 0; i < 500; i++) conv(a64, big, 4000);
R.offset4000_us = (t() - s) / 500 * 1e6;
// 2. FC 64x64, one batch: plain (8 rows a pass like int8-rows.ts is more code; simple loop here) vs one call per row
function fc(N, O, reps) {
  var w = fill(new Int8Array(N * O), 37), x = fill(new Int8Array(N), 11), sums = new Float64Array(O), c, d;
  var rows = []; for (c = 0; c < O; c++) rows.push(w.subarray(c * N, (c + 1) * N));
  var s0 = t();
  for (var r = 0; r < reps; r++) for (c = 0; c < O; c++) { var acc = 0, wi = c * N; for (d = 0; d < N; d++) acc += x[d] * w[wi + d]; sums[c] = acc; }
  var plain = (t() - s0) / reps;
  var check = new Float64Array(sums);
  s0 = t();
  for (r = 0; r < reps; r++) for (c = 0; c < O; c++) sums[c] = conv(rows[c], x, 0);
  var fast = (t() - s0) / reps, same = true;
  for (c = 0; c < O; c++) if (sums[c] !== check[c]) same = false;
  return { plain_ms: plain * 1e3, convolve_ms: fast * 1e3, speedup: plain / fast, same: same };
}
R.fc_64x64 = fc(64, 64, 3);
R.fc_16x16 = fc(16, 16, 20);
R.fc_400x4 = fc(400, 4, 3);
// 3. depthwise 3x3, depth multiplier 1, 16 channels, 8x8 output, stride 1, no padding:
//    plain window loop vs gather 9 taps + one call per channel
function dw(C, M, fH, fW, H, Wd, reps) {
  var O = C * M, taps = fH * fW, X = fill(new Int8Array(H * Wd * C), 5), F = fill(new Int8Array(taps * O), 13);
  var outH = H - fH + 1, outW = Wd - fW + 1, Y = new Float64Array(outH * outW * O), Y2 = new Float64Array(Y.length);
  var T = new Int8Array(taps * O), Q = new Int8Array(taps), c, tt, rows = [];
  for (c = 0; c < O; c++) for (tt = 0; tt < taps; tt++) T[c * taps + tt] = F[tt * O + c];
  for (c = 0; c < O; c++) rows.push(T.subarray(c * taps, (c + 1) * taps));
  var s0 = t(), r, oy, ox, ic, m, fy, fx, o;
  for (r = 0; r < reps; r++) { o = 0;
    for (oy = 0; oy < outH; oy++) for (ox = 0; ox < outW; ox++) { var pixel = (oy * Wd + ox) * C;
      for (ic = 0; ic < C; ic++) for (m = 0; m < M; m++) { c = ic * M + m; var acc = 0, row = pixel + ic, wi = c;
        for (fy = 0; fy < fH; fy++) { var xi = row; for (fx = 0; fx < fW; fx++) { acc += X[xi] * F[wi]; xi += C; wi += O; } row += Wd * C; }
        Y[o + c] = acc; }
      o += O; } }
  var plain = (t() - s0) / reps;
  s0 = t();
  for (r = 0; r < reps; r++) { o = 0;
    for (oy = 0; oy < outH; oy++) for (ox = 0; ox < outW; ox++) {
      for (ic = 0; ic < C; ic++) { tt = 0;
        for (fy = 0; fy < fH; fy++) { var xj = ((oy + fy) * Wd + ox) * C + ic; for (fx = 0; fx < fW; fx++) { Q[tt++] = X[xj]; xj += C; } }
        for (c = ic * M; c < ic * M + M; c++) Y2[o + c] = conv(rows[c], Q, 0); }
      o += O; } }
  var fast = (t() - s0) / reps, same = true;
  for (c = 0; c < Y.length; c++) if (Y[c] !== Y2[c]) same = false;
  return { plain_ms: plain * 1e3, convolve_ms: fast * 1e3, speedup: plain / fast, same: same };
}
R.dw_3x3_m1_c16_10x10 = dw(16, 1, 3, 3, 10, 10, 1);
R.dw_10x8_m8_c1_20x12 = dw(1, 8, 10, 8, 20, 12, 1);
// 4. conv 3x3 over 8 channels -> 16, 8x8 output: gather 72 + 16 calls vs plain
function cv(C, O, fH, fW, H, Wd, reps) {
  var K = fH * fW * C, X = fill(new Int8Array(H * Wd * C), 5), F = fill(new Int8Array(O * K), 13);
  var outH = H - fH + 1, outW = Wd - fW + 1, Y = new Float64Array(outH * outW * O), Y2 = new Float64Array(Y.length);
  var rows = [], Q = new Int8Array(K), c; for (c = 0; c < O; c++) rows.push(F.subarray(c * K, (c + 1) * K));
  var s0 = t(), r, oy, ox, fy, fx, o, k;
  for (r = 0; r < reps; r++) { o = 0;
    for (oy = 0; oy < outH; oy++) for (ox = 0; ox < outW; ox++) { for (c = 0; c < O; c++) { var acc = 0, wi = c * K;
        for (fy = 0; fy < fH; fy++) { var xi = ((oy + fy) * Wd + ox) * C, end = wi + fW * C; while (wi < end) acc += F[wi++] * X[xi++]; }
        Y[o + c] = acc; } o += O; } }
  var plain = (t() - s0) / reps;
  s0 = t();
  for (r = 0; r < reps; r++) { o = 0;
    for (oy = 0; oy < outH; oy++) for (ox = 0; ox < outW; ox++) { var pi = 0;
      for (fy = 0; fy < fH; fy++) { var xj = ((oy + fy) * Wd + ox) * C, e2 = pi + fW * C; while (pi < e2) Q[pi++] = X[xj++]; }
      for (c = 0; c < O; c++) Y2[o + c] = conv(rows[c], Q, 0); o += O; } }
  var fast = (t() - s0) / reps, same = true;
  for (c = 0; c < Y.length; c++) if (Y[c] !== Y2[c]) same = false;
  return { plain_ms: plain * 1e3, convolve_ms: fast * 1e3, speedup: plain / fast, same: same };
}
R.conv_3x3_c8_o16_10x10 = cv(8, 16, 3, 3, 10, 10, 1);
for (var key in R) console.log(key + ": " + JSON.stringify(R[key]));
