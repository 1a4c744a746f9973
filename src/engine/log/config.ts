// The topic configs that shape one partition's log, with Kafka's defaults.
export interface LogConfig {
  /** segment.bytes */
  segmentBytes: number;
  /** segment.ms: roll when the incoming timestamp is this far past the segment's first batch. */
  segmentMs: number;
  /** segment.index.bytes: the offset index may hold this / 8 entries before the segment rolls. */
  segmentIndexBytes: number;
  /** index.interval.bytes */
  indexIntervalBytes: number;
  /** retention.ms (-1 = keep forever), judged by each segment's largest timestamp. */
  retentionMs: number;
  /** retention.bytes per partition (-1 = no limit). */
  retentionBytes: number;
  /** max.message.bytes: the largest batch (after compression) an append accepts. */
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  /** flush.messages: fsync once this many messages are unflushed (Kafka's default leaves it to the OS). 1 = fsync before acknowledging. */
  flushMessages: number;
  /** flush.ms: fsync on an append when the last flush by this process is older than this. */
  flushMs?: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 3600 * 1000,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
  maxMessageBytes: 1048588,
  messageTimestampType: 'CreateTime',
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
};
