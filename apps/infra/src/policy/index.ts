export * from './engine';
export * from './evaluate';
export { POLICY_RULES } from './rules';
export * from './suppressions';
