// Kafka's default partitioner, shared by both backends so that a keyed record lands in the same
// partition whichever backend sends it, and the same one the Java client would choose.

const SEED = 0x9747b28c | 0;
const M = 0x5bd1e995;

/** Kafka's murmur2 (Utils.murmur2): a signed 32-bit hash of the key bytes. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[blocks + 2] << 16;
  if (tail >= 2) h ^= data[blocks + 1] << 8;
  if (tail >= 1) {
    h ^= data[blocks];
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** toPositive(murmur2(key)) % numPartitions; toPositive masks the sign bit (it is not Math.abs). */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return (murmur2(key) & 0x7fffffff) % numPartitions;
}

/**
 * Uniform sticky partitioning for null keys (KIP-794): stay on one partition until at least
 * batch.size bytes went to it, then move to a random one.
 */
export class StickyPartitioner {
  private current = -1;
  private bytesOnCurrent = 0;

  constructor(private readonly batchSize: number, private readonly random: () => number = Math.random) {}

  partition(numPartitions: number, recordBytes: number): number {
    if (this.current < 0 || this.current >= numPartitions || this.bytesOnCurrent >= this.batchSize) {
      this.current = Math.floor(this.random() * numPartitions);
      this.bytesOnCurrent = 0;
    }
    this.bytesOnCurrent += recordBytes;
    return this.current;
  }

  /** Counts bytes that went to the current partition after partition() chose it. */
  produced(bytes: number): void {
    this.bytesOnCurrent += bytes;
  }
}

/** The default partitioner: murmur2 for keyed records, sticky for null keys. */
export class DefaultPartitioner {
  private readonly sticky: StickyPartitioner;
  constructor(batchSize: number, random?: () => number) {
    this.sticky = new StickyPartitioner(batchSize, random);
  }
  partition(key: Uint8Array | null, numPartitions: number, recordBytes: number): number {
    return key === null ? this.sticky.partition(numPartitions, recordBytes) : partitionForKey(key, numPartitions);
  }
  /** Bytes of null-key records sent to the partition the last null-key choice returned. */
  produced(bytes: number): void {
    this.sticky.produced(bytes);
  }
}
