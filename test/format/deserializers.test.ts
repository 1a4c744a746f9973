import { describe, expect, it } from 'vitest';
import { bytesText, deserializerFor } from '../../src/format/deserializers.js';
import { javaDoubleText, javaFloatText } from '../../src/format/java-float.js';

const PKG = 'org.apache.kafka.common.serialization.';
const show = (name: string, bytes: number[] | Buffer) => deserializerFor('value.deserializer', PKG + name)!(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString('latin1');
const be = (size: number, write: (b: Buffer) => void) => {
  const b = Buffer.alloc(size);
  write(b);
  return b;
};

describe("Java's Double.toString and Float.toString", () => {
  it('writes plain decimals between 10^-3 and 10^7, with at least one fraction digit', () => {
    expect([1, 3.14, 100, -2.5, 0.001, 9999999, 1234567.5, 0.1 + 0.2].map(javaDoubleText)).toEqual(['1.0', '3.14', '100.0', '-2.5', '0.001', '9999999.0', '1234567.5', '0.30000000000000004']);
  });
  it("writes Java's scientific form outside that range", () => {
    expect([1e10, 1e7, 0.0001, -1.5e-7, 123456789, Number.MAX_VALUE, Number.MIN_VALUE].map(javaDoubleText)).toEqual(['1.0E10', '1.0E7', '1.0E-4', '-1.5E-7', '1.23456789E8', '1.7976931348623157E308', '4.9E-324']);
  });
  it('writes the special values as Java does', () => {
    expect([NaN, Infinity, -Infinity, 0, -0].map(javaDoubleText)).toEqual(['NaN', 'Infinity', '-Infinity', '0.0', '-0.0']);
  });
  it('gives a float its own shortest digits, not its double expansion', () => {
    expect([3.14, 0.1, 1e10, 16777216, 1.17549435e-38].map((v) => javaFloatText(Math.fround(v)))).toEqual(['3.14', '0.1', '1.0E10', '1.6777216E7', '1.1754944E-38']);
  });
});

describe("Kafka's deserializers as the formatter prints them", () => {
  it('Long, Integer, Short: signed big-endian, decimal', () => {
    expect(show('LongDeserializer', be(8, (b) => b.writeBigInt64BE(-42n)))).toBe('-42');
    expect(show('LongDeserializer', be(8, (b) => b.writeBigInt64BE(9223372036854775807n)))).toBe('9223372036854775807');
    expect(show('IntegerDeserializer', [0xff, 0xff, 0xff, 0xfe])).toBe('-2');
    expect(show('ShortDeserializer', [0x01, 0x00])).toBe('256');
  });
  it('Double and Float: IEEE 754 big-endian, in Java text', () => {
    expect(show('DoubleDeserializer', be(8, (b) => b.writeDoubleBE(1e10)))).toBe('1.0E10');
    expect(show('DoubleDeserializer', be(8, (b) => b.writeDoubleBE(3.14)))).toBe('3.14');
    expect(show('FloatDeserializer', be(4, (b) => b.writeFloatBE(3.14)))).toBe('3.14');
  });
  it('UUID: canonical lower-case text', () => {
    expect(show('UUIDDeserializer', Buffer.from('123E4567-E89B-12D3-A456-426614174000'))).toBe('123e4567-e89b-12d3-a456-426614174000');
  });
  it('String re-encodes what is not UTF-8 as U+FFFD; ByteArray prints the bytes as they are', () => {
    expect(deserializerFor('value.deserializer', PKG + 'StringDeserializer')!(Buffer.from([0x61, 0xff])).toString('hex')).toBe('61efbfbd');
    expect(deserializerFor('value.deserializer', PKG + 'ByteArrayDeserializer')).toBeUndefined();
    expect(deserializerFor('value.deserializer', 'ByteArrayDeserializer')).toBeUndefined();
  });
  it("Bytes: Kafka's Bytes.toString, printable ASCII and \\xNN (a backslash too)", () => {
    expect(bytesText(Buffer.from([0x41, 0x00, 0x7e, 0x7f, 0x5c, 0x20, 0xab]))).toBe('A\\x00~\\x7F\\x5C \\xAB');
    expect(show('BytesDeserializer', [0x68, 0x69, 0x0a])).toBe('hi\\x0A');
  });
  it("fails on data that does not fit, in Kafka's words", () => {
    const SE = 'org.apache.kafka.common.errors.SerializationException: ';
    expect(() => show('LongDeserializer', [1, 2, 3])).toThrow(`${SE}Size of data received by LongDeserializer is not 8`);
    expect(() => show('IntegerDeserializer', [1])).toThrow(`${SE}Size of data received by IntegerDeserializer is not 4`);
    expect(() => show('ShortDeserializer', [1])).toThrow(`${SE}Size of data received by ShortDeserializer is not 2`);
    expect(() => show('DoubleDeserializer', [1])).toThrow(`${SE}Size of data received by Deserializer is not 8`);
    expect(() => show('FloatDeserializer', [1])).toThrow(`${SE}Size of data received by Deserializer is not 4`);
    expect(() => show('UUIDDeserializer', Buffer.from('not-a-uuid'))).toThrow(`${SE}Error parsing data into UUID`);
    expect(() => show('VoidDeserializer', [])).toThrow('java.lang.IllegalArgumentException: Data should be null for a VoidDeserializer.');
  });
  it('refuses a class it cannot run, naming the ones it can', () => {
    expect(() => deserializerFor('key.deserializer', 'io.confluent.kafka.serializers.KafkaAvroDeserializer')).toThrow(
      'Invalid value io.confluent.kafka.serializers.KafkaAvroDeserializer for key.deserializer: kafkit cannot load Java classes; use one of Kafka\'s org.apache.kafka.common.serialization.{String,ByteArray,Bytes,Long,Integer,Short,Double,Float,UUID,Void}Deserializer.',
    );
  });
});
