// `tflite-xs run`: one model on the given inputs, on Node or inside XS; prints every output
// (name, type, shape, quantization, real values, or the top k with labels).
import { readModel } from '../../core/model.js';
import { blaming, choiceOption, countOption, flag, InputProblem, listOption, parseCommandArgs, stringOption, expectPositionals, type OptionSpecs, type ParsedArgs } from './args.js';
import { graphParams, inputBytes, realValues, storedValues, type InputSource, type TensorParams } from './cli-values.js';
import { readBytes, readText, writeBytes } from './files.js';
import { runModel, type Engine } from '../runtime/run-model.js';

export const RUN_USAGE = `usage: tflite-xs run MODEL.tflite [INPUTS] [--output FILE]... [--engine node|xs] [--json]

Runs the model once (or N times, see below) and prints every output: its name, type, shape,
scale and zero point, and its values as real numbers (dequantized).

Inputs, one per model input in model order (the k-th source given feeds input k):
  --input FILE          raw little-endian bytes of exactly the tensor's size; a FILE.npy array
                        is quantized with the input's scale and zero point (taken as it is when
                        it already holds the tensor's integer type)
  --values "0.5,1.5"    real values, quantized with the input's scale and zero point
  --values-file F.json  a JSON array of real values (nested arrays are flattened)
A source holding N times the tensor's size means N invokes in sequence on one interpreter, its
state kept (SVDF, LSTM, variables); every output then holds N results.

Options:
  --output FILE         one per model output: its raw bytes (every invoke's, one after another)
  --labels FILE         one label per line: print the top classes of each output with as many
                        values per invoke as there are labels
  --top K               how many classes to print (default 5 with --labels; by index without)
  --full                print every value (default: the first 64 of each output)
  --engine node|xs      where to run: Node (default) or the XS engine (@agoric/xsnap)
  --arena-size N        the arena's size in bytes (default: what the plan needs)
  --harden              XS only: harden the library first, as a Moddable preload would
  --json                print {"outputs":[{"name","type","shape","scale","zeroPoint","data",
                        "values"}],"arenaBytes"} instead ("data": the stored numbers; "steps" when
                        N > 1, "computrons" with --engine xs, "top" with --labels)
  -h, --help            this text

Exit code 0 on success, 1 when the model or an input fails, 2 for a wrong command line.`;

export const INPUT_OPTIONS: OptionSpecs = {
  input: { type: 'string', multiple: true },
  values: { type: 'string', multiple: true },
  'values-file': { type: 'string', multiple: true },
};

const RUN_OPTIONS: OptionSpecs = {
  ...INPUT_OPTIONS,
  output: { type: 'string', multiple: true },
  labels: { type: 'string' },
  top: { type: 'string' },
  full: { type: 'boolean' },
  engine: { type: 'string' },
  'arena-size': { type: 'string' },
  harden: { type: 'boolean' },
  json: { type: 'boolean' },
};

/** The input sources in command-line order. */
export function inputSources(args: ParsedArgs): InputSource[] {
  return args.order.filter(o => o.name in INPUT_OPTIONS).map(o => ({ kind: o.name as InputSource['kind'], value: o.value! }));
}

const SHOWN = 64;

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

export interface TopEntry { index: number; label?: string; value: number }

/** The k largest of `values` (ties: lower index first). */
export function topK(values: readonly number[], k: number, labels?: readonly string[]): TopEntry[] {
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  return order.slice(0, k).map(i => (labels ? { index: i, label: labels[i], value: values[i] } : { index: i, value: values[i] }));
}

function readLabels(file: string): string[] {
  const lines = readText(file, 'labels').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (!lines.length) throw new InputProblem(`labels ${file} has no lines`);
  return lines;
}

export function describeOutput(p: TensorParams, i: number): string {
  const quant = p.scale ? ` scale ${formatNumber(p.scale)} zero point ${p.zeroPoint}` : '';
  return `output ${i}${p.name ? ` "${p.name}"` : ''} ${p.type} [${p.shape.join(', ')}]${quant}`;
}

