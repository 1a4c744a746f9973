// Config resources as the config APIs name them, and the broker-level settings they expose.
import { InvalidRequestError } from '../../errors.js';

export const TOPIC = 2;
export const BROKER = 4;

/** DescribeConfigs config sources. */
export const SOURCE = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

export function unsupportedResource(type: number): InvalidRequestError {
  return new InvalidRequestError(`Config resource type ${type} is not supported here; topics (2) and brokers (4) are.`);
}
