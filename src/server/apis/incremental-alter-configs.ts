import { IncrementalAlterConfigs } from '../../protocol/messages/incremental-alter-configs.js';
import { effectiveTopicConfig, validateTopicConfigs } from '../../config/topic-configs.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import { InvalidRequestError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { NONE, wireError } from '../error-code.js';
import { TOPIC, unsupportedResource } from './config-resources.js';

const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

interface Resource {
  resourceType: number;
  resourceName: string;
  configs: Array<{ name: string; configOperation: number; value: string | null }>;
}

const listOf = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

export const incrementalAlterConfigs: ApiHandler = {
  spec: IncrementalAlterConfigs,
  async handle(req: { resources: Resource[]; validateOnly: boolean }, ctx) {
    const responses = [];
    for (const r of req.resources) {
      try {
        if (r.resourceType !== TOPIC) throw unsupportedResource(r.resourceType);
        const topic = ctx.server.cluster.topic(r.resourceName);
        if (!topic) throw unknownTopic(r.resourceName);
        const effective = effectiveTopicConfig(topic.configs);
        const changes: Record<string, string | null> = {};
        for (const c of r.configs) {
          if (c.configOperation === SET) changes[c.name] = c.value ?? '';
          else if (c.configOperation === DELETE) changes[c.name] = null;
          else if (c.configOperation === APPEND || c.configOperation === SUBTRACT) {
            const current = listOf(changes[c.name] ?? effective[c.name]);
            const items = listOf(c.value ?? '');
            const next = c.configOperation === APPEND ? [...current, ...items.filter((i) => !current.includes(i))] : current.filter((i) => !items.includes(i));
            changes[c.name] = next.join(',');
          } else throw new InvalidRequestError(`Unknown config operation ${c.configOperation} for ${c.name}.`);
        }
        const set: Record<string, string> = {};
        for (const [k, v] of Object.entries(changes)) if (v !== null) set[k] = v;
        validateTopicConfigs(set);
        if (!req.validateOnly) await ctx.server.admin.alterTopicConfigs(r.resourceName, changes);
        responses.push({ ...NONE, resourceType: r.resourceType, resourceName: r.resourceName });
      } catch (err) {
        responses.push({ ...wireError(err), resourceType: r.resourceType, resourceName: r.resourceName });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
