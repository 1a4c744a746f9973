// Failover torture, part 1: kill -9 of broker processes under kafkit (remote) and kcat acks=all producers.
import { it } from 'vitest';
import { cleanUpAfterEach, torture } from './torture.js';

cleanUpAfterEach();

it('kill -9 of a broker process, 20 times, under kafkit (remote) and kcat acks=all producers', async () => {
  await torture('kill -9', ['kafkit-remote', 'kcat']);
}, 150_000);
