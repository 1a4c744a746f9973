import { describe, expect, it } from 'vitest';
import { parseArgs, parseKeyValues, EarlyExit, type ToolSpec } from '../../src/commands/cli.js';

const tool: ToolSpec = {
  name: 'demo',
  description: 'Demo tool.',
  options: {
    topic: { type: 'string', describe: 'topic' },
    partitions: { type: 'number', describe: 'n' },
    list: { type: 'boolean', describe: 'list' },
    config: { type: 'string', describe: 'k=v', repeatable: true },
    'producer.config': { type: 'string', describe: 'file', newName: 'command-config' },
    'compression-codec': { type: 'string', describe: 'codec', optionalValue: true },
  },
};

function err(argv: string[]): string {
  try {
    parseArgs(tool, argv);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('Kafka-style option parsing', () => {
  it('accepts --name value and --name=value', () => {
    expect(parseArgs(tool, ['--topic', 'a', '--partitions=3', '--list'])).toEqual({ topic: 'a', partitions: 3, list: true });
  });
  it("takes the next token as the value even when it starts with '-', as jopt-simple does", () => {
    expect(parseArgs(tool, ['--topic', '-1h', '--partitions', '-1', '--list'])).toEqual({ topic: '-1h', partitions: -1, list: true });
    expect(parseArgs(tool, ['--config', '-x=1', '--config', 'b=2'])).toEqual({ config: ['-x=1', 'b=2'] });
  });
  it('collects repeatable options and keeps dotted names', () => {
    expect(parseArgs(tool, ['--config', 'a=1', '--config', 'b=2', '--producer.config', 'f'])).toEqual({
      config: ['a=1', 'b=2'],
      'producer.config': 'f',
    });
  });
  it('maps the Kafka 4.2 name onto the old one', () => {
    expect(parseArgs(tool, ['--command-config', 'f'])).toEqual({ 'producer.config': 'f' });
    expect(err(['--command-config', 'f', '--producer.config', 'g'])).toBe(
      'Options --command-config and --producer.config cannot be specified together.',
    );
  });
  it('gives jopt messages for mistakes', () => {
    expect(err(['--bootstrap', 'x'])).toBe('bootstrap is not a recognized option');
    expect(err(['--topic'])).toBe('Option topic requires an argument');
    expect(err(['--topic', 'a', '--topic', 'b'])).toBe('Found multiple arguments for option topic, but you asked for only one');
    expect(err(['--partitions', 'abc'])).toBe("Cannot parse argument 'abc' of option partitions");
    expect(err(['--top', 'a'])).toBe('top is not a recognized option');
  });
  it('lets an optional value be omitted', () => {
    expect(parseArgs(tool, ['--compression-codec', '--list'])).toEqual({ 'compression-codec': '', list: true });
    expect(parseArgs(tool, ['--compression-codec', 'lz4'])).toEqual({ 'compression-codec': 'lz4' });
  });
  it('answers --help on stdout with exit 0 and no arguments on stderr with exit 1', () => {
    const help = (() => { try { parseArgs(tool, ['--help']); } catch (e) { return e as EarlyExit; } })()!;
    expect([help.stream, help.exitCode, help.text.split('\n')[0]]).toEqual(['stdout', 0, 'Demo tool.']);
    const none = (() => { try { parseArgs(tool, []); } catch (e) { return e as EarlyExit; } })()!;
    expect([none.stream, none.exitCode]).toEqual(['stderr', 1]);
  });
  it('splits key=value at the first =', () => {
    expect(parseKeyValues(['a=b=c', 'k', 'e='])).toEqual({ a: 'b=c', k: '', e: '' });
  });
});

describe('variadic options (argparse4j nargs "+")', () => {
  const perf: ToolSpec = {
    name: 'perf',
    description: 'Perf.',
    options: {
      props: { type: 'string', describe: 'k=v ...', repeatable: true, variadic: true },
      topic: { type: 'string', describe: 'topic' },
    },
  };
  it('take every value up to the next option, and add up when given twice', () => {
    expect(parseArgs(perf, ['--props', 'a=1', 'b=2', '--topic', 't', '--props', 'c=3'])).toEqual({ props: ['a=1', 'b=2', 'c=3'], topic: 't' });
    expect(parseArgs(perf, ['--props=a=1'])).toEqual({ props: ['a=1'] });
  });
  it('still need one value', () => {
    expect(() => parseArgs(perf, ['--props', '--topic', 't'])).toThrow('Option props requires an argument');
  });
  it('a non-variadic option still refuses a second value', () => {
    expect(() => parseArgs(perf, ['--topic', 't', 'u'])).toThrow("Found non-option argument 'u'");
  });
});
