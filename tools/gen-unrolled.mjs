#!/usr/bin/env node
// Writes the unrolled loops of the conv and depthwise paths (float32, int16, int8) from templates
// (`node tools/gen-unrolled.mjs`; `--check` exits 1 when a checked-in file differs from what
// this script writes, as test-host/gen-unrolled.test.mjs asserts). XS is an interpreter that
// meters every bytecode, so these loops are unrolled, by the rules below rather than by hand:
// window-dot.ts (float32 and int16 windows), quad-dot.ts (int8 packed pairs) and
// depthwise-quad.ts and quad-requantize.ts (templates in tools/templates, their repeated pieces
// from DW_PIECES and RQ_PIECES).
//
// windowDot(G, kind): G output positions at a time. Input values are read 16 (then 8, then 1)
// at a time into locals, one set per position, and every output channel's weights (J apart) are
// read once into locals and multiplied with each position's set. Users: CONV_2D's float32 and
// 16x8 window paths (4 or 8 positions), FULLY_CONNECTED float32 (1), TRANSPOSE_CONV 16x8 (4
// input pixels against one tap). Sums go through A[s + p * C + c]
// (position p, channel c: `o_p` = p * C).
//  - kind 'float': each step is TFLM's `total += x * w` in float32 (C++ float arithmetic):
//    fround(total + fround(x * w)), in window order, so the sums equal the reference's exactly.
//  - kind 'wide': integer products summed exactly in doubles (int16 x int8 terms: every sum of
//    up to 2^31 terms stays below 2^53).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sum of `terms` products for position p, added to `acc`, as one expression. */
function chain(kind, acc, p, terms, first) {
  const w = i => (first ? `(w${i} = W[j${i === 0 ? '' : ` + ${i}`}])` : `w${i}`);
  if (kind === 'wide') {
    const sum = [];
    for (let i = 0; i < terms; i++) sum.push(`x${p}_${i} * ${w(i)}`);
    return `${acc} += ${sum.join(' + ')};`;
  }
  let e = acc.replace(/ = .*/, '');
  for (let i = 0; i < terms; i++) e = `fround(${e} + fround(x${p}_${i} * ${w(i)}))`;
  return `${acc} = ${e};`;
}

function chunk(kind, G, terms, indent) {
  const lines = [];
  for (let p = 0; p < G; p++) {
    const loads = [];
    for (let i = 0; i < terms; i++) loads.push(`x${p}_${i} = S[q${i === 0 ? '' : ` + ${i}`}];`);
    lines.push(`q = a${p} + k;`);
    for (let i = 0; i < loads.length; i += 8) lines.push(loads.slice(i, i + 8).join(' '));
  }
  lines.push('c = s; j = w + k;');
  lines.push('do {');
  for (let p = 0; p < G; p++) lines.push(`  ${chain(kind, p === 0 ? 'A[c]' : `A[c + o${p}]`, p, terms, p === 0)}`);
  lines.push('  j += J;');
  lines.push('} while (++c < end);');
  return lines.map(l => indent + l).join('\n');
}

function windowDot(G, kind) {
  const name = `${kind}Dot${G}`;
  const positions = Array.from({ length: G }, (_, p) => `a${p}: number`).join(', ');
  const decl = (prefix, count) => {
    const names = Array.from({ length: count }, (_, i) => `${prefix}${i} = 0`);
    const out = [];
    for (let i = 0; i < names.length; i += 8) out.push(`  let ${names.slice(i, i + 8).join(', ')};`);
    return out.join('\n');
  };
  const offsets = Array.from({ length: G - 1 }, (_, p) => `o${p + 1} = ${p + 1} * C`).join(', ');
  const body = [
    `/**`,
    ` * Sets A[s + p * C + c] (p < ${G}, c < channels) to the ${kind === 'float' ? 'float32' : 'exact'} dot product of`,
    ` * S[a_p + k] with W[w + c * J + k] over k < K${kind === 'float' ? ', summed in window order as TFLM does' : ''}.`,
    ` */`,
    `export function ${name}(`,
    `  S: ArrayLike<number>, ${positions}, K: number,`,
    `  W: ArrayLike<number>, w: number, J: number, channels: number, A: Float64Array, s: number, C: number,`,
    `): void {`,
    kind === 'float' ? `  const fround = Math.fround;` : null,
    `  const end = s + channels${G > 1 ? `, ${offsets}` : ''};`,
    `  A.fill(0, s, s + ${G === 1 ? 'channels' : `${G - 1} * C + channels`});`,
    `  const sixteens = K - (K & 15), eights = K - (K & 7);`,
    decl('w', 16),
    ...Array.from({ length: G }, (_, p) => decl(`x${p}_`, 16)),
    `  let q = 0, c = 0, j = 0, k = 0;`,
    `  for (k = 0; k < sixteens; k += 16) {`,
    chunk(kind, G, 16, '    '),
    `  }`,
    `  if (k < eights) {`,
    chunk(kind, G, 8, '    '),
    `    k += 8;`,
    `  }`,
    `  for (; k < K; k++) {`,
    chunk(kind, G, 1, '    '),
    `  }`,
    `}`,
  ];
  return body.filter(l => l !== null).join('\n');
}

