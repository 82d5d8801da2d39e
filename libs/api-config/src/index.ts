export * from './lib/api-config';
export * from './lib/container-commands';
export * from './lib/config-error';
export * from './lib/task-environment';
export * from './lib/service-metrics';
