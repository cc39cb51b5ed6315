// "tflite-xs/host" (dist/node/host.js) from the sources. The XS engine evaluates the XS bundle,
// dist/xs/tflite-xs.js: XsEngine.start() here first builds it when it is missing or older than
// the sources (ensureXsBundle), so a test needs no `npm run build` for XS either.
import { XsEngine } from '../../src/host/index.ts';
import { ensureXsBundle } from './build.mjs';

export * from '../../src/host/index.ts';

const start = XsEngine.start;
XsEngine.start = async function startWithBundle(options = {}) {
  if (!options.bundlePath) ensureXsBundle();
  return start.call(this, options);
};
