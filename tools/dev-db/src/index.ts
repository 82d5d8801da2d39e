export * from './lib/cluster-state';
export * from './lib/dev-db';
export * from './lib/dev-db-settings';
export * from './lib/free-port';
export * from './lib/paths';
export { runningServerPid } from './lib/pg-ctl';
