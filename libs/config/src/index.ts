export * from './lib/api-config';
export * from './lib/container-commands';
export * from './lib/config-error';
export * from './lib/deployment-settings';
export * from './lib/environment-settings';
export * from './lib/resource-names';
export * from './lib/task-environment';
