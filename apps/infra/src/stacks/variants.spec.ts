import {
  ConfigError,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from '@prod-e/api-config';
import { resourceNames } from '@prod-e/deployment';
import {
  containerHealthCheck,
  HEALTH_PATH,
  LIVENESS_PATH,
  targetGroupHealthCheck,
} from '@prod-e/health-contract';

import { statementsOf } from '../policy/statements';
import { all, containerOf, only, type Synthesized, synthesize } from '../testing/synth';

/**
 * The API's p99 boot budget in seconds, from RUNNING to the first 200 on the health path: what the
 * grace period and the container startPeriod must cover. A 0.25 vCPU Fargate task boots several
 * times slower than a developer machine, where the cold-start bench (`nx run api:bench`) measures
 * it; 20 s leaves room for that and for a slow first database connect. Raise it if the bench says
 * otherwise.
 */
const P99_BOOT_SECONDS = 20;

/** The prod stack with default settings, synthesized once for every describe that reads it. */
let prod: Synthesized;
beforeAll(() => {
  prod = synthesize();
});

describe('GIVEN the health-check wiring setting', () => {
  it.each([
    ['liveness', LIVENESS_PATH],
    ['database', HEALTH_PATH],
  ] as const)(
    'WHEN %s THEN the container probe and the ALB both call %s, exactly as the contract builds them',
    (wiring, path) => {
      // liveness is the default wiring: the shared prod synth is that stack.
      const { json } = wiring === 'liveness' ? prod : synthesize({ healthCheckWiring: wiring });
      const container = containerOf(json);
      expect(container.healthCheck).toEqual(containerHealthCheck({ wiring }));
      expect(container.healthCheck.command[1]).toContain(`path:'${path}'`);
      const check = only(json, 'aws_lb_target_group').health_check;
      expect(check.path).toBe(path);
      expect(check.path).toBe(targetGroupHealthCheck(wiring).path);
    },
  );
});

describe('GIVEN the boot budget and the check timing', () => {
  it('THEN the ALB check interval exceeds its timeout', () => {
    const check = only(prod.json, 'aws_lb_target_group').health_check;
    expect(check.interval).toBeGreaterThan(check.timeout);
  });

  it('THEN time to in-service and out-of-service stays within two minutes', () => {
    const check = only(prod.json, 'aws_lb_target_group').health_check;
    expect(check.healthy_threshold * check.interval).toBeLessThanOrEqual(120);
    expect(check.unhealthy_threshold * check.interval).toBeLessThanOrEqual(120);
  });

  it('THEN the grace period covers the container startPeriod, and the probe times out before ECS does', () => {
    const service = only(prod.json, 'aws_ecs_service');
    const { healthCheck } = containerOf(prod.json);
    expect(service.health_check_grace_period_seconds).toBeGreaterThanOrEqual(
      healthCheck.startPeriod,
    );
    expect(healthCheck.interval).toBeGreaterThan(healthCheck.timeout);
  });

  it('THEN the container startPeriod covers the p99 boot budget', () => {
    expect(containerOf(prod.json).healthCheck.startPeriod).toBeGreaterThanOrEqual(P99_BOOT_SECONDS);
  });

  it('THEN the grace period covers the p99 boot budget plus one ALB interval', () => {
    // Margin: after boot, the next ALB probe (within one interval) passes and ends any failure
    // streak, so ECS never sees a booting target as unhealthy when the grace period ends.
    const { interval } = only(prod.json, 'aws_lb_target_group').health_check;
    expect(
      only(prod.json, 'aws_ecs_service').health_check_grace_period_seconds,
    ).toBeGreaterThanOrEqual(P99_BOOT_SECONDS + interval);
  });

  it('THEN the ALB idle timeout is below the API keep-alive and draining is 15-30 s', () => {
    expect(only(prod.json, 'aws_lb').idle_timeout * 1000).toBeLessThan(
      DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    );
    const delay = Number(only(prod.json, 'aws_lb_target_group').deregistration_delay);
    expect(delay).toBeGreaterThanOrEqual(15);
    expect(delay).toBeLessThanOrEqual(30);
  });

  it('THEN stopTimeout leaves room for a graceful shutdown within Fargate limits', () => {
    const { stopTimeout } = containerOf(prod.json);
    // The API's own shutdown deadline ends before ECS sends SIGKILL.
    expect(stopTimeout * 1000).toBeGreaterThan(DEFAULT_SHUTDOWN_TIMEOUT_MS);
    expect(stopTimeout).toBeGreaterThanOrEqual(30);
    expect(stopTimeout).toBeLessThanOrEqual(120);
  });
});

describe('GIVEN API tokens', () => {
  it('THEN the token secret is prod-e/api-tokens, CMK-encrypted, written write-only from an ephemeral random value', () => {
    const secret = only(prod.json, 'aws_secretsmanager_secret');
    expect(secret.name).toBe(resourceNames('prod').apiTokenSecret);
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    const version = only(prod.json, 'aws_secretsmanager_secret_version');
    expect(version).not.toHaveProperty('secret_string');
    expect(version.secret_string_wo).toMatch(
      /^\$\{ephemeral\.aws_secretsmanager_random_password\.[\w-]+\.random_password\}$/,
    );
    const [random] = Object.values(
      (prod.json.ephemeral as Record<string, Record<string, object>>)
        .aws_secretsmanager_random_password,
    );
    expect(random).toMatchObject({ exclude_punctuation: true, password_length: 48 });
  });

  it('THEN the service’s execution role reads only the token secret; the master secret is the migration task’s', () => {
    const names = resourceNames('prod');
    /** The inline policy of the role with this name. */
    const policyOf = (roleName: string) => {
      const [roleId] = Object.entries(prod.json.resource!.aws_iam_role).find(
        ([, role]) => role.name === roleName,
      )!;
      return all(prod.json, 'aws_iam_role_policy').find(
        (p) => p.role === `\${aws_iam_role.${roleId}.id}`,
      )!;
    };
    const reads = (roleName: string) =>
      statementsOf(policyOf(roleName).policy)
        .filter((s) => s.actions.includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => s.resources);
    const secretArn = `\${aws_secretsmanager_secret.${Object.keys(prod.json.resource!.aws_secretsmanager_secret)[0]}.arn}`;
    expect(reads(names.executionRole)).toEqual([secretArn]);
    expect(reads(names.migrationExecutionRole)).toEqual([
      expect.stringMatching(/master_user_secret\[0\]\.secret_arn\}$/),
      secretArn,
    ]);
    expect(containerOf(prod.json).secrets).toEqual([{ name: 'API_TOKENS', valueFrom: secretArn }]);
  });

  it('THEN kms:Decrypt is scoped to the stack key through Secrets Manager', () => {
    const policy = all(prod.json, 'aws_iam_role_policy').find(
      (p) => p.name === 'pull-log-secrets',
    )!;
    const decrypt = statementsOf(policy.policy).find((s) => s.actions.includes('kms:Decrypt'))!;
    expect(decrypt.resources).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/)]);
    expect(decrypt.condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' },
    });
  });

  it('THEN the task role may not publish metrics: the EMF lines need no permission', () => {
    const policy = all(prod.json, 'aws_iam_role_policy').find((p) => p.name === 'runtime')!;
    const actions = statementsOf(policy.policy).flatMap((s) => s.actions);
    expect(actions).not.toContain('cloudwatch:PutMetricData');
    expect(actions).toEqual(['rds-db:connect']);
  });
});

