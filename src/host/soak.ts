// Soak test: one interpreter inside XS invoked many times (100 000 by default), with the XS heap's
// slot count after a full collection taken at the start and at the end. invoke() allocates
// nothing, so the two must be equal; a difference is a leak (or an allocation on the hot path).
//
//   node dist/node/soak.js [--invokes N] [--batch B] [--model FILE | --case NAME] [--fixtures DIR] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SoakOptions {
  modelBytes: Uint8Array;
  invokes: number;
  /** Invokes per command sent to XS. */
  batch?: number;
  /** The inputs to set once before the invokes (zeros where left out). */
  inputs?: Uint8Array[];
  bundlePath?: string;
  log?: (line: string) => void;
}

export interface SoakReport {
  invokes: number;
  heapStart: number;
  heapEnd: number;
  /** Heap slot count after each batch (each after a full collection). */
  heapAfterBatches: number[];
  computronsPerInvoke: number;
  ms: number;
  equal: boolean;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  // Loaded here: it locks the realm down (@endo/init).
  const { XsEngine } = await import('./xs-runner.js');
  const batch = Math.max(1, Math.min(options.batch ?? 1000, options.invokes || 1));
  const engine = await XsEngine.start(options.bundlePath ? { bundlePath: options.bundlePath } : {});
  const started = Date.now();
  try {
    const loaded = await engine.load(options.modelBytes);
    const inputs = loaded.inputs.map((meta, i) => {
      const given = options.inputs?.[i];
      return given && given.byteLength === meta.byteLength ? given : new Uint8Array(meta.byteLength);
    });
    await engine.setInputs(inputs);
    // One invoke first: whatever a first call sets up lazily is not a leak.
    await engine.invoke(1);
    const heapStart = await engine.gc();
    const heapAfterBatches: number[] = [];
    let done = 0, computrons = 0;
    while (done < options.invokes) {
      const count = Math.min(batch, options.invokes - done);
      computrons += (await engine.invoke(count)).computrons;
      done += count;
      heapAfterBatches.push(await engine.gc());
      if (heapAfterBatches.length % 10 === 0) options.log?.(`${done}/${options.invokes} invokes, heap ${heapAfterBatches[heapAfterBatches.length - 1]} slots`);
    }
    const heapEnd = heapAfterBatches.length ? heapAfterBatches[heapAfterBatches.length - 1] : heapStart;
    return {
      invokes: done, heapStart, heapEnd, heapAfterBatches, computronsPerInvoke: done ? Math.round(computrons / done) : 0,
      ms: Date.now() - started, equal: heapStart === heapEnd,
    };
  } finally {
    await engine.close();
  }
}

const DEFAULT_CASE = 'hello_world_int8_0';

async function main(argv: string[]): Promise<number> {
  let invokes = 100000, batch = 1000, json = false;
  let modelFile = '', caseName = DEFAULT_CASE;
  let fixtures = fileURLToPath(new URL('../../../shared/fixtures/cases', import.meta.url));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i], next = () => argv[++i] ?? '';
    if (arg === '--invokes') invokes = Number(next());
    else if (arg === '--batch') batch = Number(next());
    else if (arg === '--model') modelFile = next();
    else if (arg === '--case') caseName = next();
    else if (arg === '--fixtures') fixtures = next();
    else if (arg === '--json') json = true;
    else {
      console.error(`unknown argument ${arg}\nusage: soak [--invokes N] [--batch B] [--model FILE | --case NAME] [--fixtures DIR] [--json]`);
      return 2;
    }
  }
  if (!(Number.isInteger(invokes) && invokes > 0 && Number.isInteger(batch) && batch > 0)) {
    console.error('--invokes and --batch take whole numbers above 0');
    return 2;
  }
  let inputs: Uint8Array[] | undefined;
  if (!modelFile) {
    const dir = path.join(fixtures, caseName);
    modelFile = path.join(dir, 'model.tflite');
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as { inputs: { file: string }[] };
    inputs = spec.inputs.map(input => new Uint8Array(fs.readFileSync(path.join(dir, input.file))));
  }
  const report = await runSoak({
    modelBytes: new Uint8Array(fs.readFileSync(modelFile)), invokes, batch, inputs,
    log: line => console.error(line),
  });
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(`soak: ${report.invokes} invokes of ${modelFile} on XS in ${(report.ms / 1000).toFixed(1)} s, ${report.computronsPerInvoke} computrons each`);
    console.log(`  XS heap slots after gc: start ${report.heapStart}, end ${report.heapEnd} (min ${Math.min(...report.heapAfterBatches)}, max ${Math.max(...report.heapAfterBatches)}): ${report.equal ? 'equal' : 'NOT EQUAL'}`);
  }
  return report.equal ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, error => {
    console.error(`${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? error}`);
    process.exitCode = 1;
  });
}
