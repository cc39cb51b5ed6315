// Runs one of these Espruino programs in Node with the same module (dist/espruino/tflite-xs.js),
// to compare its printout with Espruino's:
//   node examples/espruino/run-in-node.mjs examples/espruino/hello_world.js   (from a folder with the model files)
// Espruino's print, getTime, E.toArrayBuffer and require("fs"/"Storage") are given their Node equivalents.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = fs.readFileSync(path.join(here, '../../dist/espruino/tflite-xs.js'), 'utf8');
const realm = vm.createContext({});
realm.print = (...a) => console.log(a.join(' '));
realm.getTime = () => performance.now() / 1000;
const module = { exports: {} };
realm.module = module;
realm.exports = module.exports;
vm.runInContext(bundle, realm);
const U8 = vm.runInContext('Uint8Array', realm);
realm.E = { toArrayBuffer: s => U8.from(s, c => c.charCodeAt(0)).buffer, toUint8Array: s => U8.from(s, c => c.charCodeAt(0)) };
const modules = {
  'tflite-xs': module.exports,
  fs: { readFileSync: f => fs.readFileSync(f, 'latin1') },
  Storage: { read: () => undefined },
};
realm.require = name => modules[name];
vm.runInContext(fs.readFileSync(process.argv[2], 'utf8'), realm);
