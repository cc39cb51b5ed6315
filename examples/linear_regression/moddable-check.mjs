#!/usr/bin/env node
// Builds this example with a real Moddable SDK for the Linux simulator and runs it there, headless
// when there is no display (Xvfb): checks that trace shows the 100 X Value / Y Value pairs on
// y = 2x - 1 and, when xwd is installed, saves a screenshot of the simulator as PNG.
//   MODDABLE=/path/to/moddable PATH=$MODDABLE/build/bin/lin/release:$PATH \
//     node examples/linear_regression/moddable-check.mjs [--skip-build] [--seconds 12] [--screenshot FILE]
// Needs: the SDK's tools and mcsim built (build/makefiles/lin), tsc on PATH (this repo's
// node_modules/.bin is added), and Xvfb if DISPLAY is unset.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { valuePairs } from './host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(option('--seconds', 12));
const screenshot = option('--screenshot', path.join(root, 'out/linear_regression/simulator.png'));

function fail(message) {
  console.error(`moddable-check: ${message}`);
  process.exit(1);
}

const MODDABLE = process.env.MODDABLE;
if (!MODDABLE) fail('set MODDABLE to a Moddable SDK (npx xs-dev setup installs one)');
const env = { ...process.env, PATH: `${path.join(MODDABLE, 'build/bin/lin/release')}:${path.join(root, 'node_modules/.bin')}:${process.env.PATH}` };

if (!args.includes('--skip-build')) {
  console.log('# mcconfig -d -m -p lin -t build');
  const r = spawnSync('mcconfig', ['-d', '-m', '-p', 'lin', '-t', 'build'], { cwd: here, env, stdio: 'inherit' });
  if (r.status !== 0) fail(`mcconfig failed (exit ${r.status ?? r.error?.message})`);
}
const library = path.join(MODDABLE, 'build/bin/lin/mc/debug/linear_regression/mc.so');
const simulator = path.join(MODDABLE, 'build/bin/lin/release/mcsim');
for (const file of [library, simulator]) if (!fs.existsSync(file)) fail(`${file} is missing`);

const children = [];
const stopAll = () => { for (const child of children) if (child.exitCode === null) child.kill('SIGTERM'); };
process.on('exit', stopAll);

let display = process.env.DISPLAY;
if (!display) {
  display = ':87';
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '800x600x24'], { stdio: 'ignore' });
  xvfb.on('error', () => fail('no DISPLAY and no Xvfb (apt-get install xvfb)'));
  children.push(xvfb);
  await new Promise(resolve => setTimeout(resolve, 1500));
}

console.log(`# mcsim ${path.relative(MODDABLE, library)} for ${seconds} s`);
const sim = spawn(simulator, [library], { env: { ...env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'] });
children.push(sim);
let output = '';
sim.stdout.on('data', chunk => { output += chunk; });
sim.stderr.on('data', chunk => { output += chunk; });
await new Promise(resolve => setTimeout(resolve, seconds * 1000));

const xwd = spawnSync('xwd', ['-root', '-silent', '-display', display], { maxBuffer: 64 * 1024 * 1024 });
if (xwd.status === 0) {
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  fs.writeFileSync(screenshot, xwdToPng(xwd.stdout));
  console.log(`screenshot: ${screenshot}`);
}
stopAll();

const lines = output.split('\n');
const pairs = valuePairs(lines);
const worst = pairs.reduce((m, [x, y]) => Math.max(m, Math.abs(y - (2 * x - 1))), 0);
for (const line of lines) if (/^(Model|[XY] Value)|rror|xception/.test(line)) console.log(line);
console.log(`\n${pairs.length} X/Y pairs from the simulator's trace; largest |y - (2x - 1)|: ${worst.toFixed(3)}`);
process.exit(pairs.length === 100 && worst <= 0.05 ? 0 : 1);

/** An xwd dump (ZPixmap, 24 or 32 bits a pixel) as PNG, with pngjs. */
function xwdToPng(bytes) {
  const field = i => bytes.readUInt32BE(4 * i);
  const headerSize = field(0), width = field(4), height = field(5), msbFirst = field(7), bitsPerPixel = field(11), bytesPerLine = field(12), colors = field(19);
  const start = headerSize + 12 * colors, step = bitsPerPixel / 8;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = start + y * bytesPerLine + x * step, i = 4 * (y * width + x);
      const [r, g, b] = msbFirst ? [bytes[p + step - 3], bytes[p + step - 2], bytes[p + step - 1]] : [bytes[p + 2], bytes[p + 1], bytes[p]];
      png.data[i] = r; png.data[i + 1] = g; png.data[i + 2] = b; png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
