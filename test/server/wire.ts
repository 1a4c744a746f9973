// One request to one broker over a fresh socket, built and read with the server's own schemas:
// for requests no client library would send (a non-leader broker, hand-made batches).
import { connect } from 'node:net';
import { Reader } from '../../src/protocol/reader.js';
import { decode, encode, type ApiSpec } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';

export async function call<T = Record<string, unknown>>(address: string, spec: ApiSpec, version: number, body: object, clientId = 'wire-test'): Promise<T> {
  const [host, port] = address.split(':');
  const flexible = version >= spec.request.flexibleFrom;
  const w = new Writer();
  w.int16(spec.apiKey);
  w.int16(version);
  w.int32(7);
  w.string(clientId, false);
  if (flexible) w.uvarint(0);
  encode(spec.request, version, body, w);
  const payload = w.toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(Number(port), host);
    let got = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${got.length} bytes`)));
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        socket.removeAllListeners('close');
        socket.destroy();
        resolve(got.subarray(4));
      }
    });
    socket.write(Buffer.concat([size, payload]));
  });
  const r = new Reader(reply);
  r.int32(); // correlation id
  if (version >= spec.response.flexibleFrom) r.uvarint();
  return decode<T>(spec.response, version, r);
}
