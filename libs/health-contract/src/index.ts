export * from './lib/container-health-check';
export * from './lib/endpoints';
export * from './lib/health-response';
export * from './lib/liveness-response';
export * from './lib/parse-health';
export * from './lib/target-group-health-check';
