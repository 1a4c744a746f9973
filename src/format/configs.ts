// kafka-configs' text (Kafka 4.1's ConfigCommand.describeResourceConfig and alterConfig).
import type { DescribedConfig } from '../client/types.js';

/** `topics` -> `topic`, as Kafka's entityType.substring(0, length - 1). */
const singular = (entityType: string) => entityType.slice(0, -1);

/** The heading before an entity's configs; broker '' is the cluster-wide defaults. */
export function formatConfigsHeading(entityType: string, entity: string, all: boolean): string {
  if (entity === '') return `Default configs for ${entityType} in the cluster are:\n`;
  return `${all ? 'All' : 'Dynamic'} configs for ${singular(entityType)} ${entity} are:\n`;
}

/** `  name=value sensitive=false synonyms={SOURCE:name=value, ...}` */
export function formatConfigLine(e: DescribedConfig): string {
  const synonyms = e.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}\n`;
}

export function formatNoSuchEntity(entityType: string, entity: string): string {
  return `The ${singular(entityType)} '${entity}' doesn't exist and doesn't have dynamic config.\n`;
}

export function formatAlterDone(entityType: string, entity: string): string {
  return entity === '' ? `Completed updating default config for ${entityType} in the cluster.\n` : `Completed updating config for ${singular(entityType)} ${entity}.\n`;
}
