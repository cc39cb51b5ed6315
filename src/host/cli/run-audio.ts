// `tflite-xs run-audio WAV`: TFLM's micro_speech pipeline on a 16 kHz mono WAV, on Node or in the
// XS engine; both run the same device-side code (components/micro-speech.ts).
import fs from 'node:fs';
import path from 'node:path';
import { MicroSpeech, MICRO_SPEECH_LABELS } from '../../components/micro-speech.js';
import { allOps } from '../../kernels/all.js';
import { InputProblem, UsageProblem, parseCommandArgs } from './args.js';
import { readWav } from '../runtime/wav.js';
import { XsEngine } from '../runtime/xs-runner.js';
import { packagePath } from '../package-root.js';

export interface AudioResult {
  label: string;
  index: number;
  /** int8 scores in MICRO_SPEECH_LABELS order. */
  scores: number[];
  labels: readonly string[];
  engine: 'node' | 'xs';
  /** XS only: computrons of the whole clip (49 preprocessor windows and the keyword model). */
  computrons?: number;
}

export interface AudioModels {
  preprocessor: Uint8Array;
  keyword: Uint8Array;
}

/** Where the fixtures put TFLM's models, next to this package's folder (../shared/fixtures/audio). */
export const DEFAULT_AUDIO_DIR = packagePath('..', 'shared', 'fixtures', 'audio') + path.sep;

/** The two models: given files, or TFLM's from the fixtures folder. */
export function loadAudioModels(preprocessor?: string, keyword?: string): AudioModels {
  const read = (file: string, what: string) => {
    try {
      return new Uint8Array(fs.readFileSync(file));
    } catch (error) {
      throw new InputProblem(`cannot read the ${what} model ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}${preprocessor && keyword ? '' : ' (give --preprocessor and --keyword)'}`);
    }
  };
  return {
    preprocessor: read(preprocessor ?? `${DEFAULT_AUDIO_DIR}audio_preprocessor_int8.tflite`, 'preprocessor'),
    keyword: read(keyword ?? `${DEFAULT_AUDIO_DIR}micro_speech_quantized.tflite`, 'keyword'),
  };
}

/** Classifies one clip of int16 samples on Node. */
export function runAudioOnNode(samples: Int16Array, models: AudioModels): AudioResult {
  const speech = new MicroSpeech({ preprocessor: models.preprocessor, keyword: models.keyword, resolver: allOps() });
  const index = speech.classify(samples);
  return { label: speech.labels[index], index, scores: Array.from(speech.scores), labels: speech.labels, engine: 'node' };
}

/** Classifies one clip in the XS engine (an engine given is reused, else one is started and closed). */
export async function runAudioOnXs(samples: Int16Array, models: AudioModels, engine?: XsEngine): Promise<AudioResult> {
  const xs = engine ?? await XsEngine.start();
  try {
    await xs.loadAudio(models.preprocessor, models.keyword);
    const r = await xs.classifyAudio(samples);
    return { label: r.label, index: r.index, scores: r.scores, labels: MICRO_SPEECH_LABELS, engine: 'xs', computrons: r.computrons };
  } finally {
    if (!engine) await xs.close();
  }
}

export const RUN_AUDIO_USAGE = `usage: tflite-xs run-audio WAV [--engine node|xs] [--json] [--preprocessor FILE] [--keyword FILE]

Runs TFLM's micro_speech pipeline on a 16 kHz, 16-bit mono WAV: the audio preprocessor on
480-sample windows every 320 samples (state kept), 49 × 40 features into the keyword model.
Prints the four scores (int8) and the label. The models default to TFLM's, in
../shared/fixtures/audio/ beside the package.`;

export async function runAudioCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const args = parseCommandArgs('run-audio', argv, {
    engine: { type: 'string' }, json: { type: 'boolean' }, preprocessor: { type: 'string' }, keyword: { type: 'string' },
  });
  if (args.help) {
    print(RUN_AUDIO_USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageProblem(`run-audio takes one WAV file (got ${args.positionals.length}; see run-audio --help)`);
  const engine = (args.values.engine as string | undefined) ?? 'node';
  if (engine !== 'node' && engine !== 'xs') throw new UsageProblem(`--engine must be node or xs, not ${engine}`);
  const file = args.positionals[0];
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    throw new InputProblem(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const wav = readWav(bytes, file);
  if (wav.sampleRate !== 16000) throw new InputProblem(`${file} is sampled at ${wav.sampleRate} Hz; the pipeline needs 16000 Hz`);
  const models = loadAudioModels(args.values.preprocessor as string | undefined, args.values.keyword as string | undefined);
  const result = engine === 'xs' ? await runAudioOnXs(wav.samples, models) : runAudioOnNode(wav.samples, models);
  if (args.values.json) {
    print(JSON.stringify({ label: result.label, scores: Object.fromEntries(result.labels.map((l, i) => [l, result.scores[i]])), engine: result.engine, ...(result.computrons !== undefined ? { computrons: result.computrons } : {}) }));
  } else {
    for (let i = 0; i < result.labels.length; i++) print(`${result.labels[i].padEnd(8)} ${String(result.scores[i]).padStart(4)}`);
    print(`label: ${result.label}`);
  }
  return 0;
}
