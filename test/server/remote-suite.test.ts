// The command tests a second time in remote mode: every tool gets --bootstrap-server and talks,
// through the remote backend, to a kafka-server-start serving the test's own data dir
// (test/helpers.ts). Tests of known remote-backend gaps are skipped there, each with its reason
// (docs/remote-backend.md).
process.env.KAFKIT_TEST_REMOTE = '1';
await import('../commands/kafka-topics.test.js');
await import('../commands/console.test.js');
await import('../commands/console-consumer-extras.test.js');
await import('../commands/kafka-console-e2e.test.js');
await import('../commands/kafka-consumer-groups-e2e.test.js');
