// The contract both backends meet. Commands see only these types: nothing in src/commands may
// know whether it talks to the embedded engine or to a remote cluster.
//
// Conventions:
// - Offsets and timestamps are JS numbers (int64 values stay exact up to 2^53, far beyond any real log).
// - Keys, values and header values are Buffers; null means null on the wire (a null value is a tombstone).
// - Every failure is thrown as a KafkitError subclass from src/errors.ts.

export type Acks = 0 | 1 | -1;
export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** Kafka-style key=value properties (producer, consumer, admin or connection configs). */
export type Properties = Record<string, string>;

export interface ClientOptions {
  /** `--bootstrap-server`; absent means the embedded engine. */
  bootstrapServer?: string;
  /** Embedded only: the data dir ($KAFKIT_DATA_DIR, else ./.kafkit). */
  dataDir?: string;
  /** Connection and admin properties (`--command-config`, security.protocol, sasl.*, ssl.*). */
  properties?: Properties;
  /** Bound on every admin call and on connecting, in ms. */
  timeoutMs?: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// Admin

export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface ClusterDescription {
  clusterId: string;
  controllerId: number | null;
  brokers: BrokerInfo[];
}

export interface PartitionDescription {
  partition: number;
  /** null when the partition has no leader. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  /** Eligible leader replicas; null when the backend cannot tell (prints `N/A`). */
  elr: number[] | null;
  lastKnownElr: number[] | null;
}

export interface TopicDescription {
  name: string;
  /** 22-character base64 Kafka Uuid. */
  topicId: string;
  internal: boolean;
  partitions: PartitionDescription[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  /** True when the value is the default (not an override). `--describe` shows only non-defaults. */
  isDefault: boolean;
  isSensitive: boolean;
}

export interface NewTopic {
  name: string;
  /** Omitted: the cluster default (num.partitions). */
  partitions?: number;
  /** Omitted: the cluster default (default.replication.factor). */
  replicationFactor?: number;
  /** Manual assignment: replicas per partition, partition 0 first. */
  replicaAssignment?: number[][];
  configs?: Record<string, string>;
}

/**
 * 'max-timestamp': the record with the largest timestamp (Kafka's OffsetSpec.maxTimestamp, ListOffsets v7).
 * 'earliest-local' and 'latest-tiered' ask about tiered storage (KIP-405, v8 and v9): without it, the
 * log start and -1.
 */
export type OffsetSpec = 'earliest' | 'latest' | 'max-timestamp' | 'earliest-local' | 'latest-tiered' | { timestamp: number };

export interface ListedOffset extends TopicPartition {
  /** -1 when no record has a timestamp >= the one asked for. */
  offset: number;
  timestamp: number;
}

/** One partition's answer to deleteRecords: its new log start offset. */
export interface DeletedRecords extends TopicPartition {
  /** -1 when the deletion failed. */
  lowWatermark: number;
}

export type GroupState =
  | 'Stable'
  | 'Empty'
  | 'Dead'
  | 'PreparingRebalance'
  | 'CompletingRebalance'
  | 'Assigning'
  | 'Reconciling'
  | 'Unknown';

export type GroupType = 'Classic' | 'Consumer';

export interface GroupListing {
  groupId: string;
  state: GroupState;
  type: GroupType;
  protocolType: string;
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  /** As Kafka reports it, e.g. `/127.0.0.1`. */
  host: string;
  assignment: TopicPartition[];
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  type: GroupType;
  protocolType: string;
  /** Assignor name (`range`, `roundrobin`, `sticky`, `cooperative-sticky`), '' when none. */
  assignmentStrategy: string;
  coordinator: BrokerInfo | null;
  members: MemberDescription[];
}

export interface CommittedOffset extends TopicPartition {
  offset: number;
  leaderEpoch: number | null;
  metadata: string;
}

/** Result of a per-item operation that may fail item by item (deleteGroups, deleteOffsets). */
export type ElectionType = 'PREFERRED' | 'UNCLEAN';

export interface ItemResult<T> {
  item: T;
  /** undefined on success. */
  error?: Error;
}

/** A config resource as the config APIs name it; a broker's name is its id, '' for the cluster-wide defaults. */
export interface ConfigResource {
  type: 'topic' | 'broker' | 'group';
  name: string;
}

/** Kafka's ConfigEntry.ConfigSource names. */
export type ConfigSource =
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'DYNAMIC_GROUP_CONFIG'
  | 'UNKNOWN';

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSource;
}

/** One config of a resource as DescribeConfigs reports it: value, where it comes from, and its synonyms (most specific first). */
export interface DescribedConfig {
  name: string;
  value: string | null;
  source: ConfigSource;
  isSensitive: boolean;
  synonyms: ConfigSynonym[];
}

/** An IncrementalAlterConfigs operation: set a value or remove an override. */
export type ConfigChange = { name: string; op: 'set'; value: string } | { name: string; op: 'delete' };

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** What one broker answered to ApiVersions, or why it did not. */
export interface BrokerApiVersions {
  broker: BrokerInfo;
  apiVersions?: ApiVersionRange[];
  error?: string;
}

export interface ReplicaLogInfo {
  topic: string;
  partition: number;
  /** Bytes of the replica's log segments. */
  size: number;
  /** max(high watermark - this replica's log end offset, 0), as Kafka reports it. */
  offsetLag: number;
  isFuture: boolean;
}

export interface LogDirDescription {
  path: string;
  /** Kafka's error name for the dir, null when it is readable. */
  error: string | null;
  replicas: ReplicaLogInfo[];
}

export interface BrokerLogDirs {
  broker: number;
  logDirs: LogDirDescription[];
}

export interface Admin {
  describeCluster(): Promise<ClusterDescription>;

