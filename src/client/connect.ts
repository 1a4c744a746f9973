import type { ClientOptions, KafkaClient } from './types.js';

/** The one factory: no --bootstrap-server means the embedded engine, otherwise a remote cluster. */
export async function connect(options: ClientOptions): Promise<KafkaClient> {
  if (options.bootstrapServer) {
    // Imported lazily so that embedded runs and --help never pay the client library's load time.
    const { createRemoteClient } = await import('./remote/client.js');
    return createRemoteClient(options);
  }
  const { createEmbeddedClient } = await import('./embedded/client.js');
  return createEmbeddedClient({ ...options, dataDir: options.dataDir ?? defaultDataDir() });
}

export function defaultDataDir(): string {
  return process.env.KAFKIT_DATA_DIR || './.kafkit';
}
