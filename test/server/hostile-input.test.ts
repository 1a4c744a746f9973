// Hostile input against a running server: oversized frames, malformed requests, and random and
// mutated frames. Each bad connection is closed; the server keeps serving everyone else and the
// stored data does not change.
import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../helpers.js';
import { runProcess, serverPerFile } from './server-process.js';

const ctx = serverPerFile({
  args: ['--override', 'socket.request.max.bytes=1048576'],
  prepare: async (dir) => {
    await bin('kafka-topics', ['--create', '--topic', 'keep', '--partitions', '1', '--replication-factor', '3'], dir);
    await bin('kafka-console-producer', ['--topic', 'keep'], dir, 'a\nb\nc\n');
  },
});
let host: string;
let port: number;

beforeAll(() => {
  [host, port] = [ctx.server.bootstrap.split(',')[0].split(':')[0], Number(ctx.server.bootstrap.split(',')[0].split(':')[1])];
});

/** Sends bytes and resolves with the first response, or what came before the server closed the socket (or 1 s passed). */
function exchange(bytes: Buffer): Promise<{ closed: boolean; reply: Buffer }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, host);
    const chunks: Buffer[] = [];
    let closed = false;
    const done = () => resolve({ closed, reply: Buffer.concat(chunks) });
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, 1000);
    socket.on('data', (d) => {
      chunks.push(d);
      const got = Buffer.concat(chunks);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        done();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      done();
    });
    socket.write(bytes);
  });
}

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** A valid Metadata v1 request for every topic. */
function metadataRequest(correlationId: number): Buffer {
  const b = Buffer.alloc(2 + 2 + 4 + 2 + 4);
  b.writeInt16BE(3, 0);
  b.writeInt16BE(1, 2);
  b.writeInt32BE(correlationId, 4);
  b.writeInt16BE(-1, 8);
  b.writeInt32BE(-1, 10);
  return frame(b);
}

const readAll = () => runProcess('kcat', ['-b', ctx.server.bootstrap, '-C', '-t', 'keep', '-e', '-q', '-f', '%o %s\n']);

describe('hostile input', () => {
  it('answers a well-formed request (the baseline the other cases are measured against)', async () => {
    const r = await exchange(metadataRequest(42));
    expect(r.reply.readInt32BE(4)).toBe(42);
  });

  it('refuses a frame above socket.request.max.bytes from its size prefix alone', async () => {
    const header = Buffer.alloc(4);
    header.writeInt32BE(1_048_577);
    const r = await exchange(header);
    expect(r.closed).toBe(true);
    expect(r.reply.length).toBe(0);
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toContain('request size 1048577 is outside 0..1048576 (socket.request.max.bytes)');
  });

  it('closes the connection on a negative size, an unknown API key, or an unsupported version', async () => {
    expect((await exchange(Buffer.from('ffffffff', 'hex'))).closed).toBe(true);
    const unknownKey = Buffer.from(metadataRequest(1));
    unknownKey.writeInt16BE(999, 4);
    expect((await exchange(unknownKey)).closed).toBe(true);
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toContain('unsupported API key 999');
    const badVersion = Buffer.from(metadataRequest(1));
    badVersion.writeInt16BE(99, 6);
    expect((await exchange(badVersion)).closed).toBe(true);
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toContain('Metadata v99 is not supported');
  });

  it('closes the connection on a negative string length inside a request', async () => {
    const req = Buffer.from(metadataRequest(1));
    req.writeInt32BE(1, 14); // one topic ...
    const body = Buffer.concat([req.subarray(4), Buffer.from('fffe', 'hex')]); // ... whose name has length -2
    expect((await exchange(frame(body))).closed).toBe(true);
  });

  it('fuzz: random and mutated frames never take the server down or change stored data', async () => {
    const before = await readAll();
    expect(before.stdout).toBe('0 a\n1 b\n2 c\n');
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const valid = metadataRequest(7).subarray(4);
    for (let i = 0; i < 200; i++) {
      let body: Buffer;
      if (i % 2 === 0) {
        body = Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
      } else {
        body = Buffer.from(valid);
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
        // Keep most mutations on APIs that write, to try to corrupt data: Produce, DeleteRecords, CreateTopics.
        body.writeInt16BE([0, 21, 19, 3][i % 4], 0);
      }
      await exchange(frame(body));
    }
    // Still serving other clients, with the same data.
    const again = await exchange(metadataRequest(43));
    expect(again.reply.readInt32BE(4)).toBe(43);
    expect((await readAll()).stdout).toBe(before.stdout);
    expect(ctx.server.child.exitCode).toBeNull();
  });
});
