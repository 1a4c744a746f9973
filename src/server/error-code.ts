// Maps whatever a handler caught to Kafka's error code and message for the response: the one place
// handlers produce error codes, so it is also where each refusal is noted for the server's log.
import { KafkaStorageError, KafkitError, NotCoordinatorError, toKafkitError } from '../errors.js';
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

/**
 * For the group coordinator's APIs: a group state or offset that cannot be stored (a full disk) is
 * NOT_COORDINATOR, as Kafka's coordinator answers a failed write to __consumer_offsets. Every
 * client retries that after looking the coordinator up again; some give up on KAFKA_STORAGE_ERROR
 * in a group request. The server's log line keeps the reason.
 */
export function groupWireError(err: unknown): WireError {
  const e = err instanceof KafkitError ? err : toKafkitError(err);
  return wireError(e instanceof KafkaStorageError ? new NotCoordinatorError(`The group coordinator could not store the group: ${e.message}`, { cause: e }) : e);
}
