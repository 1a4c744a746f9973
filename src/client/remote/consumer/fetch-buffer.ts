// The records kafkajs fetched and poll() has not handed out yet, kept as kafkajs delivered them: a
// batch per partition fetch. A record becomes a ConsumerRecord only when poll() hands it out, and
// pollValues() never makes one: it copies values straight into the caller's buffer. Positions move
// once per batch handed out, not per record.
import type { KafkaMessage } from 'kafkajs';
import type { ByteSink, ConsumerRecord, RecordHeader, TopicPartition, ValueLineFormat } from '../../types.js';

interface FetchedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Index of the first record not handed out yet. */
  next: number;
}

/** Told the position after the last record handed out from a partition. */
export type PositionSink = (topic: string, partition: number, position: number) => void;

export class FetchBuffer {
  private batches: FetchedBatch[] = [];
  /** Records buffered and not handed out. */
  size = 0;

  add(topic: string, partition: number, messages: KafkaMessage[]): void {
    if (messages.length === 0) return;
    this.batches.push({ topic, partition, messages, next: 0 });
    this.size += messages.length;
  }

  /** Forgets what was fetched for a partition (a seek moved it). */
  drop(tp: TopicPartition): void {
    const kept = this.batches.filter((b) => b.topic !== tp.topic || b.partition !== tp.partition);
    if (kept.length === this.batches.length) return;
    this.batches = kept;
    this.size = kept.reduce((n, b) => n + b.messages.length - b.next, 0);
  }

  /** Hands out up to `max` records as ConsumerRecords. */
  records(max: number, moved: PositionSink): ConsumerRecord[] {
    const out: ConsumerRecord[] = [];
    this.consume(max, moved, (b, from, to) => {
      for (let i = from; i < to; i++) out.push(toRecord(b.topic, b.partition, b.messages[i]));
    });
    return out;
  }

  /** Appends up to `max` records' values, each followed by the separator, to `sink`; returns how many. */
  values(max: number, format: ValueLineFormat, sink: ByteSink, moved: PositionSink): number {
    const { separator, nullLiteral } = format;
    return this.consume(max, moved, (b, from, to) => {
      const messages = b.messages;
      for (let i = from; i < to; i++) {
        const v = messages[i].value;
        if (v === null) sink.bytesOf(nullLiteral, 0, nullLiteral.length);
        else sink.bytesOf(v, 0, v.length);
        sink.bytesOf(separator, 0, separator.length);
      }
    });
  }

  private consume(max: number, moved: PositionSink, each: (b: FetchedBatch, from: number, to: number) => void): number {
    let n = 0;
    while (n < max && this.batches.length > 0) {
      const b = this.batches[0];
      const to = Math.min(b.messages.length, b.next + (max - n));
      each(b, b.next, to);
      n += to - b.next;
      b.next = to;
      moved(b.topic, b.partition, Number(b.messages[to - 1].offset) + 1);
      if (to === b.messages.length) this.batches.shift();
    }
    this.size -= n;
    return n;
  }
}

function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumerRecord {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: 'CreateTime',
    key: m.key ?? null,
    value: m.value,
    headers: headersOf(m.headers),
    leaderEpoch: null,
  };
}

function headersOf(headers: KafkaMessage['headers']): RecordHeader[] {
  if (!headers) return [];
  const out: RecordHeader[] = [];
  for (const [key, v] of Object.entries(headers)) {
    for (const x of Array.isArray(v) ? v : [v]) out.push({ key, value: x == null ? null : Buffer.isBuffer(x) ? x : Buffer.from(String(x)) });
  }
  return out;
}