  /** Topic names, sorted; internal topics only when asked for. */
  listTopics(options?: { includeInternal?: boolean }): Promise<string[]>;
  /** Describes the named topics (all topics when omitted), sorted by name. Unknown names throw UnknownTopicOrPartitionError. */
  describeTopics(names?: string[]): Promise<TopicDescription[]>;
  describeTopicById(topicId: string): Promise<TopicDescription>;
  createTopic(topic: NewTopic): Promise<void>;
  deleteTopics(names: string[]): Promise<void>;
  /** Grows the topic to `totalCount` partitions; `assignment` lists replicas for the new partitions only. */
  createPartitions(topic: string, totalCount: number, assignment?: number[][]): Promise<void>;
  /** Every valid topic config with its effective value; `isDefault` false for overrides. */
  describeTopicConfigs(topic: string): Promise<ConfigEntry[]>;
  /** Sets (value string) or deletes (null) topic config overrides. */
  alterTopicConfigs(topic: string, changes: Record<string, string | null>): Promise<void>;

  /** DescribeConfigs for one resource: every config (not only overrides), sorted by name, with synonyms. */
  describeConfigs(resource: ConfigResource): Promise<DescribedConfig[]>;
  /** IncrementalAlterConfigs for one resource. */
  incrementalAlterConfigs(resource: ConfigResource, changes: ConfigChange[]): Promise<void>;
  /** ApiVersions of every broker in the cluster. */
  brokerApiVersions(): Promise<BrokerApiVersions[]>;
  /** DescribeLogDirs: the given brokers (all when omitted), replicas of the given topics (all when omitted). */
  describeLogDirs(brokers?: number[], topics?: string[]): Promise<BrokerLogDirs[]>;
  /**
   * ElectLeaders (kafka-leader-election): one result per partition asked for, its error Kafka's
   * (ElectionNotNeededError, PreferredLeaderNotAvailableError, ...). Without `partitions`, every
   * partition of the cluster, and as Kafka's controller does, those needing no election are left out.
   */
  electLeaders(type: ElectionType, partitions?: TopicPartition[]): Promise<ItemResult<TopicPartition>[]>;

  listOffsets(requests: Array<TopicPartition & { spec: OffsetSpec }>, isolationLevel?: IsolationLevel): Promise<ListedOffset[]>;
  /**
   * DeleteRecords: moves each partition's log start offset up to `offset` (-1: the high watermark).
   * Fails partition by partition; an offset beyond the high watermark is OffsetOutOfRangeError.
   */
  deleteRecords(offsets: TopicPartitionOffset[]): Promise<ItemResult<DeletedRecords>[]>;

