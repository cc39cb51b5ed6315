// `node --import ./test-host/lib/ts-register.mjs --test test-host/FILE.test.mjs`: runs a test on
// the TypeScript sources, no build needed (Node 20 has no type stripping). Registers the hooks of
// ts-hooks.mjs, which transpile src/**/*.ts and examples/**/*.ts with the installed TypeScript.
// `node --test` passes --import on to the process of each test file.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