// pairDot(pairs): CONV_2D int8 with the weights read in place, 2 * pairs output positions at a
// time. Two positions' int8 values become one number, xa + xb * F (F the field weight of
// internal/packed-dot.ts), so one multiply by a weight adds both positions' products; each
// weight is read once into a local and feeds every pair. Sums are exact in doubles.
const PAIR_LETTERS = ['a', 'b', 'e', 'g'];
const PAIR_NAMES = { 2: 'quadDot', 3: 'sextetDot', 4: 'octetDot' };
const PAIR_DOCS = {
  2: [
    ' * Sets SA[s + c] and SB[s + c] (c < channels) to `start` plus channel c\'s dot products with the',
    ' * packed pairs (S[a0 + k] + F * S[a1 + k]) and (S[a2 + k] + F * S[a3 + k]) over k < K; channel',
    ' * c\'s weights are W[w + c * K + k].',
  ],
  3: [
    ' * quadDot for six positions, three packed pairs (the third\'s sums in SE): each weight read',
    ' * feeds six multiply-accumulates. For windows of 16 values or more, where the channel loop\'s',
    ' * own costs are spread thin.',
  ],
  4: [
    ' * quadDot for eight positions, four packed pairs (the third\'s and fourth\'s sums in SE and SG):',
    ' * each weight read feeds eight multiply-accumulates. For windows of 16 values or more, where',
    ' * the channel loop\'s own costs are spread thin.',
  ],
};

function pairChunk(pairs, terms, indent) {
  const L = PAIR_LETTERS.slice(0, pairs);
  const lines = [];
  if (terms === 1) {
    L.forEach((l, i) => lines.push(`x${l}0 = S[a${2 * i} + k] + F * S[a${2 * i + 1} + k];`));
  } else {
    L.forEach((l, i) => {
      lines.push(`p = a${2 * i} + k; q = a${2 * i + 1} + k;`);
      const loads = [];
      for (let t = 0; t < terms; t++) loads.push(t === 0 ? `x${l}0 = S[p] + F * S[q];` : `x${l}${t} = S[p + ${t}] + F * S[q + ${t}];`);
      for (let t = 0; t < loads.length; t += 4) lines.push(loads.slice(t, t + 4).join(' '));
    });
  }
  lines.push('c = s; j = w + k;');
  lines.push('do {');
  L.forEach((l, i) => {
    const terms_ = [];
    for (let t = 0; t < terms; t++) terms_.push(i === 0 ? `x${l}${t} * (w${t} = W[j${t === 0 ? '' : ` + ${t}`}])` : `x${l}${t} * w${t}`);
    lines.push(`  S${l.toUpperCase()}[c] += ${terms_.join(' + ')};`);
  });
  lines.push('  j += K;');
  lines.push('} while (++c < end);');
  return lines.map(l => indent + l).join('\n');
}

