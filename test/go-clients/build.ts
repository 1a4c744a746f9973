// Builds the Go client programs of test/go-clients once per source version, against Debian's
// packaged Go sources (GOPATH=/usr/share/gocode, GO111MODULE=off: nothing is downloaded), into a
// temp dir named by the sources' hash, so that a second test run reuses the binaries (a cold build of
// the three takes about 30 s on two cores, mostly Sarama's cgo zstd and librdkafka's bindings; Go's
// build cache, shared across source versions, keeps an edited program's rebuild to seconds).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCES = join(import.meta.dirname);
export const GO_CLIENTS = ['sarama', 'kafka-go', 'confluent'] as const;
export type GoClient = (typeof GO_CLIENTS)[number];

/** The packages each program needs; .ci/run installs them. */
const PACKAGES = 'golang-go golang-github-shopify-sarama-dev golang-github-segmentio-kafka-go-dev golang-github-confluentinc-confluent-kafka-go-dev librdkafka-dev';

function sourceHash(): string {
  const h = createHash('sha256');
  for (const client of GO_CLIENTS) {
    for (const f of readdirSync(join(SOURCES, client)).sort()) h.update(`${client}/${f}\0`).update(readFileSync(join(SOURCES, client, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Paths of the built programs, by client name. */
export async function buildGoClients(): Promise<Record<GoClient, string>> {
  const dir = join(tmpdir(), `kafkit-go-clients-${sourceHash()}`);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GOPATH: '/usr/share/gocode', GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(tmpdir(), 'kafkit-go-build-cache'), CGO_ENABLED: '1' };
  const paths = {} as Record<GoClient, string>;
  await Promise.all(GO_CLIENTS.map(async (client) => {
    const out = join(dir, client);
    paths[client] = out;
    if (existsSync(out)) return;
    // Built under a temporary name and renamed, so that a concurrent run never starts a half-written binary.
    const partial = `${out}.${process.pid}`;
    try {
      await run('go', ['build', '-o', partial, '.'], { cwd: join(SOURCES, client), env, maxBuffer: 16 << 20 });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw new Error(`go not found: the Go client tests need Debian's ${PACKAGES} (.ci/run installs them)`);
      throw new Error(`go build of test/go-clients/${client} failed (are ${PACKAGES} installed?):\n${err.stderr ?? err.message}`);
    }
    renameSync(partial, out);
  }));
  return paths;
}