describe('GIVEN blue/green deployments', () => {
  let blueGreen: Synthesized;
  beforeAll(() => {
    blueGreen = synthesize({ blueGreen: true });
  });

  it('THEN the service uses the ECS-native BLUE_GREEN strategy with the alternate target group and production rule', () => {
    const service = only(blueGreen.json, 'aws_ecs_service');
    expect(service.deployment_configuration).toEqual({
      strategy: 'BLUE_GREEN',
      bake_time_in_minutes: '5',
    });
    const advanced = service.load_balancer[0].advanced_configuration;
    expect(advanced.alternate_target_group_arn).toMatch(
      /aws_lb_target_group\.load-balancer_alternate-target-group/,
    );
    expect(advanced.production_listener_rule).toMatch(
      /aws_lb_listener_rule\.load-balancer_production-rule/,
    );
    expect(advanced.role_arn).toMatch(/aws_iam_role\.iam_load-balancer-role/);
  });

  it('THEN both target groups carry the contract health check and the production rule splits 100/0, ignored after creation', () => {
    const groups = all(blueGreen.json, 'aws_lb_target_group');
    expect(groups.map((g) => g.name)).toEqual(['ecs-target-group-v2', 'ecs-target-group-v2-g']);
    expect(groups.every((g) => g.health_check.path === targetGroupHealthCheck().path)).toBe(true);
    const production = all(blueGreen.json, 'aws_lb_listener_rule').find((r) => r.priority === 100)!;
    expect(
      production.action[0].forward.target_group.map((t: { weight: number }) => t.weight),
    ).toEqual([100, 0]);
    expect(production.lifecycle).toEqual({ ignore_changes: ['action'] });
  });

  it('THEN the traffic-shifting role may modify only the production rule and the two target groups', () => {
    const policy = all(blueGreen.json, 'aws_iam_role_policy').find(
      (p) => p.name === 'shift-traffic',
    )!;
    const statements = statementsOf(policy.policy);
    expect(statements.find((s) => s.sid === 'ShiftProductionRule')!.resources).toHaveLength(1);
    expect(statements.find((s) => s.sid === 'RegisterTargets')!.resources).toHaveLength(2);
    const role = all(blueGreen.json, 'aws_iam_role').find((r) => r.name === 'ecs-blue-green-role')!;
    expect(statementsOf(role.assume_role_policy)[0].principal).toEqual({
      Service: 'ecs.amazonaws.com',
    });
  });
});

