// Entry of `npm run bench` (dist/node/bench.js).
import { runMain } from './args.js';
import { benchMain } from './bench.js';

runMain('bench', benchMain);
