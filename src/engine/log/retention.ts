// Which segments retention deletes (Kafka's UnifiedLog.deleteOldSegments). Three passes run in
// Kafka's order (retention.ms, retention.bytes, log start offset); each deletes whole segments
// oldest first and stops at the first segment that does not qualify. The active (last) segment is
// never deleted.

export interface SegmentInfo {
  base: number;
  size: number;
  /** Largest record timestamp in the segment (-1 when none). */
  largestTimestamp: number;
}

export interface RetentionPlan {
  /** Base offsets to delete, oldest first: always a prefix of the segments. */
  delete: number[];
  /** The log start offset afterwards. */
  logStartOffset: number;
}

export function planRetention(
  segments: SegmentInfo[],
  config: { retentionMs: number; retentionBytes: number },
  logStartOffset: number,
  now: number,
): RetentionPlan {
  let n = 0; // segments deleted so far (a prefix)
  const deletable = segments.length - 1;
  if (config.retentionMs >= 0) {
    while (n < deletable && now - segments[n].largestTimestamp > config.retentionMs) n++;
  }
  if (config.retentionBytes >= 0) {
    let total = 0;
    for (let i = n; i < segments.length; i++) total += segments[i].size;
    while (n < deletable && total - segments[n].size >= config.retentionBytes) total -= segments[n++].size;
  }
  while (n < deletable && segments[n + 1].base <= logStartOffset) n++;
  const start = n > 0 ? Math.max(logStartOffset, segments[n].base) : logStartOffset;
  return { delete: segments.slice(0, n).map((s) => s.base), logStartOffset: start };
}
