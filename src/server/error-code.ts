// Maps whatever a handler caught to Kafka's error code and message for the response: the one place
// handlers produce error codes, so it is also where each refusal is noted for the server's log.
import { KafkitError, toKafkitError } from '../errors.js';
import { noteRefusal } from './refusals.js';

export interface WireError {
  errorCode: number;
  errorMessage: string | null;
}

export const NONE: WireError = { errorCode: 0, errorMessage: null };

export function wireError(err: unknown): WireError {
  const e = err instanceof KafkitError ? err : toKafkitError(err);
  noteRefusal(e);
  return { errorCode: e.code, errorMessage: e.message };
}
