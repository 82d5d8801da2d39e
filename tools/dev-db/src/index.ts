export * from './lib/dev-db';
export * from './lib/free-port';
export * from './lib/paths';
