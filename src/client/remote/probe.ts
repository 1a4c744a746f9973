// Is there a Kafka broker at --bootstrap-server at all? kafkajs's connection timeout covers the TCP
// connect only: a server that accepts the connection but is not Kafka (an HTTP server on that port)
// leaves its first request waiting for the whole request timeout (30 s), then says "Broker not
// connected". One ApiVersions v0 exchange, bounded by the connection timeout, tells the two apart.
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { BrokerNotAvailableError } from '../../errors.js';

// Every broker answers ApiVersions v0 (a version it does not support gets a v0 answer too), echoing
// the correlation id. This one is four '\n' bytes: a line-based server (HTTP) then sees a malformed
// request line and answers at once instead of waiting for more.
const CORRELATION_ID = 0x0a0a0a0a;
const MAX_ANSWER = 1 << 20;

function apiVersionsV0(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const b = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length);
  b.writeInt32BE(b.length - 4, 0);
  b.writeInt16BE(18, 4);
  b.writeInt16BE(0, 6);
  b.writeInt32BE(CORRELATION_ID, 8);
  b.writeInt16BE(id.length, 12);
  id.copy(b, 14);
  return b;
}

export function unreachable(bootstrap: string): BrokerNotAvailableError {
  return new BrokerNotAvailableError(`Cannot connect to the Kafka cluster at ${bootstrap}: check --bootstrap-server and that a broker listens there.`);
}

/** Resolves true when host:port answers ApiVersions as a Kafka broker does within timeoutMs. */
function answersAsKafka(hostPort: string, timeoutMs: number, tls: ConnectionOptions | undefined): Promise<boolean> {
  const colon = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let socket: Socket;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const send = () => socket.write(apiVersionsV0('kafkit'));
    socket = tls ? tlsConnect({ ...tls, host, port, servername: host }, send) : connect({ host, port }, send);
    let got = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length < 8) return;
      const size = got.readInt32BE(0);
      done(size >= 4 && size <= MAX_ANSWER && got.readInt32BE(4) === CORRELATION_ID);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/** Throws the one-line "cannot connect" error unless some bootstrap server answers as Kafka. */
export async function probeBootstrap(bootstrap: string, timeoutMs: number, tls?: ConnectionOptions): Promise<void> {
  for (const server of bootstrap.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (await answersAsKafka(server, timeoutMs, tls)) return;
  }
  throw unreachable(bootstrap);
}
