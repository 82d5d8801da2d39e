export * from './lib/deployment-settings';
export * from './lib/environment-settings';
export * from './lib/resource-names';
export * from './lib/saved-queries';
export * from './lib/tls-settings';
