// Entry of `npm run bench` (dist/node/bench.js).
import { benchMain } from './bench.js';

benchMain(process.argv.slice(2)).then(code => { process.exitCode = code; });
