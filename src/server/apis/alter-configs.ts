// AlterConfigs replaces a topic's whole set of overrides: configs not listed return to their defaults.
import { AlterConfigs } from '../../protocol/messages/alter-configs.js';
import { validateTopicConfigs } from '../../config/topic-configs.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import type { ApiHandler } from '../context.js';
import { NONE, wireError } from '../error-code.js';
import { TOPIC, unsupportedResource } from './config-resources.js';

interface AlterConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configs: Array<{ name: string; value: string | null }> }>;
  validateOnly: boolean;
}

export const alterConfigs: ApiHandler = {
  spec: AlterConfigs,
  async handle(req: AlterConfigsRequest, ctx) {
    const responses = [];
    for (const r of req.resources) {
      try {
        if (r.resourceType !== TOPIC) throw unsupportedResource(r.resourceType);
        const topic = ctx.server.cluster.topic(r.resourceName);
        if (!topic) throw unknownTopic(r.resourceName);
        const wanted: Record<string, string> = {};
        for (const c of r.configs) if (c.value !== null) wanted[c.name] = c.value;
        validateTopicConfigs(wanted);
        const changes: Record<string, string | null> = { ...wanted };
        for (const name of Object.keys(topic.configs)) if (!(name in wanted)) changes[name] = null;
        if (!req.validateOnly) await ctx.server.admin.alterTopicConfigs(r.resourceName, changes);
        responses.push({ ...NONE, resourceType: r.resourceType, resourceName: r.resourceName });
      } catch (err) {
        responses.push({ ...wireError(err), resourceType: r.resourceType, resourceName: r.resourceName });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
