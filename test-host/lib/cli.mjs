// The CLI as the tests run it: bin/tflite-xs.js's main() from the sources, in a child process
// with the same hooks (ts-register.mjs). cli(...args) returns spawnSync's result;
// cliCommand(...args) the [command, args] pair for execFileSync and spawn.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureXsBundle } from './build.mjs';

const register = fileURLToPath(new URL('./ts-register.mjs', import.meta.url));
const main = fileURLToPath(new URL('./cli-main.mjs', import.meta.url));

export function cliCommand(...args) {
  // `--engine xs` (run, profile, run-audio) and inspect's RAM figure (slots counted in XS unless
  // --no-xs) need the XS bundle: built here when stale.
  const inspectsInXs = args[0] === 'inspect' && !args.includes('--no-xs');
  if (inspectsInXs || args.some(arg => /(^|=)xs$/.test(arg))) ensureXsBundle();
  return [process.execPath, ['--import', register, main, ...args]];
}

export function cli(...args) {
  const [command, argv] = cliCommand(...args);
  return spawnSync(command, argv, { encoding: 'utf8' });
}
