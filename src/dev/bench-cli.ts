// Entry of `npm run bench` (dist/dev/bench.js).
import { runMain } from '../host/cli/args.js';
import { benchMain } from './bench.js';

runMain('bench', benchMain);
