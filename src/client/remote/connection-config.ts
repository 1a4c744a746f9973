// Kafka client properties (security.protocol, sasl.*, ssl.*) turned into kafkajs' connection config.
// Secrets go into the config object only: never into messages or logs.
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { Properties } from '../types.js';
import { UsageError } from '../../errors.js';

/** username/password from Java's `sasl.jaas.config` (PlainLoginModule / ScramLoginModule). */
export function parseJaasConfig(text: string): { username: string; password: string } {
  const field = (name: string) => new RegExp(`${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)'|([^\\s;]+))`).exec(text);
  const u = field('username');
  const p = field('password');
  if (!u || !p) throw new UsageError('sasl.jaas.config must set username="..." and password="..." (as in PlainLoginModule required username="u" password="p";).');
  const value = (m: RegExpExecArray) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return { username: value(u), password: value(p) };
}

function readPem(props: Properties, key: string): string | undefined {
  const path = props[key];
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${key} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; give the path of a PEM file.`);
  }
}

export function connectionConfig(bootstrap: string, props: Properties, timeoutMs: number): KafkaConfig {
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new UsageError(`Invalid value ${props['security.protocol']} for configuration security.protocol: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`);
  }
  const config: KafkaConfig = {
    clientId: props['client.id'] ?? 'kafkit',
    brokers: bootstrap.split(','),
    connectionTimeout: Math.min(timeoutMs, 10_000),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const hostnameCheck = props['ssl.endpoint.identification.algorithm'] ?? 'https';
    config.ssl = {
      rejectUnauthorized: true,
      ca: readPem(props, 'ssl.ca.location') ? [readPem(props, 'ssl.ca.location')!] : undefined,
      cert: readPem(props, 'ssl.certificate.location'),
      key: readPem(props, 'ssl.key.location'),
      ...(hostnameCheck === '' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  if (protocol.startsWith('SASL')) {
    const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').toUpperCase();
    const { username, password } = parseJaasConfig(props['sasl.jaas.config'] ?? '');
    const kjs = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' }[mechanism];
    if (!kjs) throw new UsageError(`sasl.mechanism ${mechanism} is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`);
    config.sasl = { mechanism: kjs, username, password } as SASLOptions;
  }
  return config;
}
