// The remote backend (issue #7) is not built yet. Until it is, --bootstrap-server fails clearly
// instead of pretending to work.
import type { ClientOptions, KafkaClient } from '../types.js';
import { UnsupportedVersionError } from '../../errors.js';

export function createRemoteClient(options: ClientOptions): KafkaClient {
  throw new UnsupportedVersionError(
    `kafkit cannot talk to ${options.bootstrapServer} yet: the remote backend is not built in this version; drop --bootstrap-server to use the embedded engine.`,
  );
}
