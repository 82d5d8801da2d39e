export * from './lib/cli-error';
export * from './lib/poll';
export * from './lib/port';
export * from './lib/prerequisites';
export * from './lib/program';
export * from './lib/report-error';
export * from './lib/sdk-adapter';