describe('GIVEN migrations before the service moves', () => {
  it('THEN a terraform_data run of the migration task definition is replaced on every change and the service depends on it', () => {
    const { json } = prod;
    const [name, run] = Object.entries(json.resource!.terraform_data)[0];
    const [taskDefinition, migration] = Object.entries(json.resource!.aws_ecs_task_definition).find(
      ([, td]) => td.family === resourceNames('prod').migrationTaskFamily,
    )!;
    // The same image as the service's revision, so a new image always migrates first.
    expect(JSON.parse(migration.container_definitions)[0].image).toBe(containerOf(json).image);
    expect(run.triggers_replace.taskDefinitionArn).toBe(
      `\${aws_ecs_task_definition.${taskDefinition}.arn}`,
    );
    expect(run.provisioner).toEqual([
      {
        'local-exec': {
          command: `npx --no-install prod-e migrate --env prod --task-definition \${aws_ecs_task_definition.${taskDefinition}.arn}`,
          working_dir: '${path.root}/../../../../..',
          environment: { AWS_REGION: 'us-west-2' },
        },
      },
    ]);
    expect(only(json, 'aws_ecs_service').depends_on).toContain(`terraform_data.${name}`);
  });

  it('WHEN runMigrations is off THEN there is no run and no dependency', () => {
    const { json } = synthesize({ runMigrations: false });
    expect(json.resource!.terraform_data).toBeUndefined();
    expect(only(json, 'aws_ecs_service').depends_on.join()).not.toContain('terraform_data');
  });
});

describe('GIVEN two environments', () => {
  let staging: Synthesized;
  beforeAll(() => {
    staging = synthesize({ environment: 'staging', imageTag: 'abc1234' });
  });

  it('THEN staging derives distinct names from the same function', () => {
    const names = resourceNames('staging');
    expect(staging.service.node.id).toBe('prod-e-staging');
    expect(only(staging.json, 'aws_ecs_cluster').name).toBe(names.cluster);
    expect(only(staging.json, 'aws_ecs_service').name).toBe('prod-e-staging-service');
    expect(all(staging.json, 'aws_iam_role').map((r) => r.name)).toEqual(
      expect.arrayContaining(['staging-ecs-task-execution-role', 'staging-ecs-task-role']),
    );
  });

  it('THEN no AWS name is shared between the two stacks', () => {
    const namesOf = (json: Synthesized['json']) =>
      new Set(
        Object.entries(json.resource!)
          // Inline policy names are scoped to their role, not to the account.
          .filter(([type]) => type !== 'aws_iam_role_policy')
          .flatMap(([, byName]) => Object.values(byName))
          .map((r) => r.name ?? r.identifier ?? r.family ?? r.alarm_name)
          .filter((n): n is string => typeof n === 'string' && !n.includes('${')),
      );
    const shared = [...namesOf(staging.json)].filter((n) => namesOf(prod.json).has(n));
    expect(shared).toEqual([]);
  });

  it('THEN staging keeps the cost trade-offs off: single-AZ database, no WAF, 14-day logs, destroyable', () => {
    expect(only(staging.json, 'aws_db_instance')).toMatchObject({
      multi_az: false,
      deletion_protection: false,
      skip_final_snapshot: true,
    });
    expect(staging.json.resource!.aws_wafv2_web_acl).toBeUndefined();
    expect(
      all(staging.json, 'aws_cloudwatch_log_group').every((g) => g.retention_in_days === 14),
    ).toBe(true);
  });

  it('WHEN stateBackend is local THEN the stack keeps its state in a gitignored file', () => {
    const { json } = synthesize({ environment: 'dev', imageTag: 'abc1234', stateBackend: 'local' });
    expect(json.terraform).toMatchObject({
      backend: { local: { path: '../../../terraform-state/prod-e-dev.tfstate' } },
    });
  });
});

describe('GIVEN invalid deployment settings', () => {
  it('errors when several keys are bad, naming each one in a ConfigError', () => {
    let error: unknown;
    try {
      synthesize({ cpu: 300, databasePort: 80, environment: 'Prod!' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key).sort()).toEqual([
      'cpu',
      'databasePort',
      'environment',
    ]);
    expect((error as ConfigError).message).toMatch(/cpu/);
  });

  it('errors when prod would deploy the mutable latest tag', () => {
    expect(() => synthesize({ imageTag: 'latest' })).toThrow(/imageTag/);
  });
});
