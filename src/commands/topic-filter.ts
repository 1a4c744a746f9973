// kafka-topics' --topic value for every action but --create: a whole-name Java-style regex, where
// commas mean "or", spaces are dropped and surrounding quotes stripped.
import { UsageError } from '../errors.js';

export function topicPattern(value: string): RegExp {
  let v = value.trim().replaceAll(',', '|').replace(/\s+/g, '');
  v = v.replace(/^["']/, '').replace(/["']$/, '');
  try {
    return new RegExp(`^(?:${v})$`);
  } catch (err) {
    throw new UsageError(`Invalid --topic regular expression '${value}': ${(err as Error).message}`);
  }
}
