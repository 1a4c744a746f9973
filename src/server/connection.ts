// One client connection: splits the byte stream into size-prefixed frames, handles requests one at
// a time in arrival order (as a Kafka broker does per connection), and writes each response.
// A frame that is too large, or a request that cannot be parsed, closes this connection only.
import type { Socket } from 'node:net';
import { readRequestHeader, skipHeaderTags, writeResponseHeader, API_VERSIONS_KEY } from '../protocol/header.js';
import { Reader } from '../protocol/reader.js';
import { decode, encode } from '../protocol/schema.js';
import { Writer } from '../protocol/writer.js';
import type { ApiHandler, ServerContext } from './context.js';
import { apiVersionsFallback } from './apis/api-versions.js';
import { RefusalLog, runInScope, type RequestScope } from './refusals.js';

/** Requests parsed but not yet handled; beyond this the socket is paused. */
const MAX_QUEUED = 32;

/** One per server, so that repeats are counted across connections. */
const refusalLogs = new WeakMap<ServerContext, RefusalLog>();
const DEFAULT_IDLE_MS = 600_000;

function idleTimeoutMs(server: ServerContext): number {
  const n = Number(server.cluster.settings()['connections.max.idle.ms'] ?? DEFAULT_IDLE_MS);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_IDLE_MS;
}

export function serveConnection(socket: Socket, server: ServerContext, brokerId: number, handlers: Map<number, ApiHandler>): void {
  const abort = new AbortController();
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const clientHost = `/${socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown'}`;
  let chunks: Buffer[] = [];
  let buffered = 0;
  const queue: Buffer[] = [];
  let busy = false;
  let closed = false;
  const refusals = refusalLogs.get(server) ?? refusalLogs.set(server, new RefusalLog((m) => server.log(m))).get(server)!;

  const close = (reason?: string) => {
    if (closed) return;
    closed = true;
    if (reason) server.log(`Closing connection from ${peer} (broker ${brokerId}): ${reason}`);
    abort.abort();
    socket.destroy();
  };

  socket.setNoDelay(true);
  // Kafka's connections.max.idle.ms: a connection that neither sent nor received anything for that
  // long is closed, so that idle or half-sent connections (slowloris) do not pile up. A request
  // still being handled (a long-polling fetch) does not count as idle.
  socket.setTimeout(idleTimeoutMs(server));
  socket.on('timeout', () => {
    if (!busy && queue.length === 0) close();
  });
  socket.on('error', () => close());
  socket.on('close', () => close());
  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= 4) {
      const head = chunks[0].length >= 4 ? chunks[0] : (chunks = [Buffer.concat(chunks)])[0];
      const size = head.readInt32BE(0);
      // Refused before anything is allocated for it.
      if (size < 0 || size > server.maxRequestBytes) {
        close(`request size ${size} is outside 0..${server.maxRequestBytes} (socket.request.max.bytes)`);
        return;
      }
      if (buffered < size + 4) break;
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
      queue.push(all.subarray(4, size + 4));
      const rest = all.subarray(size + 4);
      chunks = rest.length > 0 ? [rest] : [];
      buffered = rest.length;
    }
    if (queue.length >= MAX_QUEUED) socket.pause();
    if (!busy) void drain();
  });

  async function drain(): Promise<void> {
    busy = true;
    while (queue.length > 0 && !closed) {
      const frame = queue.shift()!;
      if (queue.length < MAX_QUEUED / 2 && socket.isPaused()) socket.resume();
      try {
        const out = await handleFrame(frame);
        if (out && !closed) {
          const size = Buffer.allocUnsafe(4);
          size.writeInt32BE(out.length, 0);
          socket.cork();
          socket.write(size);
          for (const c of out.chunks) socket.write(c);
          socket.uncork();
          // A client that does not read its responses gets no more answers until it does, so a
          // slow reader cannot make the server buffer fetch after fetch.
          if (socket.writableNeedDrain) await new Promise<void>((resolve) => {
            const done = () => {
              socket.off('drain', done);
              socket.off('close', done);
              resolve();
            };
            socket.on('drain', done);
            socket.on('close', done);
          });
        }
      } catch (err) {
        close((err as Error).message);
      }
    }
    busy = false;
  }

  async function handleFrame(frame: Buffer): Promise<{ chunks: Buffer[]; length: number } | null> {
    const r = new Reader(frame);
    const header = readRequestHeader(r);
    const handler = handlers.get(header.apiKey);
    if (!handler) throw new Error(`unsupported API key ${header.apiKey} (it is not listed in our ApiVersions response)`);
    const { spec } = handler;
    const version = header.apiVersion;
    if (version < spec.minVersion || version > spec.maxVersion) {
      // A client that guessed too high an ApiVersions version gets our version list in v0 form to retry with.
      if (header.apiKey === API_VERSIONS_KEY) return respond(header.correlationId, 0, false, apiVersionsFallback(handlers));
      throw new Error(`${spec.name} v${version} is not supported (this server supports v${spec.minVersion}-v${spec.maxVersion})`);
    }
    const flexible = version >= spec.request.flexibleFrom;
    if (flexible) skipHeaderTags(r);
    const request = decode<object>(spec.request, version, r);
    const clientId = header.clientId ?? '';
    const scope: RequestScope = { api: spec.name, version, clientId, clientHost, peer, brokerId, refused: [] };
    const response = await runInScope(scope, () =>
      handler.handle(request, { server, brokerId, apiVersion: version, clientId, clientHost, signal: abort.signal }),
    );
    if (scope.refused.length > 0) refusals.report(scope);
    if (response === null) return null;
    const responseFlexible = version >= spec.response.flexibleFrom && header.apiKey !== API_VERSIONS_KEY;
    const w = new Writer();
    writeResponseHeader(w, header.correlationId, responseFlexible);
    encode(spec.response, version, response, w);
    return { chunks: w.finish(), length: w.length };
  }

  function respond(correlationId: number, version: number, flexible: boolean, body: object): { chunks: Buffer[]; length: number } {
    const spec = handlers.get(API_VERSIONS_KEY)!.spec;
    const w = new Writer();
    writeResponseHeader(w, correlationId, flexible);
    encode(spec.response, version, body, w);
    return { chunks: w.finish(), length: w.length };
  }
}
