// Kafka's topic name rules (Topic.validate) and the '.'/'_' collision rule.
import { InvalidTopicError } from '../../errors.js';

export const MAX_NAME_LENGTH = 249;
export const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

export function validateTopicName(name: string): void {
  const invalid = (why: string) => new InvalidTopicError(`Topic name is invalid: ${why}`);
  if (name === '') throw invalid('the empty string is not allowed');
  if (name === '.' || name === '..') throw invalid(`'${name}' is not allowed`);
  if (name.length > MAX_NAME_LENGTH) throw invalid(`the length of '${name}' is longer than the max allowed length ${MAX_NAME_LENGTH}`);
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw invalid(`'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`);
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

export function collisionKey(name: string): string {
  return name.replaceAll('.', '_');
}
