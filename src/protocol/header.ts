// Request and response headers. Request header v1 is apiKey, apiVersion, correlationId and a
// nullable clientId; v2 (flexible requests) adds tagged fields, but its clientId keeps the classic
// int16 length. Response header v1 adds tagged fields after the correlation id, except for
// ApiVersions, whose response header is always v0 so that a client that does not yet know our
// versions can still read it.
import { Reader } from './reader.js';
import { Writer } from './writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export const API_VERSIONS_KEY = 18;

/** Reads the fixed part; the caller decides whether tagged fields follow (it knows the API's flexible versions). */
export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.string(false, true);
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Skips the request header's tagged fields (none are defined that a broker must read). */
export function skipHeaderTags(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}

export function writeResponseHeader(w: Writer, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible) w.uvarint(0);
}
