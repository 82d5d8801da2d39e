import type { PolicyRule } from '../engine';
import { albRules } from './alb';
import { ecrRules } from './ecr';
import { ecsRules } from './ecs';
import { iamRules } from './iam';
import { iamScopeRules } from './iam-scope';
import { logsRules } from './logs';
import { rdsRules } from './rds';
import { vpcRules } from './vpc';

/** Every rule, by area (the sections of docs/policy-checks.md). */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...ecsRules,
  ...albRules,
  ...ecrRules,
  ...rdsRules,
  ...vpcRules,
  ...iamRules,
  ...iamScopeRules,
  ...logsRules,
];
