// One description per message drives both decoding and encoding. A description lists fields in
// wire order, each with the versions it exists in, the versions where it may be null, and, for
// tagged fields, its tag. Field layouts follow Kafka's message specs
// (clients/src/main/resources/common/message in apache/kafka); names are camelCased.
import { MalformedFrameError, Reader } from './reader.js';
import { Writer } from './writer.js';

export type Primitive = 'int8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';
export type FieldType = Primitive | { array: FieldType } | { struct: Field[] };

export interface Field {
  name: string;
  type: FieldType;
  /** Versions the field exists in, e.g. '0+' or '3-7'. */
  versions: VersionRange;
  nullable?: VersionRange;
  /** Tagged field number (in flexible versions only). */
  tag?: number;
  default?: unknown;
}

export interface VersionRange {
  min: number;
  max: number;
}

export interface MessageSpec {
  name: string;
  fields: Field[];
  /** First flexible version (compact lengths, tagged fields); Infinity when none. */
  flexibleFrom: number;
}

export interface ApiSpec {
  apiKey: number;
  name: string;
  /** Versions this server supports (a subset of Kafka's). */
  minVersion: number;
  maxVersion: number;
  request: MessageSpec;
  response: MessageSpec;
}

export function range(spec: string): VersionRange {
  const m = /^(\d+)(\+|-(\d+))?$/.exec(spec);
  if (!m) throw new Error(`Bad version range '${spec}'`);
  const min = Number(m[1]);
  return { min, max: m[2] === '+' ? Infinity : m[3] !== undefined ? Number(m[3]) : min };
}

const inRange = (r: VersionRange | undefined, v: number) => r !== undefined && v >= r.min && v <= r.max;

interface FieldOptions {
  nullable?: string;
  tag?: number;
  default?: unknown;
}

/** A field: `f('throttleTimeMs', 'int32', '1+')`. */
export function f(name: string, type: FieldType, versions = '0+', options: FieldOptions = {}): Field {
  return {
    name,
    type,
    versions: range(versions),
    nullable: options.nullable ? range(options.nullable) : undefined,
    tag: options.tag,
    default: options.default,
  };
}

export const arrayOf = (type: FieldType): FieldType => ({ array: type });
export const structs = (...fields: Field[]): FieldType => ({ array: { struct: fields } });
export const struct = (...fields: Field[]): FieldType => ({ struct: fields });

export function message(name: string, flexibleFrom: number | 'none', fields: Field[]): MessageSpec {
  return { name, fields, flexibleFrom: flexibleFrom === 'none' ? Infinity : flexibleFrom };
}

// ---------------------------------------------------------------------------------------------
// Defaults

function defaultValue(field: Field, version: number): unknown {
  if (field.default !== undefined) return field.default;
  if (inRange(field.nullable, version) && typeof field.type === 'string' && field.type !== 'string') return null;
  return typeDefault(field.type);
}

function typeDefault(type: FieldType): unknown {
  if (typeof type === 'string') {
    switch (type) {
      case 'bool':
        return false;
      case 'string':
        return '';
      case 'bytes':
        return Buffer.alloc(0);
      case 'records':
        return null;
      case 'uuid':
        return 'AAAAAAAAAAAAAAAAAAAAAA';
      default:
        return 0;
    }
  }
  if ('array' in type) return [];
  const out: Record<string, unknown> = {};
  for (const f of type.struct) out[f.name] = f.default ?? typeDefault(f.type);
  return out;
}

