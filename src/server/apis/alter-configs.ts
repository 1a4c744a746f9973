// AlterConfigs replaces a topic's whole set of overrides: configs not listed return to their defaults.
import { AlterConfigs } from '../../protocol/messages/alter-configs.js';
import type { ApiHandler } from '../context.js';
import { alterTopicResources } from './config-resources.js';

interface AlterConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configs: Array<{ name: string; value: string | null }> }>;
  validateOnly: boolean;
}

export const alterConfigs: ApiHandler = {
  spec: AlterConfigs,
  handle: (req: AlterConfigsRequest, ctx) =>
    alterTopicResources(ctx, req.resources, req.validateOnly, (r, overrides) => {
      const changes: Record<string, string | null> = {};
      for (const name of Object.keys(overrides)) changes[name] = null;
      for (const c of r.configs) if (c.value !== null) changes[c.name] = c.value;
      return changes;
    }),
};
