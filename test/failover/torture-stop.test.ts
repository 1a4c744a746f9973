// Failover torture, part 2: controlled shutdowns (kafka-server-stop) under embedded acks=all producers.
import { it } from 'vitest';
import { cleanUpAfterEach, torture } from './torture.js';

cleanUpAfterEach();

it('kafka-server-stop of a broker, 20 times, under embedded acks=all producers', async () => {
  await torture('controlled shutdown', ['kafkit-embedded', 'kafkit-embedded']);
}, 150_000);
