// One request over a fresh socket, encoded and decoded with the server's own message descriptions:
// for APIs no client library in the tests exposes (OffsetForLeaderEpoch, a Fetch with a chosen
// currentLeaderEpoch).
import { connect } from 'node:net';
import { skipHeaderTags } from '../../src/protocol/header.js';
import { Reader } from '../../src/protocol/reader.js';
import { decode, encode, type ApiSpec } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';

export async function sendRequest<T>(hostPort: string, spec: ApiSpec, version: number, body: object): Promise<T> {
  const flexible = version >= spec.request.flexibleFrom;
  const w = new Writer();
  w.int16(spec.apiKey);
  w.int16(version);
  w.int32(7);
  w.string('kafkit-test', false);
  if (flexible) w.uvarint(0);
  encode(spec.request, version, body, w);
  const payload = w.toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
  const frame = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(port, host);
    let got = Buffer.alloc(0);
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        socket.destroy();
        resolve(got.subarray(4, 4 + got.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection to ${hostPort} closed before a response`)));
    socket.write(Buffer.concat([size, payload]));
  });
  const r = new Reader(frame);
  if (r.int32() !== 7) throw new Error('correlation id mismatch');
  if (version >= spec.response.flexibleFrom) skipHeaderTags(r);
  return decode<T>(spec.response, version, r);
}
