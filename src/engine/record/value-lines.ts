// A batch's values as lines of text (kafka-console-consumer's default output: value, or the null
// literal, then the separator), a whole batch per call. The loop runs in WebAssembly
// (wasm/records.ts, loaded by wasm.ts) where that module is built; without it, or for a batch it
// finds malformed, visitBatch does the same in TypeScript.
import { openBatch, visitBatch, type RecordPositions, type VisitedBatch } from './record-view.js';
import { moduleMemory, recordsModule } from './wasm.js';

export interface LineSink {
  bytesOf(data: Uint8Array, start: number, end: number): void;
}

export interface LineFormat {
  separator: Buffer;
  nullLiteral: Buffer;
}

/**
 * Appends the lines of the records of the batch at `pos` whose offset is >= `from`, at most
 * `limit` of them, to `sink`. Returns and throws as visitBatch does, with `view` as its scratch:
 * for a malformed record it throws after the lines of the records before it, and `view.next`
 * and `view.visited` tell how far they got.
 */
export function valueLinesOf(buf: Buffer, pos: number, from: number, limit: number, lines: LineFormat, sink: LineSink, view: RecordPositions, checkCrc = true, useModule = true): VisitedBatch {
  view.next = from;
  view.visited = 0;
  const m = useModule ? recordsModule() : null;
  if (m === null) return valueLinesInTypeScript(buf, pos, from, limit, lines, sink, view, checkCrc);
  const opened = openBatch(buf, pos, from, limit, checkCrc);
  if (!('data' in opened)) return opened;
  const { result, baseOffset, count, data, start, end } = opened;
  const records = end - start;
  const sepLen = lines.separator.length;
  const nulLen = lines.nullLiteral.length;
  const input = (sepLen + nulLen + 7) & ~7;
  const output = input + records;
  // Memory: separator and null literal, the records, then the lines.
  const mem = moduleMemory(m, output + records + count * (sepLen + nulLen));
  lines.separator.copy(mem, 0);
  lines.nullLiteral.copy(mem, sepLen);
  data.copy(mem, input, start, end);
  const fromDelta = Math.min(0x7fffffff, Math.max(0, from - baseOffset));
  const status = m.valueLines(input, input + records, count, fromDelta, Math.min(limit, 0x7fffffff), output, 0, sepLen, sepLen, nulLen);
  if (status < 0) return valueLinesInTypeScript(buf, pos, from, limit, lines, sink, view, checkCrc);
  const visited = m.visited.value;
  sink.bytesOf(mem, output, m.outEnd.value);
  result.visited = visited;
  result.position = visited > 0 ? baseOffset + m.nextDelta.value : from;
  result.complete = status === 0;
  view.next = result.position;
  view.visited = visited;
  return result;
}

/** A scratch view for valueLinesOf. */
export function positionsView(): RecordPositions {
  return { offset: 0, data: Buffer.alloc(0), valueStart: -1, valueEnd: -1, next: 0, visited: 0 };
}

// The same with visitBatch: one visit and one copy per record.
function valueLinesInTypeScript(buf: Buffer, pos: number, from: number, limit: number, lines: LineFormat, sink: LineSink, view: RecordPositions, checkCrc: boolean): VisitedBatch {
  const { separator, nullLiteral } = lines;
  return visitBatch(
    buf,
    pos,
    from,
    limit,
    view,
    (r) => {
      if (r.valueStart < 0) sink.bytesOf(nullLiteral, 0, nullLiteral.length);
      else sink.bytesOf(r.data, r.valueStart, r.valueEnd);
      sink.bytesOf(separator, 0, separator.length);
    },
    checkCrc,
  );
}
