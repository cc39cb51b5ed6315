// The `tflite-xs` command line: one table of commands, one argument parser (./args.ts), one way
// to fail: a line on stderr, `tflite-xs COMMAND: what went wrong`, and exit code 1 (the model or
// an input failed) or 2 (the command line is wrong).
import fs from 'node:fs';
import { errorLine, exitCodeFor, InputProblem, UsageProblem } from './args.js';
import { runCommand } from './cli-run.js';
import { inspectCommand } from './cli-inspect.js';
import { profileCommand } from './cli-profile.js';
import { diffCommand } from './cli-diff.js';
import { convertCommand } from '../authoring/converter.js';
import { embedCommand } from '../authoring/embed.js';
import { ResolverError, resolverCommand } from '../authoring/resolver-gen.js';
import { runAudioCommand } from './run-audio.js';
import { packagePath } from '../package-root.js';

type Print = (text: string) => void;

interface Command {
  summary: string;
  main(argv: string[], print: Print): Promise<number>;
}

const stdout: Print = text => { process.stdout.write(text + '\n'); };

// convert and embed report their own errors (they are also library functions with an io sink).
const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  run: { summary: 'run MODEL.tflite [--input FILE | --values "a,b"]... [--labels FILE] [--engine node|xs] [--json]', main: runCommand },
  inspect: { summary: 'inspect MODEL.tflite [--ops] [--json]', main: inspectCommand },
  profile: { summary: 'profile MODEL.tflite [--engine node|xs] [--runs N] [--json]', main: profileCommand },
  diff: { summary: 'diff MODEL.tflite [--input FILE | --values "a,b"]... [--tolerance X] [--json]', main: diffCommand },
  convert: { summary: 'convert MODEL.json -o OUT.tflite [--int8 ...]', main: argv => convertCommand(argv) },
  embed: { summary: 'embed MODEL.tflite [-o DIR] [--name NAME]', main: argv => embedCommand(argv) },
  resolver: { summary: 'resolver MODEL.tflite... -o DIR', main: async (argv, print) => resolverMain(argv, print) },
  'run-audio': { summary: 'run-audio WAV [--engine node|xs] [--json]', main: (argv, print) => runAudioCommand(argv, print) },
});

/** `resolver`: its argument mistakes are usage (exit 2), its unreadable models input problems (exit 1). */
function resolverMain(argv: string[], print: Print): number {
  try {
    return resolverCommand(argv, print);
  } catch (error) {
    if (!(error instanceof ResolverError)) throw error;
    if (/unknown option|is required|needs a folder|no model/i.test(error.message)) throw new UsageProblem(error.message);
    throw new InputProblem(error.message);
  }
}

export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map(c => c.summary.length));
  return [
    'usage: tflite-xs COMMAND [OPTIONS]',
    '',
    ...Object.values(COMMANDS).map(c => `  tflite-xs ${c.summary.padEnd(width)}`.trimEnd()),
    '',
    '`tflite-xs COMMAND --help` says more about each; `tflite-xs --version` prints the version.',
    'Exit code 0 on success, 1 when a model or an input fails, 2 for a wrong command line.',
  ].join('\n');
}

export async function main(argv: string[], print: Print = stdout): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      process.stderr.write(usage() + '\n');
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      if (command === 'help' && rest.length) return await main([rest[0], '--help'], print);
      print(usage());
      return 0;
    }
    if (command === '--version' || command === '-v') {
      print(version());
      return 0;
    }
    const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!entry) throw new UsageProblem(command.startsWith('-') ? `unknown option ${command}; try tflite-xs --help` : `unknown command ${command}; try tflite-xs --help`);
    return await entry.main(rest, print);
  } catch (error) {
    const where = command && Object.prototype.hasOwnProperty.call(COMMANDS, command) ? ` ${command}` : '';
    process.stderr.write(`tflite-xs${where}: ${errorLine(error)}\n`);
    return exitCodeFor(error);
  }
}
