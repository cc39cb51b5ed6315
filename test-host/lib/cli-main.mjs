// bin/tflite-xs.js on the sources (run by cli.mjs under ts-register.mjs).
import { main } from '../../src/host/cli/cli.ts';

process.exitCode = await main(process.argv.slice(2));
