import { describe, expect, it } from 'vitest';
import { lineReaderConfig, parseLine } from '../../src/input/line-message-reader.js';

const show = (r: ReturnType<typeof parseLine>) => ({
  key: r.key === null ? null : String(r.key),
  value: r.value === null ? null : String(r.value),
  headers: r.headers.map((h) => [h.key, h.value === null ? null : String(h.value)]),
});

describe('LineMessageReader', () => {
  it('reads values, keys and headers', () => {
    expect(show(parseLine(lineReaderConfig({}), 'hello', 1))).toEqual({ key: null, value: 'hello', headers: [] });
    expect(show(parseLine(lineReaderConfig({}), '', 1))).toEqual({ key: null, value: '', headers: [] });
    const both = lineReaderConfig({ 'parse.key': 'true', 'parse.headers': 'true' });
    expect(show(parseLine(both, 'h1:v1,h2:v2\tkey\tvalue\twith tab', 1))).toEqual({ key: 'key', value: 'value\twith tab', headers: [['h1', 'v1'], ['h2', 'v2']] });
    const custom = lineReaderConfig({ 'parse.key': ' TRUE ', 'key.separator': '::' });
    expect(show(parseLine(custom, 'k::v', 1))).toEqual({ key: 'k', value: 'v', headers: [] });
  });

  it('turns the null marker into null keys, values and header values', () => {
    const cfg = lineReaderConfig({ 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': '<N>' });
    expect(show(parseLine(cfg, 'a:<N>\t<N>\t<N>', 1))).toEqual({ key: null, value: null, headers: [['a', null]] });
    expect(show(parseLine(cfg, '<N>\tk\tv', 1))).toEqual({ key: 'k', value: 'v', headers: [] });
    expect(() => parseLine(cfg, '<N>:x\tk\tv', 7)).toThrow("Header keys should not be equal to the null marker '<N>' as they can't be null");
  });

  it("fails with Kafka's messages and line numbers, or best-effort with ignore.error", () => {
    const strict = lineReaderConfig({ 'parse.key': 'true', 'parse.headers': 'true' });
    expect(() => parseLine(lineReaderConfig({ 'parse.key': 'true' }), 'abc', 3)).toThrow("No key separator found on line number 3: 'abc'");
    expect(() => parseLine(strict, 'abc', 2)).toThrow("No headers delimiter found on line number 2: 'abc'");
    expect(() => parseLine(strict, 'h\tk\tv', 4)).toThrow("No header key separator found in pair 'h' on line number 4");
    expect(() => parseLine(strict, '\tk\tv', 5)).toThrow("No header key separator found in pair '' on line number 5");
    const lax = lineReaderConfig({ 'parse.key': 'true', 'parse.headers': 'true', 'ignore.error': 'true' });
    expect(show(parseLine(lax, 'headerKey2.0:headerValue2.0\tkey2[MISSING-KEY-DELIMITER]value2', 1))).toEqual({
      key: null,
      value: 'key2[MISSING-KEY-DELIMITER]value2',
      headers: [['headerKey2.0', 'headerValue2.0']],
    });
    expect(show(parseLine(lax, 'no tabs at all', 1))).toEqual({ key: null, value: 'no tabs at all', headers: [] });
  });

  it('refuses separator combinations Kafka refuses', () => {
    expect(() => lineReaderConfig({ 'headers.delimiter': ',' })).toThrow('headers.delimiter and headers.separator may not be equal');
    expect(() => lineReaderConfig({ 'null.marker': '\t' })).toThrow('null.marker and key.separator may not be equal');
  });
});

