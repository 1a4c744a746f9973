// The embedded consumer's reads: fetches from partition leaders through the ReplicaManager, decodes
// them a batch at a time as poll() needs records, and reports a corrupt batch with where it is
// (Kafka's Fetcher).
import type { ByteSink, ConsumerOptions, ConsumerRecord, TopicPartition, ValueLineFormat } from '../../types.js';
import type { ReplicaManager } from '../../../engine/cluster/replica-manager.js';
import { decodeBatchEach, type RecordVisitor } from '../../../engine/record/batch.js';
import { positionsView, valueLinesOf } from '../../../engine/record/value-lines.js';
import { BATCH_HEADER_SIZE, CONTROL_BIT, LOG_OVERHEAD, OFFSET_ATTRIBUTES, OFFSET_LEADER_EPOCH, batchSizeAt, readBatchHeader } from '../../../engine/record/header.js';
import { CorruptBatchError, CorruptRecordError, LeaderNotAvailableError, NotLeaderOrFollowerError, OffsetOutOfRangeError, UnknownTopicOrPartitionError } from '../../../errors.js';
import { type SubscriptionState, tpKey } from './subscription-state.js';

const FETCH_BYTES = 1024 * 1024;

interface Fetched {
  topic: string;
  partition: number;
  key: string;
  data: Buffer;
  /** The next batch to decode. */
  pos: number;
  /** The fetch offset: records before it (in the first batch) were consumed already. */
  from: number;
}

export class Fetcher {
  /**
   * Fetched record sets, decoded a batch at a time as poll() needs records: a 1 MiB fetch decoded
   * at once would be ~70k objects that outlive the young generation while they wait to be polled.
   */
  private readonly fetched: Fetched[] = [];
  /** Decoded records not yet handed out; those before bufferedHead were (no O(n) splice per poll). */
  private readonly buffered: ConsumerRecord[] = [];
  private bufferedHead = 0;
  private rr = 0;
  // The fetch being decoded and its batch's leader epoch and control flag, for `visit`.
  private current: Fetched | undefined;
  private leaderEpoch = -1;
  private control = false;
  private readonly view = positionsView();
  private readonly maxPollRecords: number;
  private readonly checkCrcs: boolean;

  constructor(
    private readonly replicas: ReplicaManager,
    private readonly subs: SubscriptionState,
    private readonly options: ConsumerOptions,
  ) {
    this.maxPollRecords = Number(options.properties['max.poll.records'] ?? 500);
    // check.crcs, as Java's consumer has it: on by default.
    this.checkCrcs = options.properties['check.crcs']?.trim().toLowerCase() !== 'false';
  }

  /** Nothing fetched is waiting to be handed out. */
  get empty(): boolean {
    return this.buffered.length === this.bufferedHead && this.fetched.length === 0;
  }

  resetOffset(tp: TopicPartition): number {
    if (this.options.autoOffsetReset === 'none') {
      throw new OffsetOutOfRangeError(`No committed offset for partition ${tp.topic}-${tp.partition} and auto.offset.reset is none: commit an offset or use earliest/latest.`);
    }
    return this.replicas.listOffset(tp.topic, tp.partition, this.options.autoOffsetReset === 'earliest' ? 'earliest' : 'latest').offset;
  }

  /** Drops everything fetched (the partitions were revoked). */
  clear(): void {
    this.fetched.length = 0;
    this.buffered.length = 0;
    this.bufferedHead = 0;
  }

  /** Moves the assigned partitions with a pending seek there, dropping what was fetched for them. */
  applySeeks(): void {
    const { subs, buffered, fetched } = this;
    for (const [k, target] of subs.pendingSeeks) {
      const tp = subs.assigned.find((a) => tpKey(a) === k);
      if (!tp) continue;
      const offset = target === 'earliest' || target === 'latest' ? this.replicas.listOffset(tp.topic, tp.partition, target).offset : target;
      subs.seekTo(k, offset);
      buffered.splice(0, this.bufferedHead);
      this.bufferedHead = 0;
      for (let i = buffered.length - 1; i >= 0; i--) if (tpKey(buffered[i]) === k) buffered.splice(i, 1);
      for (let i = fetched.length - 1; i >= 0; i--) if (fetched[i].key === k) fetched.splice(i, 1);
      subs.pendingSeeks.delete(k);
    }
  }

  /** Reads up to a poll's worth of records, round-robin from the assigned partitions. */
  fetch(): void {
    const { subs, maxPollRecords } = this;
    const assigned = subs.assigned;
    const n = assigned.length;
    let records = 0;
    for (let i = 0; i < n && records < maxPollRecords; i++) {
      const tp = assigned[(this.rr + i) % n];
      const k = tpKey(tp);
      let pos = subs.fetchPositions.get(k);
      let data: Buffer;
      try {
        if (pos === undefined) {
          pos = this.resetOffset(tp);
          subs.seekTo(k, pos);
        }
        data = this.replicas.read(tp.topic, tp.partition, pos, FETCH_BYTES).records;
      } catch (err) {
        if (err instanceof OffsetOutOfRangeError && this.options.autoOffsetReset !== 'none') {
          subs.seekTo(k, this.resetOffset(tp));
          continue;
        }
        // No live leader (its brokers are stopped): wait for one, as Kafka's consumer waits for metadata.
        if (err instanceof LeaderNotAvailableError || err instanceof NotLeaderOrFollowerError) continue;
        // Deleted under a group member: as Kafka's consumer, read on; the group's next metadata check drops it.
        if (err instanceof UnknownTopicOrPartitionError && subs.mode === 'group') continue;
        throw err;
      }
      // Batch headers give the next fetch offset; the records are decoded (and checked) by decodeMore.
      let next = pos;
      for (let p = 0; p < data.length; ) {
        const size = batchSizeAt(data, p);
        if (size < BATCH_HEADER_SIZE || size > data.length - p) {
          throw new CorruptRecordError(`Record batch at position ${p} of the fetch from ${tp.topic}-${tp.partition} offset ${pos} has invalid length ${size - LOG_OVERHEAD}.`);
        }
        const h = readBatchHeader(data, p);
        next = Math.max(next, h.baseOffset + h.lastOffsetDelta + 1);
        records += h.recordCount;
        p += size;
      }
      if (data.length > 0) this.fetched.push({ topic: tp.topic, partition: tp.partition, key: k, data, pos: 0, from: pos });
      subs.fetchPositions.set(k, next);
    }
    this.rr = n > 0 ? (this.rr + 1) % n : 0;
  }

