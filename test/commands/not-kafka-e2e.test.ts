// --bootstrap-server pointing at something that accepts connections but is not Kafka: every tool
// fails fast with the same one line, instead of waiting out the 30 s request timeout.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';

const servers: Server[] = [];
let http = '';
let silent = '';
const listen = (server: Server) => new Promise<string>((resolve) => {
  servers.push(server);
  server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
});

beforeAll(async () => {
  http = await listen(createHttpServer((_req, res) => res.end('hello')));
  // Accepts and reads, never answers.
  silent = await listen(createServer((socket) => socket.resume()));
});
afterAll(() => {
  for (const s of servers) s.close();
  return cleanTempDirs();
});

const cannot = (at: string) => `Cannot connect to the Kafka cluster at ${at}: check --bootstrap-server and that a broker listens there.`;

describe('a --bootstrap-server that is not Kafka', () => {
  it.each([
    ['kafka-topics', ['--list'], (at: string) => `Error while executing topic command : ${cannot(at)}\n`],
    ['kafka-console-consumer', ['--topic', 't'], (at: string) => `Error: ${cannot(at)}\n`],
    ['kafka-consumer-groups', ['--list'], (at: string) => `\nError: Executing consumer group command failed due to ${cannot(at)}\n`],
    ['kafka-console-producer', ['--topic', 't'], (at: string) => `Error: ${cannot(at)}\n`],
  ])('%s says so at once when an HTTP server answers', async (tool, args, message) => {
    const started = Date.now();
    const r = await bin(tool, ['--bootstrap-server', http, ...args], tempDir(), 'x\n');
    expect(r).toEqual({ code: 1, stdout: '', stderr: message(http) });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 20_000);

  it('a server that never answers fails within the connection timeout (--timeout)', async () => {
    const started = Date.now();
    const r = await bin('kafka-consumer-groups', ['--bootstrap-server', silent, '--list', '--timeout', '1500'], tempDir());
    expect(r).toEqual({ code: 1, stdout: '', stderr: `\nError: Executing consumer group command failed due to ${cannot(silent)}\n` });
    expect(Date.now() - started).toBeLessThan(6000);
  }, 20_000);
});
