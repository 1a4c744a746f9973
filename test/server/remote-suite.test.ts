// The console tools' end-to-end tests a second time in remote mode: every tool gets
// --bootstrap-server and talks, through the kafkajs backend, to a kafka-server-start serving the
// test's own data dir (test/helpers.ts). Tests of known remote-backend gaps are skipped there, each
// with its reason (docs/remote-backend.md).
process.env.KAFKIT_TEST_REMOTE = '1';
await import('../commands/console.test.js');
await import('../commands/kafka-console-e2e.test.js');
