// kafka-broker-api-versions' text: Kafka's Node.toString, then NodeApiVersions.toString(true).
import type { ApiVersionRange, BrokerApiVersions, BrokerInfo } from '../client/types.js';
import { CLIENT_APIS } from '../protocol/api-keys.js';

/** Kafka's Node.toString (4.x): `host:port (id: 1 rack: null isFenced: false)`. */
export function formatNode(b: BrokerInfo): string {
  return `${b.host}:${b.port} (id: ${b.id} rack: ${b.rack ?? 'null'} isFenced: false)`;
}

function versionText(v: ApiVersionRange): string {
  const api = CLIENT_APIS.get(v.apiKey);
  let text = `${api ? api.name : 'UNKNOWN'}(${v.apiKey}): ${v.minVersion === v.maxVersion ? v.minVersion : `${v.minVersion} to ${v.maxVersion}`}`;
  if (api) {
    if (api.latest < v.minVersion) text += ' [unusable: node too new]';
    else if (v.maxVersion < api.oldest) text += ' [unusable: node too old]';
    else text += ` [usable: ${Math.min(api.latest, v.maxVersion)}]`;
  }
  return text;
}

/** NodeApiVersions.toString(true): every API by key, those the broker lacks as UNSUPPORTED. */
export function formatApiVersions(versions: ApiVersionRange[]): string {
  const byKey = new Map<number, string>();
  for (const v of versions) byKey.set(v.apiKey, versionText(v));
  for (const api of CLIENT_APIS.values()) if (!byKey.has(api.id)) byKey.set(api.id, `${api.name}(${api.id}): UNSUPPORTED`);
  const lines = [...byKey].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  return `(\n\t${lines.join(',\n\t')}\n)`;
}

export function formatBrokerApiVersions(r: BrokerApiVersions): string {
  return `${formatNode(r.broker)} -> ${r.apiVersions ? formatApiVersions(r.apiVersions) : `ERROR: ${r.error ?? ''}`}\n`;
}
