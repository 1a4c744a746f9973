// `--topic t` and `--topic t:0,2`, parsed the way Kafka's Java code does (String.split semantics).
import { UsageError } from '../../errors.js';

export interface TopicArg {
  topic: string;
  /** null: every partition of the topic. */
  partitions: number[] | null;
}

/** Java's String.split: trailing empty strings are dropped ("t:" -> ["t"], "0,1," -> ["0","1"]). */
function javaSplit(text: string, sep: string): string[] {
  const parts = text.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && text.length > 0) return [];
  return parts;
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit range. */
function javaParseInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : null;
}

export function parseTopicArg(arg: string): TopicArg {
  if (!arg.includes(':')) return { topic: arg, partitions: null };
  const parts = javaSplit(arg, ':');
  if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
  const partitions = javaSplit(parts[1], ',').map((p) => {
    const n = javaParseInt(p);
    // The doubled quote at the end is Kafka's own typo, kept so that scripts matching it still work.
    if (n === null) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
    return n;
  });
  return { topic: parts[0], partitions };
}