  listGroups(): Promise<GroupListing[]>;
  /** Unknown groups come back with state 'Dead' and no members. */
  describeGroups(groupIds: string[]): Promise<GroupDescription[]>;
  /** Committed offsets of a group; all partitions with a commit when `partitions` is omitted. */
  fetchCommittedOffsets(groupId: string, partitions?: TopicPartition[]): Promise<CommittedOffset[]>;
  /** Commits offsets for an inactive group (reset-offsets). */
  alterCommittedOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  deleteGroups(groupIds: string[]): Promise<ItemResult<string>[]>;
  deleteCommittedOffsets(groupId: string, partitions: TopicPartition[]): Promise<ItemResult<TopicPartition>[]>;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Producer

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface ProducerRecord {
  topic: string;
  /** Omitted: Kafka's default partitioner (murmur2 of the key, else uniform sticky). */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Omitted: now (CreateTime). */
  timestamp?: number;
}

export interface ProducerOptions {
  acks: Acks;
  compression: CompressionCodec;
  /**
   * batch.size in bytes. Omitted: the backend's default, Java's console producer's 16384 embedded and
   * librdkafka's 1 MB remote (with 16 KB batches librdkafka sends a request per batch: 2-3x slower).
   */
  batchSize?: number;
  /** linger.ms. Omitted: the backend's default, Java's console producer's 1000 embedded, librdkafka's 5 remote. */
  lingerMs?: number;
  /**
   * Called when this client's use of a missing topic had it auto-created (auto.create.topics.enable):
   * a typo'd name otherwise creates a topic silently. Only the embedded backend reports it.
   */
  onTopicCreated?: (topic: string) => void;
  clientId: string;
  /** Remaining producer properties (`--producer-property`, `--producer.config`). */
  properties: Properties;
  /**
   * send() will be given callbacks (kafka-producer-perf-test). The remote backend then asks
   * librdkafka for a report per record, which costs the console producer's hot path too much to
   * ask for otherwise.
   */
  deliveryReports?: boolean;
}

/** Called once per record: with no error once the record is acknowledged as `acks` asks, else with why it failed. */
export type SendCallback = (error: Error | undefined) => void;

export interface Producer {
  /**
   * Queues a record for sending. Returns a promise only when the caller must wait before queueing
   * more (the buffer is full); otherwise undefined, so that the hot path allocates nothing.
   * Send failures surface from the next flush(), and from `onAcknowledged` when given (remotely,
   * only if the producer was created with `deliveryReports`).
   */
  send(record: ProducerRecord, onAcknowledged?: SendCallback): Promise<void> | undefined;
  /**
   * Optional fast path (the embedded backend has it): queues `count` records with a null key, no
   * headers and no timestamp, whose values are `data[starts[i], ends[i])` (starts[i] < 0: a null
   * value). The same as calling send() for each, without a Buffer and an object per record.
   * The bytes are copied (or sent) before it returns.
   */
  sendValues?(topic: string, data: Buffer, starts: Int32Array, ends: Int32Array, count: number): Promise<void> | undefined;
  /** Sends everything queued and waits for the acknowledgements `acks` asks for. Rejects with the first failure. */
  flush(): Promise<void>;
  /** flush(), then release resources. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Consumer

export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: TimestampType;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  leaderEpoch: number | null;
}

/** How Consumer.pollValues prints a record: its value (nullLiteral when null), then separator. */
export interface ValueLineFormat {
  separator: Buffer;
  nullLiteral: Buffer;
}

/** Where Consumer.pollValues appends what it prints. */
export interface ByteSink {
  bytesOf(data: Uint8Array, start: number, end: number): void;
}

/** Kafka's assignor protocol names. The embedded coordinator rebalances eagerly for all of them. */
export type AssignmentStrategy = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

export interface ConsumerOptions {
  /** Group to join with subscribe(); required for subscribe(), unused by assign(). */
  groupId?: string;
  /**
   * The group id was made up for this one consumer (the console consumer without --group). The
   * embedded backend reads every partition alone when such a group cannot be written (a full disk).
   */
  privateGroup?: boolean;
  /**
   * Called when this client's use of a missing topic had it auto-created (auto.create.topics.enable):
   * a typo'd name otherwise creates a topic silently. Only the embedded backend reports it.
   */
  onTopicCreated?: (topic: string) => void;
  clientId: string;
  /** enable.auto.commit. */
  autoCommit: boolean;
  /** Where to start when the group has no committed offset. */
  autoOffsetReset: 'earliest' | 'latest' | 'none';
  isolationLevel: IsolationLevel;
  assignmentStrategy: AssignmentStrategy;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Remaining consumer properties. */
  properties: Properties;
}

export interface Consumer {
  /** Joins the group for these topics, or for every non-internal topic matching the pattern (also topics created later). */
  subscribe(topics: string[] | RegExp): Promise<void>;
  /** Manual assignment, no group membership. Starts at `latest` unless seek() is called. */
  assign(partitions: TopicPartition[]): Promise<void>;
  /** Moves the position of an assigned partition. */
  seek(tp: TopicPartition, offset: number | 'earliest' | 'latest'): Promise<void>;
  /**
   * Waits up to `timeoutMs` for records and returns them (possibly none). Heartbeats and
   * rebalances happen inside poll. The position advances past every returned record.
   */
  poll(timeoutMs: number): Promise<ConsumerRecord[]>;
  /**
   * Optional fast path of poll() for printing values only (the embedded backend has it): waits as
   * poll() does, then appends up to `max` records to `sink` as `format` says, a batch at a time
   * with no object per record. The position advances past every record appended. Resolves to how
   * many were appended. Use poll() or pollValues() on a consumer, not both.
   */
  pollValues?(timeoutMs: number, max: number, format: ValueLineFormat, sink: ByteSink): Promise<number>;
  /** Partitions currently assigned to this member. */
  assignment(): TopicPartition[];
  /** Commits the current positions (or the given offsets) for the group. */
  commit(offsets?: TopicPartitionOffset[]): Promise<void>;
  /** Makes a pending or the next poll() return at once with what it has. Safe from signal handlers. */
  wakeup(): void;
  /** Commits positions if autoCommit, leaves the group, releases resources. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The client: one per command run.

export interface KafkaClient {
  readonly kind: 'embedded' | 'remote';
  admin(): Promise<Admin>;
  producer(options: ProducerOptions): Promise<Producer>;
  consumer(options: ConsumerOptions): Promise<Consumer>;
  close(): Promise<void>;
}