function pairDot(pairs) {
  const L = PAIR_LETTERS.slice(0, pairs);
  const sums = L.map(l => `S${l.toUpperCase()}`);
  const positions = Array.from({ length: 2 * pairs }, (_, p) => `a${p}: number`).join(', ');
  const decl = (prefix, count) => {
    const names = Array.from({ length: count }, (_, i) => `${prefix}${i} = 0`);
    const out = [];
    for (let i = 0; i < names.length; i += 8) out.push(`  let ${names.slice(i, i + 8).join(', ')};`);
    return out.join('\n');
  };
  return [
    '/**',
    ...PAIR_DOCS[pairs],
    ' */',
    `export function ${PAIR_NAMES[pairs]}(`,
    `  S: ArrayLike<number>, ${positions}, K: number,`,
    `  W: ArrayLike<number>, w: number, channels: number, ${sums.map(n => `${n}: Float64Array`).join(', ')},`,
    '  s: number, start: number, F: number,',
    '): void {',
    '  const end = s + channels;',
    ...sums.map(n => `  ${n}.fill(start, s, end);`),
    '  // Chunks of 16 values while they last, then at most one of 8, then single values.',
    '  const sixteens = K - (K & 15), eights = K - (K & 7);',
    decl('w', 16),
    ...L.map(l => decl(`x${l}`, 16)),
    '  let p = 0, q = 0, c = 0, j = 0, k = 0;',
    '  for (k = 0; k < sixteens; k += 16) {',
    pairChunk(pairs, 16, '    '),
    '  }',
    '  if (k < eights) {',
    pairChunk(pairs, 8, '    '),
    '    k += 8;',
    '  }',
    '  for (; k < K; k++) {',
    pairChunk(pairs, 1, '    '),
    '  }',
    '}',
  ].join('\n');
}

const PAIR_HEADER = `// GENERATED by tools/gen-unrolled.mjs from one template: edit the template, not this file
// (test-host/gen-unrolled.test.mjs checks the two agree).
//
// Dot products of int8 weights read in place (no repacked copy) with four, six or eight output
// positions at once, for CONV_2D on XS where every bytecode is metered (their sums'
// requantization: quad-requantize.ts).
//
// The weights cannot be packed without a copy, so the inputs are: two positions' values become
// one number, xa + xb * F (F the field weight of internal/packed-dot.ts), and one multiply by a
// weight adds both positions' products. Four positions make two such pairs, and each weight,
// read once into a local, feeds both: per weight one typed-array read and two multiply-adds
// for four multiply-accumulates (three or four multiply-adds for six or eight). Input values
// are taken 16 (or 8) at a time into locals and reused by every output channel; the channels'
// running sums live in small Float64Arrays, one per pair.
//
// Sums are indexed from \`s\` (an element index into one view of the arena's doubles per pair,
// conv-record.ts), and weights from \`w\` (an element index into the weights' whole view): the
// loops start there, so the indices cost nothing per multiply.
`;

const HEADER = `// GENERATED by tools/gen-unrolled.mjs from one template: edit the template, not this file
// (test-host/gen-unrolled.test.mjs checks the two agree).
//
// Dot products of one gathered window per output position with every output channel's weights
// read in place, G positions at a time, for the float32 and int16 conv paths on XS (every
// bytecode is metered): each weight is read once into a local and feeds G multiply-adds, and
// each position's input values are read 16 at a time into locals reused by every channel.
// Float sums follow TFLM's reference order and float32 rounding step by step; int16 x int8
// sums are exact in doubles.
`;

