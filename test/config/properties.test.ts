import { describe, expect, it } from 'vitest';
import { parseProperties } from '../../src/config/properties.js';

describe('Java .properties files', () => {
  it('reads key=value, key:value and key value, skipping comments', () => {
    expect(parseProperties('# c\n! c\na=1\nb: 2\nc 3\n  d = 4 \n')).toEqual({ a: '1', b: '2', c: '3', d: '4 ' });
  });
  it('interprets escapes and continuations', () => {
    expect(parseProperties('key.separator=\\t\nx=a\\\n   b\nu=\\u0041\nsp\\ ace=v')).toEqual({
      'key.separator': '\t',
      x: 'ab',
      u: 'A',
      'sp ace': 'v',
    });
  });
  it('keeps the value after the first separator', () => {
    expect(parseProperties('sasl.jaas.config=x required username="u" password="p=1";')).toEqual({
      'sasl.jaas.config': 'x required username="u" password="p=1";',
    });
  });
});
