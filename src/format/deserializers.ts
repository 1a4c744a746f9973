// Kafka's built-in deserializers as the console consumer's formatter uses them: bytes in, the text
// of the deserialized object's toString() out. A value that does not fit fails with the exception
// Kafka's deserializer throws, in Kafka's words.
import { UsageError } from '../errors.js';
import { javaDoubleText, javaFloatText } from './java-float.js';

/** Bytes of a key, value or header value → the bytes the formatter prints. */
export type Deserialize = (data: Buffer) => Buffer;

export class DeserializationError extends Error {}

const PACKAGE = 'org.apache.kafka.common.serialization.';
const SERIALIZATION = 'org.apache.kafka.common.errors.SerializationException';

const ascii = (s: string) => Buffer.from(s, 'latin1');

function sized(size: number, name: string, read: (b: Buffer) => string): Deserialize {
  return (b) => {
    // Kafka's own texts: Double and Float say "Deserializer", not their class name.
    if (b.length !== size) throw new DeserializationError(`${SERIALIZATION}: Size of data received by ${name} is not ${size}`);
    return ascii(read(b));
  };
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BUILT_IN: Record<string, Deserialize | null> = {
  // Re-encoding turns bytes that are not UTF-8 into U+FFFD, as Java's String(bytes, UTF_8) does.
  StringDeserializer: (b) => Buffer.from(b.toString('utf8')),
  // kafkit prints the bytes; Java's byte[].toString() would print [B@1b6d3586.
  ByteArrayDeserializer: null,
  BytesDeserializer: (b) => ascii(bytesText(b)),
  LongDeserializer: sized(8, 'LongDeserializer', (b) => b.readBigInt64BE().toString()),
  IntegerDeserializer: sized(4, 'IntegerDeserializer', (b) => String(b.readInt32BE())),
  ShortDeserializer: sized(2, 'ShortDeserializer', (b) => String(b.readInt16BE())),
  DoubleDeserializer: sized(8, 'Deserializer', (b) => javaDoubleText(b.readDoubleBE())),
  FloatDeserializer: sized(4, 'Deserializer', (b) => javaFloatText(b.readFloatBE())),
  UUIDDeserializer: (b) => {
    const text = b.toString('utf8');
    if (!UUID_TEXT.test(text)) throw new DeserializationError(`${SERIALIZATION}: Error parsing data into UUID`);
    return ascii(text.toLowerCase());
  },
  VoidDeserializer: () => {
    throw new DeserializationError('java.lang.IllegalArgumentException: Data should be null for a VoidDeserializer.');
  },
};

/**
 * The deserializer named by a `key.deserializer`-style property (Kafka's class name, or its simple
 * name), or undefined when it prints the bytes as they are. `property` names the setting in the error.
 */
export function deserializerFor(property: string, className: string): Deserialize | undefined {
  const simple = className.trim().startsWith(PACKAGE) ? className.trim().slice(PACKAGE.length) : className.trim();
  const found = BUILT_IN[simple];
  if (found === undefined) {
    throw new UsageError(
      `Invalid value ${className} for ${property}: kafkit cannot load Java classes; use one of Kafka's ${PACKAGE}{${Object.keys(BUILT_IN).map((n) => n.replace(/Deserializer$/, '')).join(',')}}Deserializer.`,
    );
  }
  return found ?? undefined;
}

/** org.apache.kafka.common.utils.Bytes.toString: printable ASCII but backslash as is, else \xNN. */
export function bytesText(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c <= 0x7e && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}
