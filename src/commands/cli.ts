// Shared command-line plumbing: Kafka-style (jopt-simple) option parsing on top of yargs, the
// streams a command writes to, and the one place where errors become messages and exit codes.
// yargs' own parser, without the rest of yargs: the full package costs ~100 ms of start-up,
// more than kafka-topics --list may take in all (see bench/startup.bench.mjs).
import { createReadStream, fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import parseArgv from 'yargs-parser';
import { KafkitError, UsageError, toKafkitError } from '../errors.js';
import { VERSION } from '../version.js';
import { isCompletionRequest, runCompletion } from '../completion/index.js';

export type OptionType = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  type: OptionType;
  describe: string;
  /** Value name shown in --help, e.g. 'topic' or 'host:port'. */
  arg?: string;
  /** May be given more than once; the parsed value is then an array. */
  repeatable?: boolean;
  /**
   * With repeatable: takes every value up to the next option, as argparse4j's nargs("+") does
   * (kafka-producer-perf-test's `--producer-props a=1 b=2`).
   */
  variadic?: boolean;
  /** May be given without a value (`--compression-codec`, `--state`): the value is then ''. */
  optionalValue?: boolean;
  /** Shown in --help only; defaults are applied by the command. */
  defaultDescription?: string;
  /** Kafka 4.2 renamed options: the new name maps onto this one. Giving both is an error. */
  newName?: string;
  /** Only integer values accepted (Kafka's Integer/Long options). */
  integer?: boolean;
}

export interface ToolSpec {
  name: string;
  /** First line of --help (Kafka's tool description). */
  description: string;
  options: Record<string, OptionSpec>;
  /** No arguments means "run with defaults" rather than "print usage" (kafka-server-start). */
  runsWithoutArguments?: boolean;
  /** One optional non-option argument, parsed under this name (kafka-server-start's server.properties). */
  positional?: string;
}

export type ParsedArgs = Record<string, string | number | boolean | string[] | undefined>;

/** Where a command writes. Injected so that commands can be run in-process by tests. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; fd?: number };
  /** stdout is a terminal: spinners, colour and prompts are allowed (NO_COLOR turns colour off). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * stdin as a stream. A regular file (`tool < file`) is read in 1 MiB chunks: process.stdin reads it in
 * 64 KiB ones, each a round trip through libuv's thread pool, which cost ~0.1 s per 100 MB. Pipes and
 * terminals keep process.stdin, which reads them on the event loop and is the faster of the two there
 * (a worker thread reading the pipe was tried: no faster on 2 cores, and ~0.1 s more to start).
 */
function openStdin(): CommandIO['stdin'] {
  let isFile = false;
  try {
    isFile = fstatSync(0).isFile();
  } catch {
    // No fd 0 (closed stdin): process.stdin copes with that.
  }
  return isFile ? Object.assign(createReadStream('', { fd: 0, highWaterMark: 1 << 20, autoClose: false }), { isTTY: false }) : process.stdin;
}

export function processIO(): CommandIO {
  let stdin: CommandIO['stdin'] | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin builds a stream on first use (~4 ms of start-up): only commands that read it pay.
    get stdin() {
      return (stdin ??= openStdin());
    },
    // isatty(0) rather than process.stdin.isTTY, which would build process.stdin for every command.
    isTTY: Boolean(process.stdout.isTTY) && isatty(0),
    env: process.env,
  };
}

/** Thrown by parseArgs for --help / --version / no arguments: not an error, just a different output. */
export class EarlyExit extends Error {
  constructor(readonly text: string, readonly stream: 'stdout' | 'stderr', readonly exitCode: number) {
    super('early exit');
  }
}

/**
 * Parses argv the way Kafka's tools do: long options only, `--name value` or `--name=value`, no
 * abbreviations, repeated single-valued options rejected, jopt's messages for each mistake.
 */