/** Smallest encoding of one element, to bound array counts by the bytes left. */
function minBytes(type: FieldType, flexible: boolean): number {
  if (typeof type === 'string') {
    switch (type) {
      case 'int8':
      case 'bool':
        return 1;
      case 'int16':
      case 'uint16':
        return 2;
      case 'int32':
        return 4;
      case 'int64':
      case 'float64':
        return 8;
      case 'uuid':
        return 16;
      case 'string':
        return flexible ? 1 : 2;
      default:
        return flexible ? 1 : 4;
    }
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Decoding

function readValue(r: Reader, type: FieldType, version: number, flexible: boolean, nullable: boolean): unknown {
  if (typeof type === 'string') {
    switch (type) {
      case 'int8':
        return r.int8();
      case 'int16':
        return r.int16();
      case 'uint16':
        return r.uint16();
      case 'int32':
        return r.int32();
      case 'int64':
        return r.int64();
      case 'float64':
        return r.float64();
      case 'bool':
        return r.bool();
      case 'uuid':
        return r.uuid();
      case 'string':
        return r.string(flexible, nullable);
      case 'bytes':
      case 'records':
        return r.bytes(flexible, nullable);
    }
  }
  if ('array' in type) {
    const n = r.count(flexible, nullable, minBytes(type.array, flexible));
    if (n === -1) return null;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = readValue(r, type.array, version, flexible, false);
    return out;
  }
  return readStruct(r, type.struct, version, flexible);
}

function readTaggedFields(r: Reader, fields: Field[], version: number, out: Record<string, unknown>): void {
  const count = r.uvarint();
  if (count > r.remaining) throw new MalformedFrameError(`${count} tagged fields cannot fit in the request.`);
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    if (size > r.remaining) throw new MalformedFrameError(`Tagged field ${tag} of ${size} byte(s) exceeds the request.`);
    const field = fields.find((x) => x.tag === tag && inRange(x.versions, version));
    if (!field) {
      r.skip(size);
      continue;
    }
    const end = r.offset + size;
    out[field.name] = readValue(new Reader(r.buf, r.offset, end), field.type, version, true, inRange(field.nullable, version));
    r.offset = end;
  }
}

export function readStruct(r: Reader, fields: Field[], version: number, flexible: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    // Tagged fields are filled from the tagged section below, when present.
    if (!inRange(field.versions, version) || field.tag !== undefined) {
      out[field.name] = defaultValue(field, version);
      continue;
    }
    out[field.name] = readValue(r, field.type, version, flexible, inRange(field.nullable, version));
  }
  if (flexible) readTaggedFields(r, fields, version, out);
  return out;
}

export function decode<T>(spec: MessageSpec, version: number, r: Reader): T {
  return readStruct(r, spec.fields, version, version >= spec.flexibleFrom) as T;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function writeValue(w: Writer, type: FieldType, value: unknown, version: number, flexible: boolean, name: string): void {
  if (typeof type === 'string') {
    switch (type) {
      case 'int8':
        return w.int8(value as number);
      case 'int16':
        return w.int16(value as number);
      case 'uint16':
        return w.uint16(value as number);
      case 'int32':
        return w.int32(value as number);
      case 'int64':
        return w.int64(value as number);
      case 'float64':
        return w.float64(value as number);
      case 'bool':
        return w.bool(value as boolean);
      case 'uuid':
        return w.uuid(value as string);
      case 'string':
        return w.string(value as string | null, flexible);
      case 'bytes':
      case 'records':
        return w.bytes(value as Buffer | null, flexible);
    }
  }
  if ('array' in type) {
    const items = value as unknown[] | null;
    w.count(items === null ? null : items.length, flexible);
    if (items) for (const item of items) writeValue(w, type.array, item, version, flexible, name);
    return;
  }
  writeStruct(w, type.struct, value as Record<string, unknown>, version, flexible);
}

function isDefault(field: Field, value: unknown, version: number): boolean {
  if (value === undefined) return true;
  const d = defaultValue(field, version);
  if (Array.isArray(value)) return value.length === 0 && Array.isArray(d);
  return value === d;
}

export function writeStruct(w: Writer, fields: Field[], value: Record<string, unknown>, version: number, flexible: boolean): void {
  const tagged: Field[] = [];
  for (const field of fields) {
    if (!inRange(field.versions, version)) continue;
    if (field.tag !== undefined) {
      if (flexible && !isDefault(field, value[field.name], version)) tagged.push(field);
      continue;
    }
    let v = value[field.name];
    if (v === undefined) v = defaultValue(field, version);
    if (v === null && !inRange(field.nullable, version)) throw new Error(`${field.name} may not be null in version ${version}`);
    writeValue(w, field.type, v, version, flexible, field.name);
  }
  if (!flexible) return;
  w.uvarint(tagged.length);
  for (const field of tagged.sort((a, b) => a.tag! - b.tag!)) {
    const inner = new Writer();
    writeValue(inner, field.type, value[field.name], version, true, field.name);
    const bytes = inner.toBuffer();
    w.uvarint(field.tag!);
    w.uvarint(bytes.length);
    w.raw(bytes);
  }
}

export function encode(spec: MessageSpec, version: number, value: object, w = new Writer()): Writer {
  writeStruct(w, spec.fields, value as Record<string, unknown>, version, version >= spec.flexibleFrom);
  return w;
}
