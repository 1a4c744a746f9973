// node-rdkafka is an optional peer dependency, absent from a default install (its librdkafka
// compiles for minutes), so the compiler may not find its own types: the little the producer uses.
declare module 'node-rdkafka' {
  export interface LibrdKafkaError {
    code: number;
    message: string;
  }
  export interface DeliveryReport {
    topic: string;
    partition: number;
    offset: number;
    opaque?: unknown;
  }
  export class Producer {
    constructor(config: Record<string, unknown>, topicConfig?: Record<string, unknown>);
    connect(options: { timeout?: number }, callback: (err: LibrdKafkaError | null) => void): this;
    disconnect(callback?: () => void): this;
    flush(timeout: number, callback: (err: LibrdKafkaError | null) => void): this;
    poll(): this;
    setPollInterval(ms: number): this;
    produce(topic: string, partition: number | null, value: Buffer | null, key?: Buffer | null, timestamp?: number, opaque?: unknown, headers?: unknown): boolean;
    on(event: 'delivery-report', listener: (err: LibrdKafkaError | null, report: DeliveryReport) => void): this;
    on(event: 'event.error', listener: (err: LibrdKafkaError) => void): this;
    removeAllListeners(event?: string): this;
  }
  export const features: string[];
}
