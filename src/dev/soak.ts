// Soak test: one interpreter inside XS invoked many times (100 000 by default), with the XS heap's
// slot count after a full collection taken at the start and at the end. invoke() allocates
// nothing, so the two must be equal; a difference is a leak (or an allocation on the hot path).
//
//   node dist/dev/soak.js [--invokes N] [--batch B] [--model FILE | --case NAME] [--fixtures DIR] [--json]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOption, flag, parseCommandArgs, runMain, stringOption } from '../host/cli/args.js';
import { readBytes, readText } from '../host/cli/files.js';
import { packagePath } from '../host/package-root.js';

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
  const { XsEngine } = await import('../host/runtime/xs-runner.js');
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
  const args = parseCommandArgs('soak', argv, {
    invokes: { type: 'string' }, batch: { type: 'string' }, model: { type: 'string' }, case: { type: 'string' },
    fixtures: { type: 'string' }, json: { type: 'boolean' },
  });
  if (args.help) {
    console.log('usage: soak [--invokes N] [--batch B] [--model FILE | --case NAME] [--fixtures DIR] [--json]');
    return 0;
  }
  const invokes = countOption(args, 'invokes', 100000, 1), batch = countOption(args, 'batch', 1000, 1), json = flag(args, 'json');
  let modelFile = stringOption(args, 'model') ?? '';
  const caseName = stringOption(args, 'case') ?? DEFAULT_CASE;
  const fixtures = stringOption(args, 'fixtures') ?? packagePath('..', 'shared', 'fixtures', 'cases');
  let inputs: Uint8Array[] | undefined;
  if (!modelFile) {
    const dir = path.join(fixtures, caseName);
    modelFile = path.join(dir, 'model.tflite');
    const spec = JSON.parse(readText(path.join(dir, 'case.json'), 'case')) as { inputs: { file: string }[] };
    inputs = spec.inputs.map(input => readBytes(path.join(dir, input.file), 'input'));
  }
  const report = await runSoak({
    modelBytes: readBytes(modelFile, 'model'), invokes, batch, inputs,
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
  runMain('soak', main);
}
