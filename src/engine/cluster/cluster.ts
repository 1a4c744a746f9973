// The local cluster's control plane: brokers, settings and topic metadata, stored in the data dir
// and shared by every process that opens it. Each change is made under one lock and written
// atomically; readers re-read the file whenever it was replaced. The data plane (appends, reads,
// high watermarks) lives in replica-manager.ts, so that metadata-only commands never load the log.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BrokerAlreadyRunningError,
  BrokerNotAvailableError,
  DataDirError,
  InvalidPartitionsError,
  InvalidReplicaAssignmentError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  KafkaStorageError,
  TopicExistsError,
  UnknownTopicOrPartitionError,
} from '../../errors.js';
import { readFileIfExists, removeStaleTmpFiles, writeFileAtomicSync } from '../fs/atomic-file.js';
import { withLockSync } from '../fs/lock.js';
import { effectiveTopicConfig, validateTopicConfigs } from '../../config/topic-configs.js';
import { assignReplicas } from './placement.js';
import { INTERNAL_TOPICS, validateTopicName } from './topic-name.js';
import { allocatedBytes, claimPartitionDir, removePartitionDir, sweepDeletedDirs } from './partition-dirs.js';
import { brokerAlive, DEFAULT_SESSION_TIMEOUT_MS, ownerAlive, type BrokerOwner, type BrokerRecord } from './liveness.js';
import { addToIsr, elect, electIfLeaderless, imbalancedPartitions, removeBroker, removeFromIsr, type ElectionOutcome, type ElectionType, type Eligibility } from './election.js';
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
  /** Dynamic configs per broker id and per group (kafka-configs); absent until first set. */
  brokerConfigs?: Record<string, Record<string, string>>;
  groupConfigs?: Record<string, Record<string, string>>;
}

interface MetadataFile {
  version: number;
  topics: Record<string, TopicState>;
  /** Liveness per broker id; a broker without an entry is an embedded one, online. */
  brokers?: Record<string, BrokerRecord>;
}

