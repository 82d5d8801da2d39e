import { apiEnvSchema, DB_SERVICE_USER, loadApiConfig } from '@prod-e/api-config';
import { resourceNames } from '@prod-e/deployment';

import type { TerraformJson } from '../policy';
import { all, containerOf, synthesize } from '../testing/synth';

interface Container {
  readonly environment: { name: string; value: string }[];
  readonly secrets: { name: string; valueFrom: string }[];
}

/** What ECS would hand the container: values with Terraform references resolved to placeholders. */
function runtimeEnvironment(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of container.environment) {
    env[name] = value.replace(/\$\{[^}]+\}/g, 'prod-e-db.placeholder.us-west-2.rds.amazonaws.com');
  }
  // A secret's value is whatever Secrets Manager holds: a valid placeholder of its kind.
  for (const { name } of container.secrets)
    env[name] = `placeholder-${name.toLowerCase()}-0123456789`;
  return env;
}

function migrationContainerOf(json: TerraformJson): Container {
  const migration = all(json, 'aws_ecs_task_definition').find(
    (td) => td.family === resourceNames('prod').migrationTaskFamily,
  )!;
  return JSON.parse(migration.container_definitions)[0];
}

describe('GIVEN the synthesized task definitions and the API configuration schema', () => {
  const { json } = synthesize();
  const containers: Record<'service' | 'migration', Container> = {
    service: containerOf(json) as Container,
    migration: migrationContainerOf(json),
  };

  it.each(Object.entries(containers))(
    'THEN the %s container sets only keys the API reads, and the API accepts them',
    (_, container) => {
      const env = runtimeEnvironment(container);
      const known = Object.keys(apiEnvSchema.shape);
      expect(Object.keys(env).filter((key) => !known.includes(key))).toEqual([]);
      expect(() => loadApiConfig(env)).not.toThrow();
    },
  );

  it('THEN the service connects as its own role with IAM tokens over verified TLS, holding no password', () => {
    const { database } = loadApiConfig(runtimeEnvironment(containers.service));
    expect(database).toMatchObject({
      user: DB_SERVICE_USER,
      password: '',
      ssl: 'verify-full',
      iamAuth: { region: 'us-west-2' },
    });
    const names = containers.service.secrets.map((s) => s.name);
    expect(names).toEqual(['API_TOKENS']);
    expect(JSON.stringify(containers.service)).not.toContain('master_user_secret');
  });

  it('THEN only the migration task reads the master secret, with password authentication', () => {
    const { database } = loadApiConfig(runtimeEnvironment(containers.migration));
    expect(database.iamAuth).toBeUndefined();
    expect(database.ssl).toBe('verify-full');
    const secrets = Object.fromEntries(
      containers.migration.secrets.map((s) => [s.name, s.valueFrom]),
    );
    expect(secrets.DB_USER).toMatch(/master_user_secret\[0\]\.secret_arn\}:username::$/);
    expect(secrets.DB_PASSWORD).toMatch(/master_user_secret\[0\]\.secret_arn\}:password::$/);
  });

  it('THEN the task role may connect as exactly the service role of this database', () => {
    const policy = all(json, 'aws_iam_role_policy').find((p) => p.name === 'runtime')!;
    const connect = JSON.parse(policy.policy).Statement.find(
      (s: { Action: string }) => s.Action === 'rds-db:connect',
    );
    expect(connect.Resource).toMatch(
      new RegExp(`:dbuser:\\$\\{aws_db_instance\\.[\\w-]+\\.resource_id\\}/${DB_SERVICE_USER}$`),
    );
  });
});
