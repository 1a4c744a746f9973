// The reset plan as CSV: what --export prints and --from-file reads. No header line.
// `topic,partition,offset` when exactly one --group was given, else `group,topic,partition,offset`.
import { KafkitError } from '../../errors.js';
import type { ResetRow } from '../../format/groups.js';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line per row, then the empty line that Kafka's println of the joined lines adds. */
export function formatResetCsv(rows: ResetRow[], withGroup: boolean): string {
  const lines = rows.map((r) => `${withGroup ? `${csvField(r.group)},` : ''}${csvField(r.topic)},${r.partition},${r.offset}\n`);
  return `${lines.join('')}\n`;
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const isInt = (s: string | undefined) => s !== undefined && /^-?\d+$/.test(s.trim());

export type ResetPlan = Map<string, Array<{ topic: string; partition: number; offset: number }>>;

/**
 * Reads a plan. As in Kafka, the short form is used only when exactly one --group was given and
 * the first line parses as `topic,partition,offset`; otherwise every line must carry its group.
 */
export function parseResetCsv(text: string, singleGroup: string | undefined, source: string): ResetPlan {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const rows = lines.map(splitCsvLine);
  const short = singleGroup !== undefined && rows.length > 0 && rows[0].length === 3 && isInt(rows[0][1]) && isInt(rows[0][2]);
  const plan: ResetPlan = new Map();
  rows.forEach((f, i) => {
    const [group, topic, partition, offset] = short ? [singleGroup!, ...f] : f;
    if (f.length !== (short ? 3 : 4) || !isInt(partition) || !isInt(offset)) {
      const expected = short ? 'topic,partition,offset' : 'group,topic,partition,offset';
      throw new KafkitError(`Invalid line ${i + 1} in reset plan ${source}: '${lines[i]}'; expected ${expected}.`);
    }
    const list = plan.get(group) ?? [];
    const p = Number(partition.trim());
    const existing = list.findIndex((r) => r.topic === topic && r.partition === p);
    const entry = { topic, partition: p, offset: Number(offset.trim()) };
    if (existing >= 0) list[existing] = entry;
    else list.push(entry);
    plan.set(group, list);
  });
  return plan;
}