// DEPTHWISE_CONV_2D int8's quad path (depthwise-quad.ts): tools/templates/depthwise-quad.ts.tmpl
// with each `//@@ name` line replaced by the piece of that name, its lines at the marker's
// indentation: the border windows' loads for four positions and eight taps, eight channels'
// sums, and the requantization of four positions.
const R8 = [0, 1, 2, 3, 4, 5, 6, 7], P4 = [0, 1, 2, 3];
const off = (base, k, name) => (k === 0 ? base : `${base} + ${name}${k}`);
const DW_PIECES = {
  qdecl: () => P4.map(p => `let ${R8.map(k => `q${p}${k} = 0`).join(', ')};`),
  border8: () => {
    const lines = ['ty = fy * dH;', 'tx = fx * dW;'];
    for (const p of P4) {
      lines.push(`iy = y${p} + ty;`);
      lines.push(`if (iy < 0 || iy >= H) ${R8.map(k => `q${p}${k}`).join(' = ')} = zp;`);
      lines.push('else {');
      lines.push(`  ix = x${p} + tx;`);
      lines.push(`  at = ((h${p} + iy) * W + ix) * C + icx;`);
      lines.push(`  if (ix >= 0 && ix + f7 < W) { ${R8.map(k => `q${p}${k} = X[${off('at', k, 'e')}];`).join(' ')} }`);
      lines.push('  else {');
      for (const k of R8) lines.push(`    q${p}${k} = ${k === 0 ? 'ix >= 0 && ix < W' : `ix + f${k} >= 0 && ix + f${k} < W`} ? X[${off('at', k, 'e')}] : zp;`);
      lines.push('  }');
      lines.push('}');
    }
    for (const [x, p] of [['xa', 0], ['xb', 2]]) {
      for (const half of [[0, 1, 2, 3], [4, 5, 6, 7]]) lines.push(half.map(k => `${x}${k} = q${p}${k} + F * q${p + 1}${k};`).join(' '));
    }
    return lines;
  },
  eightChannels: () => {
    const lines = [];
    for (const c of R8) {
      const j = c === 0 ? 'j' : 'jj';
      if (c > 0) lines.push(`jj = j + ${c};`);
      const terms = R8.map(k => `xa${k} * (w${k} = Wt[${off(j, k, 'g')}])`);
      lines.push(`T${c} += ${terms.slice(0, 4).join(' + ')} +`);
      lines.push(`  ${terms.slice(4).join(' + ')};`);
      lines.push(`U${c} += ${R8.map(k => `xb${k} * w${k}`).join(' + ')};`);
    }
    return lines;
  },
  borderOne: () => {
    const lines = ['ty = fy * dH;', 'tx = fx * dW;'];
    for (const p of P4) {
      lines.push(`iy = y${p} + ty; ix = x${p} + tx;`);
      lines.push(`r${p} = iy >= 0 && iy < H && ix >= 0 && ix < W ? X[((h${p} + iy) * W + ix) * C + icx] : zp;`);
    }
    return lines;
  },
  oneTapEight: () => R8.map(c => `T${c} += xa * (w = Wt[${c === 0 ? 'j' : `j + ${c}`}]); U${c} += xb * w;`),
  oneTapTail: () => [0, 1, 2, 3, 4, 5, 6].map(c => (c === 0 ? `T0 += xa * (w = Wt[j]); U0 += xb * w;` : `if (left > ${c}) { T${c} += xa * (w = Wt[j + ${c}]); U${c} += xb * w; }`)),
  store: () => R8.map(c => {
    const body = `T[${c === 0 ? 'c' : `c + ${c}`}] = T${c}; T[${c === 0 ? 'u' : `u + ${c}`}] = U${c};`;
    if (c === 0) return body;
    if (c === 7) return `if (eight) { ${body} }`;
    return `if (eight || Mult - m > ${c}) { ${body} }`;
  }),
  requantQuick: () => {
    const lines = ['xa = T[i]; xb = T[i + O]; off = R[i + dOff]; sc = T[i + O2]; ap = T[i + O3];', 'hiT = (xa / F) | 0; hiU = (xb / F) | 0;'];
    ACCS.forEach((acc, p) => {
      lines.push(`acc = ${acc};`);
      lines.push(`if (acc < 0) Y[i + d${p}] = outMin;`);
      lines.push(`else { r = ((acc * sc + ap) | 0) + outZp; Y[i + d${p}] = r > outMax ? outMax : r; }`);
    });
    return lines;
  },
  requantExact: () => {
    const lines = ['xa = T[i]; xb = T[i + O]; off = R[i + dOff]; m = R[i + dM]; sh = S[i + dS];', 'sc = T[i + O2]; ap = T[i + O3]; an = T[i + O4];', 'hiT = (xa / F) | 0; hiU = (xb / F) | 0;'];
    ACCS.forEach((acc, p) => {
      const pad = '  '.repeat(p);
      if (p > 0) lines.push(`${'  '.repeat(p - 1)}if (count > ${p}) {`);
      lines.push(`${pad}acc = ${acc};`);
      lines.push(`${pad}if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, m, sh);`);
      lines.push(`${pad}else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, m, sh);`);
      lines.push(`${pad}r += outZp;`);
      lines.push(`${pad}Y[i + d${p}] = r < outMin ? outMin : r > outMax ? outMax : r;`);
    });
    for (let p = ACCS.length - 1; p > 0; p--) lines.push(`${'  '.repeat(p - 1)}}`);
    return lines;
  },
};
const ACCS = ['xa - hiT * F + off', 'hiT + off', 'xb - hiU * F + off', 'hiU + off'];

