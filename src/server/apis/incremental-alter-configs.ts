import { IncrementalAlterConfigs } from '../../protocol/messages/incremental-alter-configs.js';
import { InvalidRequestError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { alterTopicResources } from './config-resources.js';

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
  handle: (req: { resources: Resource[]; validateOnly: boolean }, ctx) =>
    alterTopicResources(ctx, req.resources, req.validateOnly, (r, _overrides, effective) => {
      const changes: Record<string, string | null> = {};
      for (const c of r.configs) {
        if (c.configOperation === SET) changes[c.name] = c.value ?? '';
        else if (c.configOperation === DELETE) changes[c.name] = null;
        else if (c.configOperation === APPEND || c.configOperation === SUBTRACT) {
          // List configs (cleanup.policy): add or remove items of the current value.
          const current = listOf(changes[c.name] ?? effective[c.name]);
          const items = listOf(c.value ?? '');
          const next = c.configOperation === APPEND ? [...current, ...items.filter((i) => !current.includes(i))] : current.filter((i) => !items.includes(i));
          changes[c.name] = next.join(',');
        } else throw new InvalidRequestError(`Unknown config operation ${c.configOperation} for ${c.name}.`);
      }
      return changes;
    }),
};