export interface ElectionResult {
  topic: string;
  partition: number;
  outcome: ElectionOutcome | 'UNKNOWN_TOPIC_OR_PARTITION';
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
  'broker.session.timeout.ms': String(DEFAULT_SESSION_TIMEOUT_MS),
  'unclean.leader.election.enable': 'false',
  'auto.leader.rebalance.enable': 'true',
  // Kafka checks every 300 s; a local cluster restarts brokers in seconds, so it looks every 5 s.
  'leader.imbalance.check.interval.seconds': '5',
  'leader.imbalance.per.broker.percentage': '10',
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
    // A kill between a temp file's write and its rename leaves it behind (metadata.json.<pid>...tmp).
    removeStaleTmpFiles(dataDir);
    return new Cluster(dataDir, file);
  }

  get clusterId(): string {
    return this.clusterFile.clusterId;
  }

  brokers(): BrokerState[] {
    return this.clusterFile.brokers;
  }

  /** The lowest live broker id plays the controller (any process may act for it: the rules are in the data). */
  controllerId(): number {
    const live = [...this.liveBrokerIds()];
    return Math.min(...(live.length > 0 ? live : this.clusterFile.brokers.map((b) => b.id)));
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

  /** `fsync: false` only for a change whose loss in an OS crash is safe (an ISR expansion: the replica just syncs again). */
  private update<T>(fn: (m: MetadataFile) => T, options: { fsync?: boolean } = {}): T {
    return withLockSync(this.lockPath, () => {
      this.metadataStamp = '';
      const m = structuredClone(this.load());
      const result = fn(m);
      m.version++;
      writeFileAtomicSync(this.metadataPath, `${JSON.stringify(m)}\n`, { ...options, releaseOldLater: true });
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
      // As KRaft's controller, place replicas on unfenced brokers only.
      const live = this.liveBrokerIds();
      assignment = assignReplicas(brokerIds.filter((b) => live.has(b)), partitions, rf);
    }
    return this.updateWithDirs((m) => {
      if (m.topics[spec.name]) throw new TopicExistsError(`Topic '${spec.name}' already exists.`);
      checkNoCollision(spec.name, Object.keys(m.topics));
      const t: TopicState = {
        name: spec.name,
        topicId: randomTopicId(),
        internal: INTERNAL_TOPICS.has(spec.name),
        configs: { ...configs },
        partitions: assignment.map((replicas, partition) => this.initialState(partition, replicas)),
      };
      m.topics[spec.name] = t;
      return { result: t, topic: t, partitions: t.partitions };
    });
  }

  /**
   * A metadata change that adds partitions: their dirs are made first, under the metadata lock, and
   * removed again if metadata.json cannot be written (a full disk), so that no process ever sees a
   * partition without its dirs, nor dirs of a partition metadata.json does not name.
   */
  private updateWithDirs<T>(fn: (m: MetadataFile) => { result: T; topic: TopicState; partitions: PartitionState[] }): T {
    return withLockSync(this.lockPath, () => {
      sweepDeletedDirs(this.dataDir);
      let made: { topic: TopicState; partitions: PartitionState[] } | undefined;
      try {
        return this.update((m) => {
          const change = fn(m);
          made = change;
          for (const p of change.partitions) this.createReplicaDirs(change.topic, p);
          return change.result;
        });
      } catch (err) {
        if (made) for (const p of made.partitions) this.removeReplicaDirs(made.topic.name, p);
        throw err;
      }
    });
  }

  /** A new partition: led by its first live replica, with the live replicas in sync. */
  private initialState(partition: number, replicas: number[]): PartitionState {
    const live = this.liveBrokerIds();
    const isr = replicas.filter((b) => live.has(b));
    return { partition, replicas, leader: isr[0] ?? null, leaderEpoch: 0, isr: isr.length > 0 ? isr : [...replicas] };
  }

  private createReplicaDirs(topic: TopicState, p: PartitionState): void {
    for (const b of p.replicas) claimPartitionDir(this.replicaDir(b, topic.name, p.partition), topic.topicId);
    claimPartitionDir(this.partitionStateDir(topic.name, p.partition), topic.topicId);
  }

  private removeReplicaDirs(name: string, p: PartitionState): void {
    for (const b of p.replicas) removePartitionDir(this.replicaDir(b, name, p.partition));
    removePartitionDir(this.partitionStateDir(name, p.partition));
  }

  private fileHolders = new Set<(topic: string) => void>();

  /** `release(topic)` runs before a topic's files are removed, so that this process holds none of them open. Returns the unsubscribe. */
  onTopicFilesRemoval(release: (topic: string) => void): () => void {
    this.fileHolders.add(release);
    return () => this.fileHolders.delete(release);
  }

  private releaseFiles(topic: string): void {
    for (const release of this.fileHolders) release(topic);
  }

  deleteTopic(name: string): void {
    const drop = (m: MetadataFile): TopicState => {
      const t = m.topics[name];
      if (!t) throw unknownTopic(name);
      delete m.topics[name];
      return t;
    };
    const removed = withLockSync(this.lockPath, () => {
      try {
        return this.update(drop);
      } catch (err) {
        if (!(err instanceof KafkaStorageError)) throw err;
        return this.deleteOnFullDisk(name, drop, err);
      }
    });
    // The topic is gone once metadata.json says so; a kill from here on leaves dirs stamped with
    // the old topic id (or renamed -delete), which a new topic of the same name never adopts.
    this.releaseFiles(name);
    for (const p of removed.partitions) this.removeReplicaDirs(name, p);
  }

  /**
   * A full disk has no room for the new copy of metadata.json that a deletion writes, and deleting
   * a topic is how a user frees space (Kafka's controller cannot either, once its log dir is full).
   * The topic's files are what the user wants gone: they go first when they take room enough for
   * that copy; else nothing changes. A kill between the two leaves the topic listed and empty.
   */
  private deleteOnFullDisk(name: string, drop: (m: MetadataFile) => TopicState, err: KafkaStorageError): TopicState {
    const m = structuredClone(this.load());
    const t = drop(m);
    const dirs = t.partitions.flatMap((p) => [...p.replicas.map((b) => this.replicaDir(b, name, p.partition)), this.partitionStateDir(name, p.partition)]);
    // The copy, and a block of slack for its tmp file's inode and the rename.
    const needed = Buffer.byteLength(JSON.stringify(m)) + 2 * 4096;
    if (dirs.reduce((n, d) => n + allocatedBytes(d), 0) < needed) throw err;
    this.releaseFiles(name);
    for (const p of t.partitions) this.removeReplicaDirs(name, p);
    try {
      return this.update(drop);
    } catch (again) {
      if (!(again instanceof KafkaStorageError)) throw again;
      // Another process may hold the files open: their space comes back when it lets go of them.
      throw new KafkaStorageError(`The records of topic '${name}' are deleted but ${this.metadataPath} could not be written for lack of space (a running process may hold the deleted files open): free some disk space and run --delete again.`, { cause: again });
    }
  }

  createPartitions(name: string, totalCount: number, assignment?: number[][]): void {
    const brokerIds = this.brokers().map((b) => b.id);
    this.updateWithDirs((m) => {
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
        const live = this.liveBrokerIds();
        const sorted = brokerIds.filter((b) => live.has(b)).sort((a, b) => a - b);
        const leader = t.partitions[0].leader ?? sorted[0];
        const start = Math.max(0, sorted.findIndex((id) => id >= leader));
        replicas = assignReplicas(sorted, totalCount - current, rf, { startIndex: start, firstPartitionId: current });
      }
      const fresh = replicas.map((r, i) => this.initialState(current + i, r));
      t.partitions.push(...fresh);
      return { result: undefined, topic: t, partitions: fresh };
    });
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

  // ---- brokers that fail and come back ---------------------------------------------------------

  private liveCache: { at: number; version: number; live: Set<number> } | undefined;

  private brokerRecords(m: MetadataFile = this.load()): Record<string, BrokerRecord> {
    return m.brokers ?? {};
  }

  brokerRecord(id: number): BrokerRecord | undefined {
    return this.brokerRecords()[String(id)];
  }

  /** The brokers that are alive now: embedded ones unless stopped, served ones while their process lives. */
  liveBrokerIds(): Set<number> {
    const m = this.load();
    const now = Date.now();
    // Asking /proc for every broker on every append would cost more than the append: 100 ms is far
    // below any session timeout.
    if (this.liveCache && this.liveCache.version === m.version && now - this.liveCache.at < 100) return this.liveCache.live;
    const live = this.liveFrom(m);
    this.liveCache = { at: now, version: m.version, live };
    return live;
  }

  private eligibility(topic: TopicState, live: Set<number>): Eligibility {
    const unclean = effectiveTopicConfig(topic.configs, this.settings())['unclean.leader.election.enable'] === 'true';
    return { alive: (b) => live.has(b), unclean };
  }

  private checkBroker(id: number): void {
    if (!this.brokers().some((b) => b.id === id)) {
      throw new BrokerNotAvailableError(`Broker ${id} is not a broker of this cluster (its brokers are ${this.brokers().map((b) => b.id).join(', ')}).`);
    }
  }

  /**
   * The controller's duty, done by whichever process looks first: a broker whose process died (or
   * stopped renewing its lease) is fenced, and partitions it led get a new leader. Returns the
   * fenced broker ids. A no-op costing a few stats when nothing changed.
   */
  reconcile(): number[] {
    const m0 = this.load();
    const dead = this.deadOwnedBrokers(m0);
    if (dead.length === 0) {
      const live = this.liveBrokerIds();
      // Only a partition whose election would change something is worth a metadata write.
      const electable = Object.values(m0.topics).some((t) => {
        const e = this.eligibility(t, live);
        return t.partitions.some((p) => (p.leader === null || !live.has(p.leader)) && electIfLeaderless({ ...p, isr: [...p.isr] }, e));
      });
      if (!electable) return [];
    }
    return this.update((m) => {
      const fenced = this.deadOwnedBrokers(m);
      for (const id of fenced) {
        const rec = this.brokerRecords(m)[String(id)];
        m.brokers![String(id)] = { state: 'stopped', epoch: rec.epoch };
      }
      this.liveCache = undefined;
      const live = this.liveFrom(m);
      for (const t of Object.values(m.topics)) {
        const e = this.eligibility(t, live);
        for (const p of t.partitions) {
          for (const id of fenced) removeBroker(p, id, e);
          electIfLeaderless(p, e);
        }
      }
      return fenced;
    });
  }

  private deadOwnedBrokers(m: MetadataFile): number[] {
    const now = Date.now();
    return Object.entries(this.brokerRecords(m))
      .filter(([id, r]) => r.state === 'online' && r.owner && !ownerAlive(this.dataDir, Number(id), r.owner, now))
      .map(([id]) => Number(id));
  }

  private liveFrom(m: MetadataFile): Set<number> {
    const records = this.brokerRecords(m);
    const now = Date.now();
    return new Set(this.brokers().filter((b) => brokerAlive(this.dataDir, b.id, records[String(b.id)], now)).map((b) => b.id));
  }

  /**
   * A kafka-server-start process takes broker `id` (owner given), or an embedded broker comes
   * back (owner undefined). Refused while another live process serves it. Leaderless partitions
   * it can lead get it as leader; it rejoins ISRs only once caught up (catch-up.ts).
   */
  startBroker(id: number, owner?: BrokerOwner, endpoint?: { host: string; port: number }): void {
    this.checkBroker(id);
    this.update((m) => {
      m.brokers ??= {};
      const rec = m.brokers[String(id)];
      if (rec?.state === 'online' && rec.owner && rec.owner.pid !== process.pid && ownerAlive(this.dataDir, id, rec.owner)) {
        throw new BrokerAlreadyRunningError(
          `Broker ${id} is already served by process ${rec.owner.pid}: stop it first (kafka-server-stop --node-id ${id}) or start another node id.`,
        );
      }
      m.brokers[String(id)] = { state: 'online', ...(owner ? { owner } : {}), ...(endpoint ? { endpoint } : {}), epoch: (rec?.epoch ?? 0) + 1 };
      this.liveCache = undefined;
      const live = this.liveFrom(m);
      for (const t of Object.values(m.topics)) {
        const e = this.eligibility(t, live);
        for (const p of t.partitions) electIfLeaderless(p, e);
      }
    });
  }

  /**
   * Controlled shutdown (kafka-server-stop, Ctrl-C) or a simulated failure of an embedded broker:
   * its partitions' leadership moves to live ISR members, it leaves every ISR, and it is fenced,
   * all in one metadata change.
   */
  stopBroker(id: number): void {
    this.checkBroker(id);
    this.update((m) => {
      m.brokers ??= {};
      const rec = m.brokers[String(id)];
      if (rec?.state === 'stopped') throw new BrokerNotAvailableError(`Broker ${id} is not running: nothing to stop (start it with kafka-server-start --node-id ${id}).`);
      m.brokers[String(id)] = { state: 'stopped', epoch: rec?.epoch ?? 0 };
      this.liveCache = undefined;
      const live = this.liveFrom(m);
      for (const t of Object.values(m.topics)) {
        const e = this.eligibility(t, live);
        for (const p of t.partitions) removeBroker(p, id, e);
      }
    });
  }

  /** kafka-leader-election: every partition of `targets` (all when undefined), with Kafka's per-partition outcome. */
  electLeaders(type: ElectionType, targets?: Array<{ topic: string; partition: number }>): ElectionResult[] {
    this.reconcile();
    return this.update((m) => {
      const live = this.liveFrom(m);
      const results: ElectionResult[] = [];
      const all = targets ?? Object.values(m.topics).flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
      for (const { topic, partition } of all) {
        const t = m.topics[topic];
        const p = t?.partitions[partition];
        if (!t || !p) {
          results.push({ topic, partition, outcome: 'UNKNOWN_TOPIC_OR_PARTITION' });
          continue;
        }
        results.push({ topic, partition, outcome: elect(p, type, { ...this.eligibility(t, live), unclean: true }) });
      }
      return results;
    });
  }

  /** auto.leader.rebalance.enable: preferred leaders take their partitions back once in sync. */
  rebalanceLeaders(): number {
    const s = this.settings();
    if (s['auto.leader.rebalance.enable'] !== 'true') return 0;
    const pct = Number(s['leader.imbalance.per.broker.percentage']);
    const live = this.liveBrokerIds();
    const parts = this.topics().flatMap((t) => t.partitions);
    if (imbalancedPartitions(parts, { alive: (b) => live.has(b), unclean: false }, pct).length === 0) return 0;
    return this.update((m) => {
      const liveNow = this.liveFrom(m);
      let moved = 0;
      const all = Object.values(m.topics).flatMap((t) => t.partitions);
      for (const p of imbalancedPartitions(all, { alive: (b) => liveNow.has(b), unclean: false }, pct)) {
        if (elect(p, 'PREFERRED', { alive: (b) => liveNow.has(b), unclean: false }) === 'elected') moved++;
      }
      return moved;
    });
  }

  /** A follower that caught up with its leader rejoins the ISR. Call with the partition's append lock held. */
  expandIsr(topic: string, partition: number, broker: number): boolean {
    // Not fsynced: after a copy of a whole segment an fsync waits for its write-back to the disk, and
    // an expansion lost in an OS crash is harmless (the replica is out of sync again and re-syncs).
    return this.update(
      (m) => {
        const p = m.topics[topic]?.partitions[partition];
        return p ? addToIsr(p, broker) : false;
      },
      { fsync: false },
    );
  }

  /** A replica that could not take a write, or is damaged, leaves the ISR. */
  shrinkIsr(topic: string, partition: number, broker: number): boolean {
    const p = this.topic(topic)?.partitions[partition];
    if (!p || !p.isr.includes(broker) || p.isr.length <= 1) return false;
    return this.update((m) => {
      const q = m.topics[topic]?.partitions[partition];
      return q ? removeFromIsr(q, broker) : false;
    });
  }

  /** The topic, auto-created with the cluster defaults when the settings allow it (as a stock broker does). */
  ensureTopic(name: string): TopicState {
    const t = this.topic(name);
    if (t) return t;
    // Kafka never auto-creates its internal topics for a client; kafkit keeps groups in files.
    if (INTERNAL_TOPICS.has(name) || this.settings()['auto.create.topics.enable'] !== 'true') throw unknownTopic(name);
    try {
      return this.createTopic({ name });
    } catch (err) {
      if (err instanceof TopicExistsError) return this.topic(name)!;
      throw err;
    }
  }

  /**
   * Dynamic configs of an entity as cluster.json holds them: a broker's own ('1'), the cluster-wide
   * broker defaults (broker '' = the settings) or a group's. Re-reads cluster.json.
   */
  entityConfigs(kind: 'broker' | 'group', name: string): Record<string, string> {
    const file = this.reloadClusterFile();
    if (kind === 'broker' && name === '') return { ...file.settings };
    const map = kind === 'broker' ? file.brokerConfigs : file.groupConfigs;
    return { ...(map?.[name] ?? {}) };
  }

  /** Sets (string) or removes (null) dynamic configs of an entity in cluster.json, under the metadata lock. */
  alterEntityConfigs(kind: 'broker' | 'group', name: string, changes: Record<string, string | null>): void {
    withLockSync(this.lockPath, () => {
      const file = this.reloadClusterFile();
      let target: Record<string, string>;
      if (kind === 'broker' && name === '') target = file.settings;
      else {
        const key = kind === 'broker' ? 'brokerConfigs' : 'groupConfigs';
        const map = (file[key] ??= {});
        target = map[name] ??= {};
      }
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete target[k];
        else target[k] = v;
      }
      for (const key of ['brokerConfigs', 'groupConfigs'] as const) {
        const map = file[key];
        if (map) for (const [n, c] of Object.entries(map)) if (Object.keys(c).length === 0) delete map[n];
      }
      writeFileAtomicSync(join(this.dataDir, 'cluster.json'), `${JSON.stringify(file, null, 2)}\n`);
    });
  }

  private reloadClusterFile(): ClusterFile {
    const raw = readFileIfExists(join(this.dataDir, 'cluster.json'));
    if (raw) {
      try {
        this.clusterFile = JSON.parse(String(raw)) as ClusterFile;
      } catch (err) {
        throw new DataDirError(`${join(this.dataDir, 'cluster.json')} is corrupt (${(err as Error).message}); restore it from a backup or start with an empty data dir.`);
      }
    }
    return this.clusterFile;
  }
}

export function unknownTopic(name: string): UnknownTopicOrPartitionError {
  return new UnknownTopicOrPartitionError(`Topic '${name}' does not exist: create it with kafka-topics --create --topic ${name}.`);
}

