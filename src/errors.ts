// One table maps every failure to Kafka's error name and code and to a process exit code.
// The CLI (one place in src/commands/cli.ts) and the protocol server map errors only through it.

export interface KafkaErrorInfo {
  /** Kafka's numeric error code on the wire (-1 = UNKNOWN_SERVER_ERROR). */
  code: number;
  /** Kafka's error name, e.g. OFFSET_OUT_OF_RANGE. */
  name: string;
  retriable: boolean;
}

export class KafkitError extends Error {
  /** Kafka error name and code; subclasses override. */
  static readonly info: KafkaErrorInfo = { code: -1, name: 'UNKNOWN_SERVER_ERROR', retriable: false };
  /** Process exit code when this error ends a command. */
  exitCode = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  get info(): KafkaErrorInfo {
    return (this.constructor as typeof KafkitError).info;
  }
  get code(): number {
    return this.info.code;
  }
  get kafkaName(): string {
    return this.info.name;
  }
}

function kafkaError(code: number, name: string, retriable = false) {
  return class extends KafkitError {
    static override readonly info: KafkaErrorInfo = { code, name, retriable };
  };
}

export class UnknownServerError extends kafkaError(-1, 'UNKNOWN_SERVER_ERROR') {}
export class OffsetOutOfRangeError extends kafkaError(1, 'OFFSET_OUT_OF_RANGE') {}
export class CorruptRecordError extends kafkaError(2, 'CORRUPT_MESSAGE', true) {}
export class UnknownTopicOrPartitionError extends kafkaError(3, 'UNKNOWN_TOPIC_OR_PARTITION', true) {}
export class InvalidFetchSizeError extends kafkaError(4, 'INVALID_FETCH_SIZE') {}
export class LeaderNotAvailableError extends kafkaError(5, 'LEADER_NOT_AVAILABLE', true) {}
export class NotLeaderOrFollowerError extends kafkaError(6, 'NOT_LEADER_OR_FOLLOWER', true) {}
export class RequestTimedOutError extends kafkaError(7, 'REQUEST_TIMED_OUT', true) {}
export class BrokerNotAvailableError extends kafkaError(8, 'BROKER_NOT_AVAILABLE') {}
export class ReplicaNotAvailableError extends kafkaError(9, 'REPLICA_NOT_AVAILABLE', true) {}
export class RecordTooLargeError extends kafkaError(10, 'MESSAGE_TOO_LARGE') {}
export class NetworkError extends kafkaError(13, 'NETWORK_EXCEPTION', true) {}
export class CoordinatorLoadInProgressError extends kafkaError(14, 'COORDINATOR_LOAD_IN_PROGRESS', true) {}
export class CoordinatorNotAvailableError extends kafkaError(15, 'COORDINATOR_NOT_AVAILABLE', true) {}
export class NotCoordinatorError extends kafkaError(16, 'NOT_COORDINATOR', true) {}
export class InvalidTopicError extends kafkaError(17, 'INVALID_TOPIC_EXCEPTION') {}
export class RecordListTooLargeError extends kafkaError(18, 'RECORD_LIST_TOO_LARGE') {}
export class NotEnoughReplicasError extends kafkaError(19, 'NOT_ENOUGH_REPLICAS', true) {}
export class NotEnoughReplicasAfterAppendError extends kafkaError(20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true) {}
export class InvalidRequiredAcksError extends kafkaError(21, 'INVALID_REQUIRED_ACKS') {}
export class IllegalGenerationError extends kafkaError(22, 'ILLEGAL_GENERATION') {}
export class InconsistentGroupProtocolError extends kafkaError(23, 'INCONSISTENT_GROUP_PROTOCOL') {}
export class InvalidGroupIdError extends kafkaError(24, 'INVALID_GROUP_ID') {}
export class UnknownMemberIdError extends kafkaError(25, 'UNKNOWN_MEMBER_ID') {}
export class InvalidSessionTimeoutError extends kafkaError(26, 'INVALID_SESSION_TIMEOUT') {}
export class RebalanceInProgressError extends kafkaError(27, 'REBALANCE_IN_PROGRESS') {}
export class InvalidCommitOffsetSizeError extends kafkaError(28, 'INVALID_COMMIT_OFFSET_SIZE') {}
export class TopicAuthorizationFailedError extends kafkaError(29, 'TOPIC_AUTHORIZATION_FAILED') {}
export class GroupAuthorizationFailedError extends kafkaError(30, 'GROUP_AUTHORIZATION_FAILED') {}
export class ClusterAuthorizationFailedError extends kafkaError(31, 'CLUSTER_AUTHORIZATION_FAILED') {}
export class InvalidTimestampError extends kafkaError(32, 'INVALID_TIMESTAMP') {}
export class UnsupportedSaslMechanismError extends kafkaError(33, 'UNSUPPORTED_SASL_MECHANISM') {}
export class IllegalSaslStateError extends kafkaError(34, 'ILLEGAL_SASL_STATE') {}
export class UnsupportedVersionError extends kafkaError(35, 'UNSUPPORTED_VERSION') {}
export class TopicExistsError extends kafkaError(36, 'TOPIC_ALREADY_EXISTS') {}
export class InvalidPartitionsError extends kafkaError(37, 'INVALID_PARTITIONS') {}
export class InvalidReplicationFactorError extends kafkaError(38, 'INVALID_REPLICATION_FACTOR') {}
export class InvalidReplicaAssignmentError extends kafkaError(39, 'INVALID_REPLICA_ASSIGNMENT') {}
export class InvalidConfigError extends kafkaError(40, 'INVALID_CONFIG') {}
export class NotControllerError extends kafkaError(41, 'NOT_CONTROLLER', true) {}
export class InvalidRequestError extends kafkaError(42, 'INVALID_REQUEST') {}
export class UnsupportedForMessageFormatError extends kafkaError(43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT') {}
export class PolicyViolationError extends kafkaError(44, 'POLICY_VIOLATION') {}
export class OutOfOrderSequenceNumberError extends kafkaError(45, 'OUT_OF_ORDER_SEQUENCE_NUMBER') {}
export class DuplicateSequenceNumberError extends kafkaError(46, 'DUPLICATE_SEQUENCE_NUMBER') {}
export class InvalidProducerEpochError extends kafkaError(47, 'INVALID_PRODUCER_EPOCH') {}
export class InvalidTxnStateError extends kafkaError(48, 'INVALID_TXN_STATE') {}
export class InvalidProducerIdMappingError extends kafkaError(49, 'INVALID_PRODUCER_ID_MAPPING') {}
export class TransactionalIdAuthorizationFailedError extends kafkaError(53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED') {}
export class SecurityDisabledError extends kafkaError(54, 'SECURITY_DISABLED') {}
export class OperationNotAttemptedError extends kafkaError(55, 'OPERATION_NOT_ATTEMPTED') {}
export class KafkaStorageError extends kafkaError(56, 'KAFKA_STORAGE_ERROR', true) {}
export class LogDirNotFoundError extends kafkaError(57, 'LOG_DIR_NOT_FOUND') {}
export class SaslAuthenticationFailedError extends kafkaError(58, 'SASL_AUTHENTICATION_FAILED') {}
export class UnknownProducerIdError extends kafkaError(59, 'UNKNOWN_PRODUCER_ID') {}
export class ReassignmentInProgressError extends kafkaError(60, 'REASSIGNMENT_IN_PROGRESS') {}
export class NonEmptyGroupError extends kafkaError(68, 'NON_EMPTY_GROUP') {}
export class GroupIdNotFoundError extends kafkaError(69, 'GROUP_ID_NOT_FOUND') {}
export class FetchSessionIdNotFoundError extends kafkaError(70, 'FETCH_SESSION_ID_NOT_FOUND', true) {}
export class InvalidFetchSessionEpochError extends kafkaError(71, 'INVALID_FETCH_SESSION_EPOCH', true) {}
export class FencedLeaderEpochError extends kafkaError(74, 'FENCED_LEADER_EPOCH', true) {}
export class UnknownLeaderEpochError extends kafkaError(75, 'UNKNOWN_LEADER_EPOCH', true) {}
export class UnsupportedCompressionTypeError extends kafkaError(76, 'UNSUPPORTED_COMPRESSION_TYPE') {}
export class MemberIdRequiredError extends kafkaError(79, 'MEMBER_ID_REQUIRED') {}
export class PreferredLeaderNotAvailableError extends kafkaError(80, 'PREFERRED_LEADER_NOT_AVAILABLE', true) {}
export class GroupMaxSizeReachedError extends kafkaError(81, 'GROUP_MAX_SIZE_REACHED') {}
export class FencedInstanceIdError extends kafkaError(82, 'FENCED_INSTANCE_ID') {}
export class EligibleLeadersNotAvailableError extends kafkaError(83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', true) {}
export class ElectionNotNeededError extends kafkaError(84, 'ELECTION_NOT_NEEDED') {}
export class GroupSubscribedToTopicError extends kafkaError(86, 'GROUP_SUBSCRIBED_TO_TOPIC') {}
export class InvalidRecordError extends kafkaError(87, 'INVALID_RECORD') {}
export class UnknownTopicIdError extends kafkaError(100, 'UNKNOWN_TOPIC_ID', true) {}

/**
 * A consumer met a batch it cannot read: says where (partition, offset) and where reading can go
 * on (`nextOffset`, the offset after the batch), so that a caller that chooses to (the console
 * consumer's --skip-message-on-error) seeks past it.
 */
export class CorruptBatchError extends CorruptRecordError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly nextOffset: number,
    readonly reason: string,
  ) {
    super(`Cannot read ${topic}-${partition} at offset ${offset}: ${reason} Seek to offset ${nextOffset} to skip the batch (kafka-console-consumer: --skip-message-on-error).`);
  }
}

// kafkit's own failures that have no Kafka error code. They still carry an exit code.

/** Bad command-line input: the message is shown with a hint, exit 1. */
export class UsageError extends KafkitError {}

/** A data dir that is not ours, or is unreadable. */
export class DataDirError extends KafkitError {}

/** kafka-server-start for a broker id another live process serves. */
export class BrokerAlreadyRunningError extends KafkitError {}

/** The operation was interrupted (Ctrl-C, SIGTERM, wakeup()). */
export class InterruptedError extends KafkitError {}

/** Look an error class up by its Kafka code, for decoding wire responses. */
const byCode = new Map<number, typeof KafkitError>();
for (const value of Object.values({
  UnknownServerError, OffsetOutOfRangeError, CorruptRecordError, UnknownTopicOrPartitionError,
  InvalidFetchSizeError, LeaderNotAvailableError, NotLeaderOrFollowerError, RequestTimedOutError,
  BrokerNotAvailableError, ReplicaNotAvailableError, RecordTooLargeError, NetworkError,
  CoordinatorLoadInProgressError, CoordinatorNotAvailableError, NotCoordinatorError, InvalidTopicError,
  RecordListTooLargeError, NotEnoughReplicasError, NotEnoughReplicasAfterAppendError,
  InvalidRequiredAcksError, IllegalGenerationError, InconsistentGroupProtocolError, InvalidGroupIdError,
  UnknownMemberIdError, InvalidSessionTimeoutError, RebalanceInProgressError,
  InvalidCommitOffsetSizeError, TopicAuthorizationFailedError, GroupAuthorizationFailedError,
  ClusterAuthorizationFailedError, InvalidTimestampError, UnsupportedSaslMechanismError,
  IllegalSaslStateError, UnsupportedVersionError, TopicExistsError, InvalidPartitionsError,
  InvalidReplicationFactorError, InvalidReplicaAssignmentError, InvalidConfigError, NotControllerError,
  InvalidRequestError, UnsupportedForMessageFormatError, PolicyViolationError,
  OutOfOrderSequenceNumberError, DuplicateSequenceNumberError, InvalidProducerEpochError,
  InvalidTxnStateError, InvalidProducerIdMappingError, TransactionalIdAuthorizationFailedError,
  SecurityDisabledError, OperationNotAttemptedError, KafkaStorageError, LogDirNotFoundError,
  SaslAuthenticationFailedError, UnknownProducerIdError, ReassignmentInProgressError, NonEmptyGroupError,
  GroupIdNotFoundError, FetchSessionIdNotFoundError, InvalidFetchSessionEpochError,
  FencedLeaderEpochError, UnknownLeaderEpochError, UnsupportedCompressionTypeError,
  MemberIdRequiredError, PreferredLeaderNotAvailableError, EligibleLeadersNotAvailableError, ElectionNotNeededError, GroupMaxSizeReachedError, FencedInstanceIdError, GroupSubscribedToTopicError,
  InvalidRecordError, UnknownTopicIdError,
})) {
  byCode.set(value.info.code, value);
}

export function errorForCode(code: number, message?: string): KafkitError {
  const cls = byCode.get(code) ?? UnknownServerError;
  return new cls(message ?? cls.info.name);
}

/** Map anything thrown (fs errors included) to a KafkitError, without losing the message. */
export function toKafkitError(err: unknown): KafkitError {
  if (err instanceof KafkitError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
      return new KafkaStorageError(`No space left on device${e.path ? ` while writing ${e.path}` : ''}: free some disk space and retry.`, { cause: err });
    }
    if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') {
      return new KafkaStorageError(`Permission denied${e.path ? ` on ${e.path}` : ''}: check the data dir's permissions.`, { cause: err });
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new UnknownServerError(message, { cause: err });
}