/** The template with every `//@@ name` line replaced by its piece, at the marker's indentation. */
function expand(template, pieces) {
  return template.replace(/^( *)\/\/@@ (\w+)\n/gm, (_, indent, name) => {
    if (!pieces[name]) throw new Error(`unknown piece ${name}`);
    return pieces[name]().map(l => indent + l + '\n').join('');
  });
}

// The int8 conv paths' requantization (quad-requantize.ts): its template's pieces are the rows
// of 8, 6 or 4 positions in the quick form, and the exact form's positions, each pair nested in
// the one before so that `count` positions cost count tests at most.
const QUICK_STORE = p => [`if (acc < 0) Y[y${p} + i] = outMin;`, `else { r = ((acc * sc + ap) | 0) + outZp; Y[y${p} + i] = r > outMax ? outMax : r; }`];
const EXACT_STORE = p => [
  'if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);',
  'else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);',
  'r += outZp;',
  `Y[y${p} + i] = r < outMin ? outMin : r > outMax ? outMax : r;`,
];
function quickRows(count) {
  const lines = ['x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];'];
  for (let k = 0; k < count / 2; k++) {
    lines.push(`T = D${k}[i]; hi = (T / F) | 0;`, 'acc = T - hi * F + off;', ...QUICK_STORE(2 * k), 'acc = hi + off;', ...QUICK_STORE(2 * k + 1));
  }
  return lines;
}
function exactPair(k) {
  // Pair k's two positions; pair k + 1 nested in it (count > 2k + 2), as far as 4 pairs.
  const pad = l => '  ' + l;
  const lines = [`T = D${k}[i]; hi = (T / F) | 0;`, 'acc = T - hi * F + off;', ...EXACT_STORE(2 * k)];
  const high = ['acc = hi + off;', ...EXACT_STORE(2 * k + 1)];
  lines.push(`if (count > ${2 * k + 1}) {`, ...high.map(pad), '}');
  if (k < 3) lines.push(`if (count > ${2 * k + 2}) {`, ...exactPair(k + 1).map(pad), '}');
  return lines;
}
const RQ_PIECES = {
  quick8: () => quickRows(8),
  quick6: () => quickRows(6),
  quick4: () => quickRows(4),
  exactRows: () => exactPair(0),
};

export const FILES = Object.freeze({
  'src/kernels/internal/window-dot.ts': () => HEADER + '\n' + [windowDot(1, 'float'), windowDot(4, 'float'), windowDot(8, 'float'), windowDot(4, 'wide'), windowDot(8, 'wide')].join('\n\n') + '\n',
  'src/kernels/internal/quad-dot.ts': () => PAIR_HEADER + '\n' + [pairDot(2), pairDot(3), pairDot(4)].join('\n\n') + '\n',
  'src/kernels/internal/depthwise-quad.ts': () => expand(fs.readFileSync(path.join(root, 'tools/templates/depthwise-quad.ts.tmpl'), 'utf8'), DW_PIECES),
  'src/kernels/internal/quad-requantize.ts': () => expand(fs.readFileSync(path.join(root, 'tools/templates/quad-requantize.ts.tmpl'), 'utf8'), RQ_PIECES),
});

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, make] of Object.entries(FILES)) {
    const target = path.join(root, file), text = make();
    const now = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (now === text) continue;
    if (check) {
      console.error(`${file} differs from tools/gen-unrolled.mjs's output`);
      stale++;
    } else {
      fs.writeFileSync(target, text);
      console.log(`wrote ${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
