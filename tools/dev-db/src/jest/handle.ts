/** Where globalSetup leaves the server for globalTeardown (both run in Jest's parent process). */
export const TEST_DB_HANDLE = Symbol.for('prod-e.dev-db.test-server');
