// The `tflite-xs` command line. Every failure is one line on stderr and a non-zero exit.
import fs from 'node:fs';
import { readModel } from '../core/model.js';
import { Interpreter } from '../core/interpreter.js';
import { allOps } from '../kernels/all.js';
import { TfliteError } from '../core/errors.js';
import { runModel, type Engine } from './run-model.js';
import { convertCommand } from './converter.js';
import { embedCommand } from './embed.js';
import { resolverCommand } from './resolver-gen.js';

const USAGE = `usage:
  tflite-xs run MODEL.tflite [--input FILE]... [--output FILE]... [--engine node|xs] [--arena-size N] [--json]
  tflite-xs inspect MODEL.tflite [--json]
  tflite-xs convert MODEL.json -o OUT.tflite [--int8 ...]   (see tflite-xs convert --help)
  tflite-xs embed MODEL.tflite [-o DIR] [--name NAME]        (see tflite-xs embed --help)
  tflite-xs resolver MODEL.tflite... -o DIR                  (see tflite-xs resolver --help)

run: one --input per model input, in model order: raw little-endian bytes of exactly the tensor's
size, or N times its size for N invokes in sequence (state kept). One --output per model output
(optional): the raw bytes of every invoke's output, one after another. --json prints
{"outputs":[{"name","type","shape","data"}],"arenaBytes"} (and "computrons" with --engine xs).`;

class CliError extends Error {}

interface Flags {
  positional: string[];
  values: Map<string, string[]>;
  switches: Set<string>;
}

function parse(argv: string[], valued: string[], switches: string[]): Flags {
  const flags: Flags = { positional: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (valued.includes(arg)) {
      if (i + 1 >= argv.length) throw new CliError(`${arg} needs a value`);
      const list = flags.values.get(arg) ?? [];
      list.push(argv[++i]);
      flags.values.set(arg, list);
    } else if (switches.includes(arg)) {
      flags.switches.add(arg);
    } else if (arg.startsWith('--')) {
      throw new CliError(`unknown option ${arg}`);
    } else {
      flags.positional.push(arg);
    }
  }
  return flags;
}

function readFile(path: string, what: string): Uint8Array {
  try {
    const b = fs.readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const VIEWS: Record<string, (b: ArrayBuffer) => ArrayLike<number>> = {
  float32: b => new Float32Array(b), int32: b => new Int32Array(b), uint32: b => new Uint32Array(b),
  int16: b => new Int16Array(b), uint16: b => new Uint16Array(b), int8: b => new Int8Array(b),
  uint8: b => new Uint8Array(b), bool: b => new Uint8Array(b), float64: b => new Float64Array(b),
};

function values(type: string, bytes: Uint8Array): number[] {
  const buffer = bytes.slice().buffer;
  if (type === 'int64') {
    const pairs = new Int32Array(buffer);
    const out: number[] = [];
    for (let i = 0; i < pairs.length; i += 2) out.push((pairs[i] >>> 0) + pairs[i + 1] * 4294967296);
    return out;
  }
  const view = VIEWS[type];
  return view ? Array.from(view(buffer)) : Array.from(bytes);
}

async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, ['--input', '--output', '--engine', '--arena-size'], ['--json', '--harden']);
  if (flags.positional.length !== 1) throw new CliError('run takes one MODEL.tflite');
  const engine = (flags.values.get('--engine')?.slice(-1)[0] ?? 'node') as Engine;
  if (engine !== 'node' && engine !== 'xs') throw new CliError(`--engine is node or xs, not ${engine}`);
  const arenaText = flags.values.get('--arena-size')?.slice(-1)[0];
  const arenaSize = arenaText === undefined ? undefined : Number(arenaText);
  if (arenaSize !== undefined && !(Number.isInteger(arenaSize) && arenaSize >= 0)) throw new CliError(`--arena-size must be a whole number of bytes, not ${arenaText}`);
  const model = readFile(flags.positional[0], 'model');
  const inputs = (flags.values.get('--input') ?? []).map(f => readFile(f, 'input'));
  const outputFiles = flags.values.get('--output') ?? [];
  const result = await runModel(model, inputs, { engine, arenaSize, harden: flags.switches.has('--harden') });
  if (outputFiles.length > result.outputs.length) {
    throw new CliError(`the model has ${result.outputs.length} output${result.outputs.length === 1 ? '' : 's'}, got ${outputFiles.length} --output files`);
  }
  outputFiles.forEach((file, i) => fs.writeFileSync(file, result.outputData[i]));
  if (flags.switches.has('--json')) {
    const json: Record<string, unknown> = {
      outputs: result.outputs.map((o, i) => ({ name: o.name, type: o.type, shape: o.shape, data: values(o.type, result.outputData[i]) })),
      arenaBytes: result.arenaBytes,
    };
    if (result.steps > 1) json.steps = result.steps;
    if (result.computrons) json.computrons = result.computrons;
    process.stdout.write(JSON.stringify(json) + '\n');
  }
  return 0;
}

function inspect(argv: string[]): number {
  const flags = parse(argv, [], ['--json']);
  if (flags.positional.length !== 1) throw new CliError('inspect takes one MODEL.tflite');
  const model = readModel(readFile(flags.positional[0], 'model'));
  const interpreter = new Interpreter(model, { resolver: allOps() });
  let arena: number | string;
  try {
    interpreter.allocateTensors();
    arena = interpreter.arenaBytes;
  } catch (error) {
    arena = `not allocatable: ${(error as Error).message}`;
  }
  const main = model.subgraphs[0];
  const summary = {
    description: model.description,
    subgraphs: model.subgraphs.length,
    operators: main.operators.map(op => ({ index: op.index, op: op.opName, inputs: Array.from(op.inputs), outputs: Array.from(op.outputs) })),
    inputs: Array.from(main.inputs, i => ({ index: i, name: main.tensors[i].name, type: main.tensors[i].type, shape: Array.from(main.tensors[i].shape) })),
    outputs: Array.from(main.outputs, i => ({ index: i, name: main.tensors[i].name, type: main.tensors[i].type, shape: Array.from(main.tensors[i].shape) })),
    arenaBytes: arena,
    modelBytes: model.bytes.byteLength,
  };
  if (flags.switches.has('--json')) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return 0;
  }
  const lines = [`${flags.positional[0]}: ${model.bytes.byteLength} bytes, ${model.subgraphs.length} subgraph(s), ${main.operators.length} operators`];
  if (model.description) lines.push(`description: ${model.description}`);
  for (const op of summary.operators) lines.push(`  ${String(op.index).padStart(3)} ${op.op.padEnd(28)} in [${op.inputs.join(', ')}] out [${op.outputs.join(', ')}]`);
  lines.push(`arena: ${typeof arena === 'number' ? `${arena} bytes` : arena}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': return await run(rest);
      case 'inspect': return inspect(rest);
      case 'convert': return await convertCommand(rest);
      case 'embed': return await embedCommand(rest);
      case 'resolver': return resolverCommand(rest);
      case 'help': case '--help': case '-h': case undefined:
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command ${command}; try tflite-xs --help`);
    }
  } catch (error) {
    const e = error as Error;
    const prefix = error instanceof CliError ? 'tflite-xs' : error instanceof TfliteError || (e && /Error$/.test(e.name) && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'RangeError') ? e.name : 'tflite-xs: internal error';
    process.stderr.write(`${prefix}: ${String(e?.message ?? e).split('\n')[0]}\n`);
    return error instanceof CliError ? 2 : 1;
  }
}
