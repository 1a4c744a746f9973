// Maps whatever a handler caught to Kafka's error code and message for the response.
import { KafkitError, toKafkitError } from '../errors.js';

export interface WireError {
  errorCode: number;
  errorMessage: string | null;
}

export const NONE: WireError = { errorCode: 0, errorMessage: null };

export function wireError(err: unknown): WireError {
  const e = err instanceof KafkitError ? err : toKafkitError(err);
  return { errorCode: e.code, errorMessage: e.message };
}
