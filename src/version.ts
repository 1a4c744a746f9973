/** The Kafka release whose tool behaviour kafkit follows, and kafkit's own version. */
export const KAFKA_VERSION = '4.1.0';
export const VERSION = `${KAFKA_VERSION} (kafkit 0.1.0)`;
