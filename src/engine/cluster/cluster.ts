// The local cluster's control plane: brokers, settings and topic metadata, stored in the data dir
// and shared by every process that opens it. Each change is made under one lock and written
// atomically; readers re-read the file whenever it was replaced. The data plane (appends, reads,
// high watermarks) lives in replica-manager.ts, so that metadata-only commands never load the log.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataDirError,
  InvalidPartitionsError,
  InvalidReplicaAssignmentError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  TopicExistsError,
  UnknownTopicOrPartitionError,
} from '../../errors.js';
import { readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';
import { withLockSync } from '../fs/lock.js';
import { effectiveTopicConfig, validateTopicConfigs } from '../../config/topic-configs.js';
import { assignReplicas } from './placement.js';
import { INTERNAL_TOPICS, validateTopicName } from './topic-name.js';
import { checkNewPartitions, checkNoCollision, checkPartitionIncrease, validateManualAssignment } from './topic-rules.js';
import { checkClusterFile, checkMetadataFile } from './metadata-shape.js';

export interface BrokerState {
  id: number;
  rack: string | null;
  state: 'online' | 'offline';
}

export interface PartitionState {
  partition: number;
  replicas: number[];
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
}

export interface TopicState {
  name: string;
  topicId: string;
  internal: boolean;
  /** Overrides only; defaults come from src/config/topic-configs.ts. */
  configs: Record<string, string>;
  partitions: PartitionState[];
}

export interface NewTopicSpec {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  replicaAssignment?: number[][];
  configs?: Record<string, string>;
}

interface ClusterFile {
  clusterId: string;
  brokers: BrokerState[];
  settings: Record<string, string>;
}

interface MetadataFile {
  version: number;
  topics: Record<string, TopicState>;
}

export const DEFAULT_SETTINGS: Record<string, string> = {
  'num.partitions': '1',
  'default.replication.factor': '1',
  'auto.create.topics.enable': 'true',
  'offsets.retention.minutes': '10080',
  'group.min.session.timeout.ms': '1000',
  'group.max.session.timeout.ms': '1800000',
  // Kafka's defaults: no fsync per append, the OS writes back. 1 makes every append durable before it is acknowledged.
  'log.flush.interval.messages': '9223372036854775807',
  'log.flush.interval.ms': '9223372036854775807',
};

/** A Kafka Uuid in its 22-character URL-safe base64 form; never starts with '-' (as Kafka ensures). */
export function randomTopicId(): string {
  for (;;) {
    // Web Crypto's global loads on first use; node:crypto imported here would load on every run.
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

export class Cluster {
  private clusterFile: ClusterFile;
  private metadata: MetadataFile = { version: 0, topics: {} };
  private metadataStamp = '';

  private constructor(
    readonly dataDir: string,
    clusterFile: ClusterFile,
  ) {
    this.clusterFile = clusterFile;
  }

  /** Opens the data dir's cluster, creating it (N brokers, default 3) on first use. */
  static open(dataDir: string, options: { brokers?: number } = {}): Cluster {
    const path = join(dataDir, 'cluster.json');
    let raw = readFileIfExists(path);
    if (!raw) {
      mkdirSync(dataDir, { recursive: true });
      withLockSync(join(dataDir, 'metadata.lock'), () => {
        if (readFileIfExists(path)) return;
        const n = options.brokers ?? 3;
        const file: ClusterFile = {
          clusterId: randomTopicId(),
          brokers: Array.from({ length: n }, (_, i) => ({ id: i + 1, rack: null, state: 'online' as const })),
          settings: { ...DEFAULT_SETTINGS },
        };
        writeFileAtomicSync(path, `${JSON.stringify(file, null, 2)}\n`);
        writeFileAtomicSync(join(dataDir, 'metadata.json'), `${JSON.stringify({ version: 0, topics: {} }, null, 2)}\n`);
      });
      raw = readFileIfExists(path);
    }
    let file: ClusterFile;
    try {
      file = checkClusterFile<ClusterFile>(JSON.parse(String(raw)));
    } catch (err) {
      throw new DataDirError(`${path} is corrupt (${(err as Error).message}); restore it from a backup or start with an empty data dir.`);
    }
    return new Cluster(dataDir, file);
  }

  get clusterId(): string {
    return this.clusterFile.clusterId;
  }

  brokers(): BrokerState[] {
    return this.clusterFile.brokers;
  }

  controllerId(): number {
    return Math.min(...this.clusterFile.brokers.map((b) => b.id));
  }

  settings(): Record<string, string> {
    return { ...DEFAULT_SETTINGS, ...this.clusterFile.settings, ...this.overrides };
  }

  private overrides: Record<string, string> = {};

  /** Settings for this process only (kafka-server-start --override); the data dir's own stay as they are. */
  overrideSettings(overrides: Record<string, string>): void {
    this.overrides = { ...this.overrides, ...overrides };
  }

  private get metadataPath(): string {
    return join(this.dataDir, 'metadata.json');
  }

  private get lockPath(): string {
    return join(this.dataDir, 'metadata.lock');
  }

  /** Re-reads metadata.json if another process replaced it since we last looked. */
  private load(): MetadataFile {
    let stamp: string;
    try {
      const st = statSync(this.metadataPath);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'none';
    }
    if (stamp === this.metadataStamp) return this.metadata;
    const raw = readFileIfExists(this.metadataPath);
    if (raw) {
      try {
        this.metadata = checkMetadataFile<MetadataFile>(JSON.parse(String(raw)));
      } catch (err) {
        throw new DataDirError(`${this.metadataPath} is corrupt (${(err as Error).message}); restore it from a backup or start with an empty data dir.`);
      }
    } else this.metadata = { version: 0, topics: {} };
    this.metadataStamp = stamp;
    return this.metadata;
  }

  private update<T>(fn: (m: MetadataFile) => T): T {
    return withLockSync(this.lockPath, () => {
      this.metadataStamp = '';
      const m = structuredClone(this.load());
      const result = fn(m);
      m.version++;
      writeFileAtomicSync(this.metadataPath, `${JSON.stringify(m)}\n`);
      this.metadataStamp = '';
      this.load();
      return result;
    });
  }

  topics(): TopicState[] {
    return Object.values(this.load().topics).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  topic(name: string): TopicState | undefined {
    return this.load().topics[name];
  }

  topicById(id: string): TopicState | undefined {
    return Object.values(this.load().topics).find((t) => t.topicId === id);
  }

  /** Effective value of every topic config (defaults overlaid with the overrides). */
  topicConfig(name: string): Record<string, string> {
    const t = this.topic(name);
    if (!t) throw unknownTopic(name);
    return effectiveTopicConfig(t.configs, this.settings());
  }

  replicaDir(brokerId: number, topic: string, partition: number): string {
    return join(this.dataDir, `broker-${brokerId}`, `${topic}-${partition}`);
  }

  partitionStateDir(topic: string, partition: number): string {
    return join(this.dataDir, 'partitions', `${topic}-${partition}`);
  }

  createTopic(spec: NewTopicSpec): TopicState {
    validateTopicName(spec.name);
    const configs = spec.configs ?? {};
    validateTopicConfigs(configs);
    const settings = this.settings();
    const brokerIds = this.brokers().map((b) => b.id);
    let assignment: number[][];
    if (spec.replicaAssignment) {
      assignment = spec.replicaAssignment;
      validateManualAssignment(assignment, brokerIds);
    } else {
      const partitions = spec.partitions ?? Number(settings['num.partitions']);
      const rf = spec.replicationFactor ?? Number(settings['default.replication.factor']);
      if (rf < 1 || rf > 32767) throw new InvalidReplicationFactorError('The replication factor must be between 1 and 32767 inclusive');
      if (partitions < 1) throw new InvalidPartitionsError('The partitions must be greater than 0');
      checkNewPartitions(partitions, this.topics(), settings);
      assignment = assignReplicas(brokerIds, partitions, rf);
    }
    const topic = this.update((m) => {
      if (m.topics[spec.name]) throw new TopicExistsError(`Topic '${spec.name}' already exists.`);
      checkNoCollision(spec.name, Object.keys(m.topics));
      const t: TopicState = {
        name: spec.name,
        topicId: randomTopicId(),
        internal: INTERNAL_TOPICS.has(spec.name),
        configs: { ...configs },
        partitions: assignment.map((replicas, partition) => ({ partition, replicas, leader: replicas[0], leaderEpoch: 0, isr: [...replicas] })),
      };
      m.topics[spec.name] = t;
      return t;
    });
    for (const p of topic.partitions) this.createReplicaDirs(topic.name, p);
    return topic;
  }

  private createReplicaDirs(topic: string, p: PartitionState): void {
    for (const b of p.replicas) mkdirSync(this.replicaDir(b, topic, p.partition), { recursive: true });
    mkdirSync(this.partitionStateDir(topic, p.partition), { recursive: true });
  }

  deleteTopic(name: string): void {
    const removed = this.update((m) => {
      const t = m.topics[name];
      if (!t) throw unknownTopic(name);
      delete m.topics[name];
      return t;
    });
    for (const p of removed.partitions) {
      for (const b of p.replicas) rmSync(this.replicaDir(b, name, p.partition), { recursive: true, force: true });
      rmSync(this.partitionStateDir(name, p.partition), { recursive: true, force: true });
    }
  }

  createPartitions(name: string, totalCount: number, assignment?: number[][]): void {
    const brokerIds = this.brokers().map((b) => b.id);
    const added = this.update((m) => {
      const t = m.topics[name];
      if (!t) throw unknownTopic(name);
      const current = t.partitions.length;
      checkPartitionIncrease(name, current, totalCount);
      checkNewPartitions(totalCount - current, Object.values(m.topics), this.settings());
      const rf = t.partitions[0].replicas.length;
      let replicas: number[][];
      if (assignment) {
        replicas = assignment;
        if (replicas.length !== totalCount - current) {
          throw new InvalidReplicaAssignmentError(`Increasing the number of partitions by ${totalCount - current} but ${replicas.length} assignments provided.`);
        }
        validateManualAssignment([t.partitions[0].replicas, ...replicas], brokerIds);
      } else {
        const sorted = [...brokerIds].sort((a, b) => a - b);
        const leader = t.partitions[0].leader ?? sorted[0];
        const start = Math.max(0, sorted.findIndex((id) => id >= leader));
        replicas = assignReplicas(sorted, totalCount - current, rf, { startIndex: start, firstPartitionId: current });
      }
      const fresh = replicas.map((r, i) => ({ partition: current + i, replicas: r, leader: r[0], leaderEpoch: 0, isr: [...r] }));
      t.partitions.push(...fresh);
      return fresh;
    });
    for (const p of added) this.createReplicaDirs(name, p);
  }

  alterTopicConfigs(name: string, changes: Record<string, string | null>): void {
    const sets: Record<string, string> = {};
    for (const [k, v] of Object.entries(changes)) if (v !== null) sets[k] = v;
    validateTopicConfigs(sets);
    this.update((m) => {
      const t = m.topics[name];
      if (!t) throw unknownTopic(name);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete t.configs[k];
        else t.configs[k] = v;
      }
    });
  }

  /** The topic, auto-created with the cluster defaults when the settings allow it (as a stock broker does). */
  ensureTopic(name: string): TopicState {
    const t = this.topic(name);
    if (t) return t;
    if (this.settings()['auto.create.topics.enable'] !== 'true') throw unknownTopic(name);
    try {
      return this.createTopic({ name });
    } catch (err) {
      if (err instanceof TopicExistsError) return this.topic(name)!;
      throw err;
    }
  }
}

export function unknownTopic(name: string): UnknownTopicOrPartitionError {
  return new UnknownTopicOrPartitionError(`Topic '${name}' does not exist: create it with kafka-topics --create --topic ${name}.`);
}

