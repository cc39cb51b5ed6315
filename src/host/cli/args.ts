// One argument parser for every host command (the CLI, bench, fuzz, soak): node:util parseArgs,
// plus the checks and messages its strict mode lacks. Its own errors are paragraphs; these are
// one line naming the option, and they mean exit code 2 (bad usage).
import { parseArgs } from 'node:util';
import { MissingPackage } from '../optional-package.js';

/** The command line is wrong: exit code 2. */
export class UsageProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageProblem';
  }
}

/** A file or a value the command was given cannot be used: exit code 1. */
export class InputProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputProblem';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Allowed more than once; the values keep their order. */
  multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  /** Last value of each single option, every value of a multiple one. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The options in command-line order (for options whose order matters across names). */
  order: { name: string; value: string | undefined }[];
  help: boolean;
}

/**
 * Parses `argv` for `command` (a name for messages, e.g. "run"). `--opt=value` and `--opt value`
 * both work; `-h`/`--help` is always accepted. Throws UsageProblem for an unknown option, a
 * missing value, or a value given to a switch.
 */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpecs): ParsedArgs {
  const all: OptionSpecs = { help: { type: 'boolean', short: 'h' }, ...options };
  // Not strict: parseArgs then returns what it saw and the checks below say what is wrong.
  const { tokens } = parseArgs({ args: argv, options: all, strict: false, allowPositionals: true, tokens: true });
  const values: ParsedArgs['values'] = {};
  const positionals: string[] = [];
  const order: ParsedArgs['order'] = [];
  let help = false;
  const hint = command ? ` (see ${command} --help)` : '';
  for (const token of tokens) {
    if (token.kind === 'positional') { positionals.push(token.value); continue; }
    if (token.kind !== 'option') continue;
    const spec = all[token.name];
    if (!spec) throw new UsageProblem(`unknown option ${token.rawName}${hint}`);
    if (token.name === 'help') { help = true; continue; }
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new UsageProblem(`${token.rawName} takes no value`);
      values[token.name] = true;
      continue;
    }
    // `--input --json` is a forgotten value, not a file named "--json" (`--input=--json` is).
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageProblem(`${token.rawName} needs a value`);
    }
    order.push({ name: token.name, value: token.value });
    if (spec.multiple) ((values[token.name] ??= []) as string[]).push(token.value);
    else values[token.name] = token.value;
  }
  return { values, positionals, order, help };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A whole-number option of at least `min`, or `fallback` when absent. */
export function countOption(args: ParsedArgs, name: string, fallback: number, min?: number): number;
export function countOption(args: ParsedArgs, name: string, fallback: number | undefined, min?: number): number | undefined;
export function countOption(args: ParsedArgs, name: string, fallback: number | undefined, min = 0): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageProblem(`--${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${text}"`);
  }
  return n;
}

/** One of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new UsageProblem(`--${name} is ${choices.join(' or ')}, not ${text}`);
  return text as T;
}

/** Exactly `count` positionals, named `what` in the message. */
export function expectPositionals(args: ParsedArgs, what: string, count = 1): string[] {
  if (args.positionals.length !== count) {
    const got = args.positionals.length === 0 ? 'none' : args.positionals.join(' ');
    throw new UsageProblem(`expected ${count === 1 ? 'one' : count} ${what}, got ${got}`);
  }
  return args.positionals;
}

/** 2 for bad usage, 1 for anything else that failed. */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageProblem ? 2 : 1;
}

const BUILTIN_ERRORS: readonly string[] = Object.freeze(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError']);

/**
 * One line for a failure: usage and input problems as they are; the engine's own errors
 * (ModelError, OpError, ... also when they come back from XS) by name; a JavaScript TypeError and
 * the like is a bug in tflite-xs, and says so.
 */
export function errorLine(error: unknown): string {
  const e = error as Error;
  const message = String(e?.message ?? e).split('\n')[0];
  if (error instanceof UsageProblem || error instanceof InputProblem || error instanceof MissingPackage) return message;
  const name = typeof e?.name === 'string' ? e.name : '';
  if (BUILTIN_ERRORS.includes(name) || !(error instanceof Error)) return `internal error: ${name ? `${name}: ` : ''}${message}`;
  return name && name !== 'Error' ? `${name}: ${message}` : message;
}

/** Runs `work`; an engine error it throws comes out as an InputProblem that names `file`. */
export async function blaming<T>(file: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageProblem || error instanceof InputProblem || error instanceof MissingPackage) throw error;
    const line = errorLine(error);
    if (line.startsWith('internal error')) throw error;
    throw new InputProblem(`${file}: ${line}`);
  }
}

/**
 * Runs a standalone tool's `main` on process.argv; a failure is one line on stderr,
 * "NAME: problem", and exit code 2 or 1 as for the CLI.
 */
export function runMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, error => {
    process.stderr.write(`${name}: ${errorLine(error)}\n`);
    process.exitCode = exitCodeFor(error);
  });
}