export function parseArgs(tool: ToolSpec, argv: string[]): ParsedArgs {
  if (argv.length === 0 && !tool.runsWithoutArguments) throw new EarlyExit(helpText(tool), 'stderr', 1);
  if (argv.includes('--help')) throw new EarlyExit(helpText(tool), 'stdout', 0);
  if (argv.includes('--version')) throw new EarlyExit(`${VERSION}\n`, 'stdout', 0);
  argv = spreadVariadic(tool, argv);

  const byNewName = new Map<string, string>();
  for (const [name, spec] of Object.entries(tool.options)) if (spec.newName) byNewName.set(spec.newName, name);

  // Validate option names before yargs sees them: yargs would accept abbreviations and negations.
  const given = new Map<string, number>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--') || token === '--') {
      if (token.startsWith('-') && token.length > 1 && !/^-\d/.test(token)) {
        throw new UsageError(`${token.replace(/^-+/, '')} is not a recognized option`);
      }
      continue;
    }
    const eq = token.indexOf('=');
    const raw = token.slice(2, eq < 0 ? undefined : eq);
    const name = tool.options[raw] ? raw : byNewName.get(raw);
    if (!name) throw new UsageError(`${raw} is not a recognized option`);
    const spec = tool.options[name];
    given.set(raw, (given.get(raw) ?? 0) + 1);
    if (spec.type !== 'boolean' && eq < 0 && !spec.optionalValue) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`Option ${raw} requires an argument`);
      }
      // jopt-simple takes the next token as the value even when it starts with '-' (`-1h`);
      // yargs would read it as an option, unless it is joined to its option.
      if (next.startsWith('-')) argv = [...argv.slice(0, i), `${token}=${next}`, ...argv.slice(i + 2)];
      else i++;
    }
    if (spec.type === 'boolean' && eq >= 0) {
      throw new UsageError(`Option ${raw} does not take an argument`);
    }
  }
  for (const [raw, count] of given) {
    const name = tool.options[raw] ? raw : byNewName.get(raw)!;
    const spec = tool.options[name];
    if (count > 1 && !spec.repeatable && spec.type !== 'boolean') {
      throw new UsageError(`Found multiple arguments for option ${raw}, but you asked for only one`);
    }
    if (spec.newName && given.has(spec.newName) && raw === name) {
      throw new UsageError(`Options --${spec.newName} and --${name} cannot be specified together.`);
    }
  }

  const strings: string[] = [];
  const booleans: string[] = [];
  const arrays: string[] = [];
  const aliases: Record<string, string[]> = {};
  for (const [name, spec] of Object.entries(tool.options)) {
    (spec.type === 'boolean' ? booleans : strings).push(name);
    if (spec.repeatable) arrays.push(name);
    if (spec.newName) aliases[name] = [spec.newName];
  }
  const parsed = parseArgv(argv, {
    string: strings,
    boolean: booleans,
    array: arrays,
    alias: aliases,
    configuration: {
      'camel-case-expansion': false,
      'dot-notation': false,
      'boolean-negation': false,
      'short-option-groups': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': true,
      'greedy-arrays': false,
      'strip-aliased': true,
    },
  }) as Record<string, unknown>;
  const positional = (parsed._ as unknown[]).map(String);
  if (positional.length > (tool.positional ? 1 : 0)) {
    const extra = positional[tool.positional ? 1 : 0];
    throw new UsageError(`Found non-option argument '${extra}'. Options start with --, e.g. --topic ${extra}`);
  }

  const result: ParsedArgs = {};
  if (tool.positional && positional.length === 1) result[tool.positional] = positional[0];
  for (const [name, spec] of Object.entries(tool.options)) {
    const present = given.has(name) || (spec.newName !== undefined && given.has(spec.newName));
    if (!present) continue;
    let value = parsed[name];
    if (spec.type === 'boolean') {
      result[name] = true;
      continue;
    }
    if (spec.repeatable) {
      const list = (Array.isArray(value) ? value : [value]).map((v) => (v === undefined ? '' : String(v)));
      result[name] = list;
      continue;
    }
    if (Array.isArray(value)) value = value[value.length - 1];
    const text = value === undefined || value === true ? '' : String(value);
    if (spec.type === 'number') {
      result[name] = parseNumberOption(name, text, spec.integer ?? true);
    } else {
      result[name] = text;
    }
  }
  return result;
}

/** `--name a b c` of a variadic option becomes `--name a --name b --name c`. */
function spreadVariadic(tool: ToolSpec, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    out.push(token);
    if (!token.startsWith('--') || token.includes('=') || !tool.options[token.slice(2)]?.variadic) continue;
    let values = 0;
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      if (values++ > 0) out.push(token);
      out.push(argv[++i]);
    }
  }
  return out;
}

