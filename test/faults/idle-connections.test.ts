// Idle and half-sent connections (slowloris) are closed after connections.max.idle.ms, as Kafka does
// (issue 16 "Leftovers"); a connection in use stays open.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { cleanTempDirs, ROOT, tempDir } from '../helpers.js';

const servers: ChildProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) if (s.exitCode === null) process.kill(s.pid!, 'SIGKILL');
  cleanTempDirs();
});

async function startServer(dataDir: string, args: string[]): Promise<{ host: string; port: number }> {
  const child = spawn(join(ROOT, 'bin', 'kafka-server-start'), ['--port', '0', ...args], { env: { ...process.env, KAFKIT_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /bootstrap servers: ([^,\s:]+):(\d+)/.exec(err);
      if (m) resolve({ host: m[1], port: Number(m[2]) });
    });
    child.on('exit', () => reject(new Error(`kafka-server-start exited:\n${err}`)));
  });
}

/** Milliseconds until the server closes the socket (or `limit` when it does not). */
function closedAfter(socket: Socket, limit: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(limit), limit);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => undefined);
  });
}

/** An ApiVersions v0 request: enough traffic to count as activity. */
function apiVersions(correlationId: number): Buffer {
  const clientId = Buffer.from('t');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('connections.max.idle.ms', () => {
  it('closes a silent connection and a half-sent request; keeps one that talks', async () => {
    const { host, port } = await startServer(tempDir(), ['--override', 'connections.max.idle.ms=400']);
    const silent = connect(port, host);
    const slow = connect(port, host);
    slow.on('connect', () => slow.write(Buffer.from([0, 0])));
    const busy = connect(port, host);
    let answers = 0;
    busy.on('data', () => answers++);
    const ticker = setInterval(() => busy.write(apiVersions(answers)), 150);
    const [a, b, c] = await Promise.all([closedAfter(silent, 5000), closedAfter(slow, 5000), closedAfter(busy, 1500)]);
    clearInterval(ticker);
    busy.destroy();
    expect(a).toBeGreaterThanOrEqual(300);
    expect(a).toBeLessThan(3000);
    expect(b).toBeLessThan(3000);
    expect(c).toBe(1500);
    expect(answers).toBeGreaterThan(3);
  });
});
