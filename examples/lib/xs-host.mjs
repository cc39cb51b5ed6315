// What the examples' host entries share: their command line, building dist/ when it is missing, and the Node side of
// lib/xs-bridge.ts: the XS engine (xsnap) on an example's bundle, with the app's log lines going
// to `sink` and its drawing frames to `screen` (a PngScreen).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `[FILE...] [--engine xs|node] [--out DIR]`: the files (resolved; `defaults` when none), the
 * engine (XS by default) and the folder for the PNGs (`out` by default).
 */
export function parseHostArgs(argv, { usage, out, defaults }) {
  const options = { engine: 'xs', files: [], out };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--engine') options.engine = value();
    else if (arg === '--out') options.out = path.resolve(value());
    else if (arg === '--help' || arg === '-h') throw new Error(usage);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${usage}`);
    else options.files.push(path.resolve(arg));
  }
  if (!['xs', 'node'].includes(options.engine)) throw new Error(`--engine takes xs or node, not ${options.engine}`);
  if (options.files.length === 0) options.files = [...defaults];
  return options;
}

/** Runs rollup when one of `files` (the example's bundles in dist/) is missing. */
export function ensureBuilt(files, log) {
  if (files.every(file => fs.existsSync(file))) return;
  log('(building with rollup first: dist/ is missing)');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
}

/** The worker, with the example's bundle evaluated in it; close() it when done. */
export async function startBridgedWorker({ name, bundle, screen, sink }) {
  await import('@endo/init');
  const { xsnap } = await import('@agoric/xsnap');
  const os = await import('node:os');
  const { spawn } = await import('node:child_process');
  const { default: tmp } = await import('tmp');
  const decoder = new TextDecoder();
  const handleCommand = async message => {
    const channel = message[0];
    if (channel === 1) {
      sink.write(decoder.decode(message.subarray(4)));
    } else if (channel === 2) {
      const records = new Int32Array(message.buffer.slice(message.byteOffset + 4, message.byteOffset + message.byteLength));
      for (let i = 0; i < records.length; i += 5) {
        const [x, y, width, height, color] = records.subarray(i, i + 5);
        if (i === 0) screen.begin(x, y, width, height);
        else screen.fillRectangle(color, x, y, width, height);
      }
      screen.end();
    }
    return new Uint8Array(0);
  };
  const worker = await xsnap({
    name, os: os.type(), spawn, fs: { ...fs, ...fs.promises }, tmpName: tmp.tmpName,
    meteringLimit: 0, handleCommand, stderr: 'inherit', stdout: 'inherit',
  });
  try {
    await worker.evaluate(fs.readFileSync(bundle, 'utf8'));
  } catch (error) {
    await worker.close();
    throw error;
  }
  return worker;
}