export function parseNumberOption(name: string, text: string, integer = true): number {
  const ok = integer ? /^[+-]?\d+$/.test(text.trim()) : text.trim() !== '' && Number.isFinite(Number(text));
  if (!ok) throw new UsageError(`Cannot parse argument '${text}' of option ${name}`);
  return Number(text.trim());
}

export function helpText(tool: ToolSpec): string {
  const names = Object.keys(tool.options).sort();
  const rows = names.map((name) => {
    const spec = tool.options[name];
    let left = `--${name}`;
    if (spec.type !== 'boolean') left += spec.optionalValue ? ` [${spec.arg ?? 'value'}]` : ` <${spec.arg ?? 'value'}>`;
    if (spec.variadic) left += ' ...';
    let text = spec.describe;
    if (spec.defaultDescription !== undefined) text += ` (default: ${spec.defaultDescription})`;
    if (spec.newName) text += ` Also accepted as --${spec.newName}.`;
    return [left, text] as const;
  });
  const width = Math.min(40, Math.max(...rows.map(([l]) => l.length)) + 2);
  const wrap = (text: string, indent: number) => {
    const max = Math.max(40, 100 - indent);
    const out: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      if (line && line.length + 1 + word.length > max) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
    return out.join(`\n${' '.repeat(indent)}`);
  };
  const lines = rows.map(([l, t]) =>
    l.length + 2 > width ? `${l}\n${' '.repeat(width)}${wrap(t, width)}` : `${l.padEnd(width)}${wrap(t, width)}`,
  );
  return `${tool.description}\n\nOption${' '.repeat(width - 6)}Description\n------${' '.repeat(width - 6)}-----------\n${lines.join('\n')}\n`;
}

/** `k=v` items (from --property and friends): split at the first '=', a missing value is ''. No escapes. */
export function parseKeyValues(items: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq < 0) out[item] = '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/**
 * Writes text to a stream, resolving once the stream has written it out (its write callback), or
 * failed to. Not when write() returns true: that chunk may still sit in the stream's buffer, and the
 * console consumer commits only positions whose records are on stdout.
 */
export function write(stream: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}

/**
 * Runs a command as a process: the only place where errors turn into a message and an exit code.
 * Commands return their exit code and never call process.exit themselves.
 */
export async function runMain(
  tool: ToolSpec,
  handler: (args: ParsedArgs, io: CommandIO) => Promise<number>,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const io = processIO();
  // A closed stdout (e.g. `| head`) is not an error for tools that only print.
  // A command that listens for it itself (the console consumer prints its summary first) wins.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' && process.stdout.listenerCount('error') === 1) process.exit(process.exitCode ?? 0);
  });
  const code = await runCommand(tool, handler, argv, io);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/** In-process variant used by runMain and by tests: returns the exit code. */
export async function runCommand(
  tool: ToolSpec,
  handler: (args: ParsedArgs, io: CommandIO) => Promise<number>,
  argv: string[],
  io: CommandIO,
): Promise<number> {
  if (isCompletionRequest(argv)) {
    const r = await runCompletion(tool, argv, io);
    await write(r.stream === 'stdout' ? io.stdout : io.stderr, r.text);
    return r.code;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(tool, argv);
  } catch (err) {
    if (err instanceof EarlyExit) {
      await write(err.stream === 'stdout' ? io.stdout : io.stderr, err.text);
      return err.exitCode;
    }
    await write(io.stderr, `${errorMessage(err)}\n`);
    return 1;
  }
  try {
    return await handler(args, io);
  } catch (err) {
    return reportError(io, err);
  }
}

/** The one error line on stderr (and the stack with KAFKIT_DEBUG); resolves to the exit code. */
export async function reportError(io: CommandIO, err: unknown): Promise<number> {
  const e = toKafkitError(err);
  await write(io.stderr, `${errorMessage(e)}\n`);
  if (io.env.KAFKIT_DEBUG && err instanceof Error && err.stack) await write(io.stderr, `${err.stack}\n`);
  return e instanceof KafkitError ? e.exitCode : 1;
}

export function errorMessage(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  if (err instanceof KafkitError) return `Error: ${err.message}`;
  return `Error: ${err instanceof Error ? err.message : String(err)}`;
}
