// Kafka client properties (security.protocol, sasl.*, ssl.*): checked once (securitySettings), then
// turned into kafkajs' connection config here and into librdkafka's in librdkafka.ts.
// Secrets go into the config object only: never into messages or logs.
import { accessSync, constants, readFileSync } from 'node:fs';
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

const unreadable = (key: string, path: string, err: unknown) =>
  new UsageError(`Cannot read ${key} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; give the path of a PEM file.`);

function readPem(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw unreadable(key, path, err);
  }
}

/** Checked without reading: kafkajs' config reads the file later, librdkafka by itself. */
function checkReadable(key: string, path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    throw unreadable(key, path, err);
  }
}

/** Kafka's security properties, checked once for both client libraries. */
export interface SecuritySettings {
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  /** SSL and SASL_SSL: PEM file paths, and whether the broker's hostname is checked. */
  ssl?: { caLocation?: string; certificateLocation?: string; keyLocation?: string; keyPassword?: string; hostnameCheck: boolean };
  /** SASL_*: the mechanism in Kafka's spelling, with the JAAS username and password. */
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
}

export function securitySettings(props: Properties): SecuritySettings {
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (protocol !== 'PLAINTEXT' && protocol !== 'SSL' && protocol !== 'SASL_PLAINTEXT' && protocol !== 'SASL_SSL') {
    throw new UsageError(`Invalid value ${props['security.protocol']} for configuration security.protocol: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`);
  }
  const settings: SecuritySettings = { protocol };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    // Checked here so that both libraries refuse an unreadable file with the same line.
    for (const key of ['ssl.ca.location', 'ssl.certificate.location', 'ssl.key.location']) if (props[key]) checkReadable(key, props[key]);
    settings.ssl = {
      caLocation: props['ssl.ca.location'] || undefined,
      certificateLocation: props['ssl.certificate.location'] || undefined,
      keyLocation: props['ssl.key.location'] || undefined,
      keyPassword: props['ssl.key.password'] || undefined,
      // Java's empty value turns the hostname check off.
      hostnameCheck: (props['ssl.endpoint.identification.algorithm'] ?? 'https') !== '',
    };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').toUpperCase();
    if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
      throw new UsageError(`sasl.mechanism ${mechanism} is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`);
    }
    settings.sasl = { mechanism, ...parseJaasConfig(props['sasl.jaas.config'] ?? '') };
  }
  return settings;
}

/** kafkajs' connection config (admin and consumer). */
export function connectionConfig(bootstrap: string, props: Properties, timeoutMs: number): KafkaConfig {
  const security = securitySettings(props);
  const config: KafkaConfig = {
    clientId: props['client.id'] ?? 'kafkit',
    brokers: bootstrap.split(','),
    connectionTimeout: Math.min(timeoutMs, 10_000),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  };
  if (security.ssl) {
    const pem = (key: string, path: string | undefined) => (path === undefined ? undefined : readPem(key, path));
    const ca = pem('ssl.ca.location', security.ssl.caLocation);
    config.ssl = {
      rejectUnauthorized: true,
      ca: ca === undefined ? undefined : [ca],
      cert: pem('ssl.certificate.location', security.ssl.certificateLocation),
      key: pem('ssl.key.location', security.ssl.keyLocation),
      ...(security.ssl.hostnameCheck ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  if (security.sasl) {
    const { mechanism, username, password } = security.sasl;
    config.sasl = { mechanism: mechanism.toLowerCase(), username, password } as SASLOptions;
  }
  return config;
}
