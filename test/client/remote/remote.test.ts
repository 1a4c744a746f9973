import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../../helpers.js';
import { kcat, kcatAvailable, startMockCluster } from './mock-cluster.js';
import { parseJaasConfig, connectionConfig } from '../../../src/client/remote/connection-config.js';
import { connectionProperties, producerProperties } from '../../../src/client/remote/librdkafka.js';
import { partitionForKey } from '../../../src/client/partitioner.js';

describe('remote connection config', () => {
  afterAll(cleanTempDirs);

  it("parses Java's sasl.jaas.config and maps security properties", () => {
    expect(parseJaasConfig('org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3\\"cret";')).toEqual({ username: 'alice', password: 's3"cret' });
    const c = connectionConfig('h:9092', { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': 'x required username=bob password=pw;' }, 5000);
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'bob', password: 'pw' });
    expect(c.ssl).toBeUndefined();
    expect(() => connectionConfig('h:9092', { 'security.protocol': 'SSL', 'ssl.ca.location': '/nonexistent.pem' }, 5000)).toThrow('Cannot read ssl.ca.location /nonexistent.pem: ENOENT; give the path of a PEM file.');
    expect(() => connectionConfig('h:9092', { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI', 'sasl.jaas.config': 'username="a" password="b"' }, 5000)).toThrow('sasl.mechanism GSSAPI is not supported');
  });

  it('maps the same properties into librdkafka names for the producer, with the same refusals', () => {
    const pem = join(tempDir(), 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');
    const props = {
      'security.protocol': 'sasl_ssl',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="pw";',
      'ssl.ca.location': pem,
      'ssl.endpoint.identification.algorithm': '',
      'client.id': 'me',
    };
    expect(connectionProperties('h:9092', props)).toEqual({
      'bootstrap.servers': 'h:9092',
      'client.id': 'me',
      'security.protocol': 'sasl_ssl',
      'ssl.ca.location': pem,
      'ssl.endpoint.identification.algorithm': 'none',
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'sasl.username': 'bob',
      'sasl.password': 'pw',
    });
    expect(connectionProperties('h:9092', {})).toEqual({ 'bootstrap.servers': 'h:9092', 'client.id': 'kafkit', 'security.protocol': 'plaintext' });
    expect(() => connectionProperties('h:9092', { 'security.protocol': 'SSL', 'ssl.ca.location': '/nonexistent.pem' })).toThrow('Cannot read ssl.ca.location /nonexistent.pem: ENOENT; give the path of a PEM file.');
    expect(() => connectionProperties('h:9092', { 'security.protocol': 'TLS' })).toThrow('Invalid value TLS for configuration security.protocol: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.');
    // Java names librdkafka shares go on, topic-level ones into the topic config; the rest is left out.
    expect(producerProperties({ 'enable.idempotence': 'true', 'delivery.timeout.ms': '5000', 'max.request.size': '2000', 'buffer.memory': '1' })).toEqual({
      global: { 'enable.idempotence': 'true', 'message.max.bytes': '2000' },
      topic: { 'message.timeout.ms': '5000' },
    });
  });
});

describe.skipIf(!kcatAvailable())('remote backend against librdkafka’s mock cluster', () => {
  let mock: Awaited<ReturnType<typeof startMockCluster>>;
  beforeAll(async () => {
    mock = await startMockCluster();
  });
  afterAll(() => {
    mock?.stop();
    cleanTempDirs();
  });

  it('produces lines that kcat reads back, keyed records in the Java partition', async () => {
    const dir = tempDir();
    // the mock auto-creates topics with 4 partitions
    const lines = Array.from({ length: 50 }, (_, i) => `key${i}\tvalue${i}`).join('\n');
    const p = await bin('kafka-console-producer', ['--bootstrap-server', mock.bootstrap, '--topic', 'keyed', '--property', 'parse.key=true'], dir, lines);
    expect(p).toEqual({ code: 0, stdout: '', stderr: '' });
    const read = kcat(['-b', mock.bootstrap, '-C', '-t', 'keyed', '-e', '-q', '-f', '%k %p %s\n']);
    const rows = read.stdout.trim().split('\n').map((l) => l.split(' '));
    expect(rows.length).toBe(50);
    for (const [k, part, v] of rows) {
      expect(v).toBe(`value${k.slice(3)}`);
      expect(Number(part)).toBe(partitionForKey(Buffer.from(k), 4));
    }
  });

  it('consumes what kcat produced, with a group, and lists topics', async () => {
    const dir = tempDir();
    expect(kcat(['-b', mock.bootstrap, '-P', '-t', 'fromkcat'], 'a\nb\nc\n').status).toBe(0);
    const c = await bin('kafka-console-consumer', ['--bootstrap-server', mock.bootstrap, '--topic', 'fromkcat', '--from-beginning', '--group', 'g', '--max-messages', '3'], dir);
    expect(c.stdout.split('\n').filter(Boolean).sort()).toEqual(['a', 'b', 'c']);
    expect(c.stderr).toBe('Processed a total of 3 messages\n');
    const list = await bin('kafka-topics', ['--bootstrap-server', mock.bootstrap, '--list'], dir);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['fromkcat', 'keyed']));
  });

  it('fails fast with one line when no broker listens', async () => {
    const dir = tempDir();
    const r = await bin('kafka-topics', ['--bootstrap-server', '127.0.0.1:1', '--list'], dir);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error while executing topic command : Cannot connect to the Kafka cluster at 127.0.0.1:1: check --bootstrap-server and that a broker listens there.\n' });
    // librdkafka retries a refused connection for ever: the producer ends at the first
    // "all broker connections are down" instead.
    const p = await bin('kafka-console-producer', ['--bootstrap-server', '127.0.0.1:1', '--topic', 't'], dir, 'a\n');
    expect(p).toEqual({ code: 1, stdout: '', stderr: 'Error: Cannot connect to the Kafka cluster at 127.0.0.1:1: check --bootstrap-server and that a broker listens there.\n' });
  });
});