export async function runCommand(argv: string[], print: (text: string) => void): Promise<number> {
  const args = parseCommandArgs('tflite-xs run', argv, RUN_OPTIONS);
  if (args.help) { print(RUN_USAGE); return 0; }
  const [modelFile] = expectPositionals(args, 'MODEL.tflite');
  const engine = choiceOption<Engine>(args, 'engine', ['node', 'xs'], 'node');
  const arenaSize = countOption(args, 'arena-size', undefined);
  const labelsFile = stringOption(args, 'labels');
  const top = countOption(args, 'top', labelsFile ? 5 : undefined, 1);
  const outputFiles = listOption(args, 'output');
  const json = flag(args, 'json');

  const bytes = readBytes(modelFile, 'model');
  const labels = labelsFile ? readLabels(labelsFile) : undefined;
  const params = await blaming(modelFile, () => graphParams(readModel(bytes)));
  if (outputFiles.length > params.outputs.length) {
    throw new InputProblem(`the model has ${params.outputs.length} output${params.outputs.length === 1 ? '' : 's'}, got ${outputFiles.length} --output files`);
  }
  const inputs = inputBytes(inputSources(args), params.inputs);
  const result = await blaming(modelFile, () => runModel(bytes, inputs, { engine, arenaSize, harden: flag(args, 'harden') }));
  outputFiles.forEach((file, i) => writeBytes(file, result.outputData[i], `output ${i}`));

  const steps = result.steps;
  const rankedOutputs = params.outputs.map(p => (top !== undefined && (!labels || p.elementCount === labels.length)));
  if (labels && !rankedOutputs.some(Boolean)) {
    throw new InputProblem(`labels ${labelsFile} has ${labels.length} lines, but no output has ${labels.length} values per invoke (${params.outputs.map(p => p.elementCount).join(', ')})`);
  }
  const outputs = params.outputs.map((p, i) => {
    const values = realValues(p, result.outputData[i]);
    const tops: TopEntry[][] = [];
    if (rankedOutputs[i]) {
      for (let s = 0; s < steps; s++) tops.push(topK(values.slice(s * p.elementCount, (s + 1) * p.elementCount), top!, labels));
    }
    return { p, values, tops };
  });

  if (json) {
    const out: Record<string, unknown> = {
      outputs: outputs.map(({ p, values, tops }, i) => {
        const o: Record<string, unknown> = {
          name: p.name, type: p.type, shape: p.shape, scale: p.scale, zeroPoint: p.zeroPoint,
          data: storedValues(p.type, result.outputData[i]), values,
        };
        if (tops.length) o.top = steps > 1 ? tops : tops[0];
        return o;
      }),
      arenaBytes: result.arenaBytes,
    };
    if (steps > 1) out.steps = steps;
    if (result.computrons) out.computrons = result.computrons;
    print(JSON.stringify(out));
    return 0;
  }
  const lines: string[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const { p, values, tops } = outputs[i];
    lines.push(describeOutput(p, i));
    for (let s = 0; s < steps; s++) {
      const lead = steps > 1 ? `  invoke ${s + 1}: ` : '  ';
      if (tops.length) {
        if (steps > 1) lines.push(lead.trimEnd());
        const width = Math.max(...tops[s].map(t => (t.label ?? String(t.index)).length));
        for (const t of tops[s]) lines.push(`    ${(t.label ?? String(t.index)).padEnd(width)}  ${formatNumber(t.value)}`);
        continue;
      }
      const chunk = values.slice(s * p.elementCount, (s + 1) * p.elementCount);
      const shown = flag(args, 'full') ? chunk : chunk.slice(0, SHOWN);
      const more = chunk.length - shown.length;
      lines.push(`${lead}[${shown.map(formatNumber).join(', ')}${more ? `, ... ${more} more (--full)` : ''}]`);
    }
  }
  const cost = result.computrons ? `, ${result.computrons.run} computrons` : '';
  lines.push(`${steps} invoke${steps === 1 ? '' : 's'} on ${engine}, arena ${result.arenaBytes} bytes${cost}`);
  print(lines.join('\n'));
  return 0;
}
