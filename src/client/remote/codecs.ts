// kafkajs ships gzip only; snappy, lz4 and zstd are registered with the same codecs (and Kafka
// framing) as the embedded engine.
import type kafkajsModule from 'kafkajs';
import { compress, decompress } from '../../engine/record/compression.js';

let registered = false;

export function registerCodecs(kafkajs: typeof kafkajsModule): void {
  if (registered) return;
  registered = true;
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const codec = (name: 'snappy' | 'lz4' | 'zstd') => () => ({
    async compress(encoder: { buffer: Buffer }) {
      return compress(name, encoder.buffer);
    },
    async decompress(buffer: Buffer) {
      return decompress(name, buffer);
    },
  });
  CompressionCodecs[CompressionTypes.Snappy] = codec('snappy');
  CompressionCodecs[CompressionTypes.LZ4] = codec('lz4');
  CompressionCodecs[CompressionTypes.ZSTD] = codec('zstd');
}
