import { DescribeConfigs } from '../../protocol/messages/describe-configs.js';
import type { ConfigEntry } from '../../client/types.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { wireError } from '../error-code.js';
import { BROKER, SOURCE, TOPIC, topicConfigEntries, unsupportedResource } from './config-resources.js';

interface Resource {
  resourceType: number;
  resourceName: string;
  configurationKeys: string[] | null;
}

async function entries(ctx: RequestContext, r: Resource): Promise<Array<ConfigEntry & { source: number }>> {
  if (r.resourceType === TOPIC) return topicConfigEntries(ctx, r.resourceName);
  if (r.resourceType === BROKER) {
    return Object.entries(ctx.server.cluster.settings()).map(([name, value]) => ({ name, value, isDefault: false, isSensitive: false, source: SOURCE.STATIC_BROKER_CONFIG }));
  }
  throw unsupportedResource(r.resourceType);
}

export const describeConfigs: ApiHandler = {
  spec: DescribeConfigs,
  async handle(req: { resources: Resource[]; includeSynonyms: boolean }, ctx) {
    const results = [];
    for (const r of req.resources) {
      try {
        const keys = r.configurationKeys ? new Set(r.configurationKeys) : null;
        const configs = (await entries(ctx, r))
          .filter((e) => !keys || keys.has(e.name))
          .map((e) => ({
            name: e.name,
            value: e.isSensitive ? null : e.value,
            readOnly: r.resourceType === BROKER,
            isDefault: e.isDefault,
            configSource: e.source,
            isSensitive: e.isSensitive,
            synonyms: req.includeSynonyms ? [{ name: e.name, value: e.isSensitive ? null : e.value, source: e.source }] : [],
            configType: 0,
            documentation: null,
          }));
        results.push({ errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName, configs });
      } catch (err) {
        results.push({ ...wireError(err), resourceType: r.resourceType, resourceName: r.resourceName, configs: [] });
      }
    }
    return { throttleTimeMs: 0, results };
  },
};
