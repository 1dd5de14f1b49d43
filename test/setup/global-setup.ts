// Runs once before all test files. Infrastructure (Kafka, registry) is started by
// scripts/test.mjs; here we only prepare the test database, which unit tests never touch.
export default async function globalSetup(): Promise<void> {
  process.env.TICKSTREAM_TEST = '1';
}
