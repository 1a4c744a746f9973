// The embedded consumer: reads partition leaders of the local cluster up to the high watermark,
// and takes part in its group through the file-based coordinator (src/engine/groups). Its parts,
// as in Kafka's consumer: consumer/subscription-state.ts (assignment and positions),
// consumer/fetcher.ts (reads and decoding), consumer/coordinator.ts (the group).
import type { Consumer, ConsumerOptions, ConsumerRecord, TopicPartitionOffset } from '../types.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import { readOffsets } from '../../engine/groups/group-store.js';
import { InvalidGroupIdError } from '../../errors.js';
import { SubscriptionState, tpKey } from './consumer/subscription-state.js';
import { Fetcher } from './consumer/fetcher.js';
import { ConsumerCoordinator, GROUP_CHECK_MS } from './consumer/coordinator.js';

const NO_GROUP_ID = 'To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.';

export function createEmbeddedConsumer(cluster: Cluster, options: ConsumerOptions): Consumer {
  const replicas = new ReplicaManager(cluster);
  const groupId = options.groupId;
  const subs = new SubscriptionState();
  const fetcher = new Fetcher(replicas, subs, options);
  const group = new ConsumerCoordinator(cluster, options, subs, fetcher);
  let woken = false;
  let waitAbort: AbortController | undefined;
  let closed = false;

  /**
   * poll()'s loop: group work, seeks, a fetch when nothing is waiting, then `deliver`; returns
   * what it delivered once that is something, or when woken, closed or out of time, else waits for
   * data (no busy spin) and goes round again.
   */
  async function waitFor<T>(timeoutMs: number, deliver: () => T, delivered: (out: T) => boolean): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    woken = false;
    for (;;) {
      if (subs.mode === 'group') group.poll();
      fetcher.applySeeks();
      if (fetcher.empty) fetcher.fetch();
      // Before deliver(), as Java's poll() does: the commit covers what earlier polls handed out,
      // which the caller has processed (printed) by now, never what this poll is about to hand out.
      group.maybeAutoCommit();
      const out = deliver();
      if (delivered(out) || woken || closed || Date.now() >= deadline) return out;
      waitAbort = new AbortController();
      const known = subs.assigned.map((tp) => ({ ...tp, known: replicas.highWatermark(tp.topic, tp.partition) }));
      const wait = Math.max(0, Math.min(deadline - Date.now(), subs.mode === 'group' ? GROUP_CHECK_MS : 1000));
      if (known.length === 0) await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(wait, 50));
        waitAbort!.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
      });
      else await replicas.waitForData(known, wait, waitAbort.signal);
      waitAbort = undefined;
    }
  }

  const takeRecords = (): ConsumerRecord[] => {
    fetcher.decodeMore();
    return fetcher.take();
  };
  const someRecords = (out: ConsumerRecord[]) => out.length > 0;
  const someValues = (n: number) => n > 0;

  return {
    async subscribe(topics) {
      if (!groupId) throw new InvalidGroupIdError(NO_GROUP_ID);
      subs.mode = 'group';
      subs.subscription = topics;
      // As Java's consumer (allow.auto.create.topics=true) on a stock broker: a missing topic that is
      // subscribed to by name is created with the cluster defaults.
      if (Array.isArray(topics) && options.properties['allow.auto.create.topics'] !== 'false' && cluster.settings()['auto.create.topics.enable'] === 'true') {
        for (const t of topics) {
          const existed = cluster.topic(t) !== undefined;
          cluster.ensureTopic(t);
          if (!existed) options.onTopicCreated?.(t);
        }
      }
      group.join();
    },
    async assign(partitions) {
      subs.mode = 'assign';
      subs.assigned = [...partitions];
      for (const tp of subs.assigned) {
        const committed = groupId ? readOffsets(cluster.dataDir, groupId)[tp.topic]?.[String(tp.partition)] : undefined;
        subs.seekTo(tpKey(tp), committed ? committed.offset : fetcher.resetOffset(tp));
      }
    },
    async seek(tp, offset) {
      subs.pendingSeeks.set(tpKey(tp), offset);
      if (subs.isAssigned(tp)) fetcher.applySeeks();
    },
    poll(timeoutMs) {
      return waitFor(timeoutMs, takeRecords, someRecords);
    },
    pollValues(timeoutMs, max, format, sink) {
      return waitFor(timeoutMs, () => fetcher.printValues(max, format, sink), someValues);
    },
    assignment() {
      return [...subs.assigned];
    },
    async commit(offsets?: TopicPartitionOffset[]) {
      if (!groupId) throw new InvalidGroupIdError(NO_GROUP_ID);
      group.commit(offsets);
    },
    wakeup() {
      woken = true;
      waitAbort?.abort();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        group.close();
      } finally {
        replicas.close();
      }
    },
  };
}
