// Config resources as the config APIs name them, and the broker-level settings they expose.
import type { ConfigEntry } from '../../client/types.js';
import { InvalidRequestError } from '../../errors.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import { validateTopicConfigs } from '../../config/topic-configs.js';
import type { RequestContext } from '../context.js';
import { NONE, wireError } from '../error-code.js';

export const TOPIC = 2;
export const BROKER = 4;

/** DescribeConfigs config sources. */
export const SOURCE = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

/** A topic's configs with their DescribeConfigs source: set on the topic, or the default. */
export async function topicConfigEntries(ctx: RequestContext, topic: string): Promise<Array<ConfigEntry & { source: number }>> {
  const list = await ctx.server.admin.describeTopicConfigs(topic);
  return list.map((e) => ({ ...e, source: e.isDefault ? SOURCE.DEFAULT_CONFIG : SOURCE.DYNAMIC_TOPIC_CONFIG }));
}

export function unsupportedResource(type: number): InvalidRequestError {
  return new InvalidRequestError(`Config resource type ${type} is not supported here; topics (2) and brokers (4) are.`);
}

interface AlterResource {
  resourceType: number;
  resourceName: string;
}

/**
 * The loop both alter APIs share: each resource must be an existing topic; `changesFor` turns the
 * request into overrides to set (string) or remove (null), which are validated, then applied unless
 * validateOnly. One response per resource, with its own error.
 */
export async function alterTopicResources<R extends AlterResource>(
  ctx: RequestContext,
  resources: R[],
  validateOnly: boolean,
  changesFor: (r: R, overrides: Record<string, string>, effective: Record<string, string>) => Record<string, string | null>,
) {
  const responses = [];
  for (const r of resources) {
    try {
      if (r.resourceType !== TOPIC) throw unsupportedResource(r.resourceType);
      const topic = ctx.server.cluster.topic(r.resourceName);
      if (!topic) throw unknownTopic(r.resourceName);
      const changes = changesFor(r, topic.configs, ctx.server.cluster.topicConfig(r.resourceName));
      const sets: Record<string, string> = {};
      for (const [k, v] of Object.entries(changes)) if (v !== null) sets[k] = v;
      validateTopicConfigs(sets);
      if (!validateOnly) await ctx.server.admin.alterTopicConfigs(r.resourceName, changes);
      responses.push({ ...NONE, resourceType: r.resourceType, resourceName: r.resourceName });
    } catch (err) {
      responses.push({ ...wireError(err), resourceType: r.resourceType, resourceName: r.resourceName });
    }
  }
  return { throttleTimeMs: 0, responses };
}
