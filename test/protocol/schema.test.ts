import { describe, expect, it } from 'vitest';
import { Reader } from '../../src/protocol/reader.js';
import { decode, encode } from '../../src/protocol/schema.js';
import { Heartbeat } from '../../src/protocol/messages/heartbeat.js';
import { FindCoordinator } from '../../src/protocol/messages/find-coordinator.js';
import { Metadata } from '../../src/protocol/messages/metadata.js';
import { ApiVersions } from '../../src/protocol/messages/api-versions.js';
import { Fetch } from '../../src/protocol/messages/fetch.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../src/protocol/consumer-protocol.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('message codec', () => {
  it('decodes a classic request (FindCoordinator v1) and encodes it back byte for byte', () => {
    const bytes = hex('0002 6731 00'); // key "g1", keyType 0
    const req = decode<{ key: string; keyType: number }>(FindCoordinator.request, 1, new Reader(bytes));
    expect(req).toMatchObject({ key: 'g1', keyType: 0 });
    expect(encode(FindCoordinator.request, 1, req).toBuffer()).toEqual(bytes);
  });

  it('decodes a flexible request (Heartbeat v4): compact strings, null instance id, empty tag section', () => {
    const bytes = hex('03 6731 00000007 02 6d 00 00');
    const req = decode<object>(Heartbeat.request, 4, new Reader(bytes));
    expect(req).toEqual({ groupId: 'g1', generationId: 7, memberId: 'm', groupInstanceId: null });
    expect(encode(Heartbeat.request, 4, req).toBuffer()).toEqual(bytes);
  });

  it('treats a null topic list as "all topics" only where the version allows null', () => {
    expect(decode<{ topics: unknown }>(Metadata.request, 1, new Reader(hex('ffffffff'))).topics).toBeNull();
    expect(() => decode(Metadata.request, 0, new Reader(hex('ffffffff')))).toThrow(/Null array/);
  });

  it('skips unknown tagged fields and reads known ones', () => {
    // Fetch v12 request: tag 0 (clusterId) = "c", plus an unknown tag 9 of 2 bytes.
    const body = hex('ffffffff 000001f4 00000001 00000400 00 00000000 ffffffff 01 01 01 02 00 02 02 63 09 02 abcd');
    const req = decode<{ clusterId: string | null; maxWaitMs: number; topics: unknown[] }>(Fetch.request, 12, new Reader(body));
    expect(req.clusterId).toBe('c');
    expect(req.maxWaitMs).toBe(500);
    expect(req.topics).toEqual([]);
  });

  it('writes the ApiVersions v3 response with compact arrays and a tag section', () => {
    const out = encode(ApiVersions.response, 3, { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 }).toBuffer();
    expect(out.toString('hex')).toBe('0000' + '02' + '0012000000030' + '0' + '00000000' + '00');
  });

  it('rejects hostile lengths before allocating', () => {
    expect(() => decode(FindCoordinator.request, 1, new Reader(hex('7fff 00')))).toThrow(/exceeds/);
    expect(() => decode(FindCoordinator.request, 1, new Reader(hex('fffe 00')))).toThrow(/Negative string length -2/);
    expect(() => decode(Metadata.request, 1, new Reader(hex('7fffffff')))).toThrow(/cannot fit/);
    expect(() => decode(Heartbeat.request, 4, new Reader(hex('03 6731 0000')))).toThrow(/truncated/);
    expect(() => decode(Heartbeat.request, 4, new Reader(hex('ffffffffff 00')))).toThrow(/varint/);
  });
});

describe('consumer protocol payloads', () => {
  it('round-trips subscriptions and assignments', () => {
    expect(decodeSubscription(encodeSubscription(['a', 'b'])).topics).toEqual(['a', 'b']);
    const parts = [
      { topic: 'a', partition: 2 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 1 },
    ];
    expect(decodeAssignment(encodeAssignment(parts))).toEqual([
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 2 },
      { topic: 'b', partition: 1 },
    ]);
  });

  it('reads a v1 subscription (owned partitions) sent by a newer client', () => {
    const v1 = hex('0001 00000001 0001 74 ffffffff 00000001 0001 74 00000001 00000003');
    expect(decodeSubscription(v1).topics).toEqual(['t']);
  });

  it("reads kafka-go's subscription: labelled v1, laid out as v0 (no owned partitions)", () => {
    // version 1 | topics ['orders'] | user data null, and nothing after
    expect(decodeSubscription(hex('0001 00000001 0006 6f7264657273 ffffffff')).topics).toEqual(['orders']);
    // the same label with the user data missing too, and a v3 label on the v0 layout
    expect(decodeSubscription(hex('0001 00000001 0006 6f7264657273')).topics).toEqual(['orders']);
    expect(decodeSubscription(hex('0003 00000001 0006 6f7264657273 ffffffff')).topics).toEqual(['orders']);
  });

  it('ignores bytes after the fields it knows, in subscriptions and assignments', () => {
    expect(decodeSubscription(hex('0009 00000001 0001 74 ffffffff 00000000 ffffffff ffff deadbeef')).topics).toEqual(['t']);
    expect(decodeAssignment(hex('0000 00000001 0001 74 00000001 00000002 ffffffff'))).toEqual([{ topic: 't', partition: 2 }]);
    expect(decodeAssignment(hex('0005 00000001 0001 74 00000001 00000002'))).toEqual([{ topic: 't', partition: 2 }]);
  });

  it('still refuses a subscription whose topics are torn', () => {
    expect(() => decodeSubscription(hex('0001 00000002 0001 74'))).toThrow(/truncated|cannot fit/);
  });
});
