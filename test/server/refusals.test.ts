import { describe, expect, it } from 'vitest';
import { RefusalLog, type RequestScope } from '../../src/server/refusals.js';
import { InvalidRequestError, NotLeaderOrFollowerError } from '../../src/errors.js';

const scope = (refused: Error[], clientId = 'kafka-go'): RequestScope => ({
  api: 'JoinGroup',
  version: 2,
  clientId,
  clientHost: '/127.0.0.1',
  peer: '127.0.0.1:5000',
  brokerId: 1,
  refused: refused as RequestScope['refused'],
});

describe('RefusalLog', () => {
  it('logs a refusal once per 30 s per API, error and client, then counts the repeats it held back', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new RefusalLog((m) => lines.push(m), () => now);
    const bad = new InvalidRequestError('Request truncated: needed 4 byte(s) at offset 20, 0 left.');
    log.report(scope([bad]));
    now = 1000;
    log.report(scope([bad]));
    log.report(scope([bad]));
    log.report(scope([bad], 'other'));
    now = 31_000;
    log.report(scope([bad]));
    expect(lines).toEqual([
      "Refused JoinGroup v2 from client 'kafka-go' at 127.0.0.1:5000 (broker 1) with INVALID_REQUEST (42): Request truncated: needed 4 byte(s) at offset 20, 0 left.",
      "Refused JoinGroup v2 from client 'other' at 127.0.0.1:5000 (broker 1) with INVALID_REQUEST (42): Request truncated: needed 4 byte(s) at offset 20, 0 left.",
      "Refused JoinGroup v2 from client 'kafka-go' at 127.0.0.1:5000 (broker 1) with INVALID_REQUEST (42): Request truncated: needed 4 byte(s) at offset 20, 0 left. (2 more like it in the last 31 s)",
    ]);
  });

  it('logs one line for a request refused the same way for many partitions, and one per distinct error', () => {
    const lines: string[] = [];
    const log = new RefusalLog((m) => lines.push(m));
    log.report(scope([new NotLeaderOrFollowerError('p0'), new NotLeaderOrFollowerError('p1'), new InvalidRequestError('x')]));
    expect(lines.map((l) => l.replace(/.* with /, ''))).toEqual(['NOT_LEADER_OR_FOLLOWER (6): p0', 'INVALID_REQUEST (42): x']);
  });
});
