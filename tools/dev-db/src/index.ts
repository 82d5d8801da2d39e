export * from './lib/cluster-state';
export * from './lib/dev-db';
export * from './lib/dev-db-settings';
export * from './lib/paths';
export { runningServerPid } from './lib/pg-ctl';
// The toolkit's free-port helper, for the tests and benchmarks that start a database here.
export { freePort } from '@prod-e/cli-kit';