  // Records go straight from the batch into ConsumerRecords: one object per record.
  private readonly visit: RecordVisitor = (offset, timestamp, timestampType, recordKey, value, headers) => {
    const f = this.current!;
    if (!this.control && offset >= f.from) this.buffered.push({ topic: f.topic, partition: f.partition, offset, timestamp, timestampType, key: recordKey, value, headers, leaderEpoch: this.leaderEpoch });
  };

  /** Decodes fetched batches until a poll's worth of records is buffered (or nothing is left). */
  decodeMore(): void {
    const { buffered, fetched, maxPollRecords } = this;
    if (this.bufferedHead > 0) {
      buffered.splice(0, this.bufferedHead);
      this.bufferedHead = 0;
    }
    while (buffered.length < maxPollRecords && fetched.length > 0) {
      const f = fetched[0];
      this.current = f;
      this.leaderEpoch = f.data.readInt32BE(f.pos + OFFSET_LEADER_EPOCH);
      // Control batches carry no records for the application: only their offsets count.
      this.control = (f.data.readInt16BE(f.pos + OFFSET_ATTRIBUTES) & CONTROL_BIT) !== 0;
      const mark = buffered.length;
      try {
        f.pos += decodeBatchEach(f.data, f.pos, this.visit, this.checkCrcs).size;
      } catch (err) {
        // A corrupt batch hands out none of its records, however far the decoder got. The records
        // of the batches before it go out first; the next poll meets the batch again and throws.
        buffered.length = mark;
        if (!(err instanceof CorruptRecordError)) throw err;
        if (mark > this.bufferedHead) return;
        throw corruptBatch(f, err);
      } finally {
        this.current = undefined;
      }
      if (f.pos >= f.data.length) fetched.shift();
    }
  }

  /** Hands out up to max.poll.records buffered records; the position moves once per partition, not per record. */
  take(): ConsumerRecord[] {
    const { buffered } = this;
    const positions = this.subs.positions;
    const end = Math.min(this.bufferedHead + this.maxPollRecords, buffered.length);
    const out = buffered.slice(this.bufferedHead, end);
    this.bufferedHead = end;
    if (this.bufferedHead === buffered.length) {
      buffered.length = 0;
      this.bufferedHead = 0;
    }
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      const last = i + 1 === out.length || out[i + 1].partition !== r.partition || out[i + 1].topic !== r.topic;
      if (last) positions.set(tpKey(r), r.offset + 1);
    }
    return out;
  }

  /** Appends up to `max` fetched records to `sink` (pollValues); positions move past each one. */
  printValues(max: number, format: ValueLineFormat, sink: ByteSink): number {
    if (this.buffered.length > this.bufferedHead) throw new Error('pollValues() after poll() left records buffered: use one or the other on a consumer.');
    const { fetched, view, checkCrcs } = this;
    const positions = this.subs.positions;
    let n = 0;
    while (n < max && fetched.length > 0) {
      const f = fetched[0];
      let r;
      try {
        r = valueLinesOf(f.data, f.pos, f.from, max - n, format, sink, view, checkCrcs);
      } catch (err) {
        // A malformed record after the last one printed: stay there, as Java's consumer does. What
        // was printed is returned; the next call meets the malformed record first and throws.
        if (view.next > f.from) {
          f.from = view.next;
          positions.set(f.key, view.next);
        }
        if (!(err instanceof CorruptRecordError)) throw err;
        n += view.visited;
        if (n > 0) return n;
        throw corruptBatch(f, err);
      }
      n += r.visited;
      if (r.visited > 0) positions.set(f.key, r.position);
      f.from = r.position;
      if (r.complete) {
        f.pos += r.size;
        if (f.pos >= f.data.length) fetched.shift();
      }
    }
    return n;
  }
}

/**
 * The error for the unreadable batch at f.pos, naming the partition and offset and where reading
 * goes on: the next batch of the fetch if there is one (its offset is sure), else the offset
 * after this batch by its own header (which a bad CRC may have garbled: at least one past it).
 */
function corruptBatch(f: Fetched, err: CorruptRecordError): CorruptBatchError {
  const h = readBatchHeader(f.data, f.pos);
  const after = f.pos + batchSizeAt(f.data, f.pos);
  const next = after + BATCH_HEADER_SIZE <= f.data.length ? readBatchHeader(f.data, after).baseOffset : Math.max(h.baseOffset + h.lastOffsetDelta + 1, h.baseOffset + 1, f.from + 1);
  const offset = Math.max(h.baseOffset, f.from);
  // The decoder's position is within this fetch, not the segment file: it would mislead.
  const reason = err.message.replace(/ at position \d+| \(position \d+\)/, '').replace(/\.?$/, '.');
  return new CorruptBatchError(f.topic, f.partition, offset, Math.max(next, offset + 1), reason);
}
