import { ECS_EXEC_AGENT_PATHS } from '../../constructs/service';
import {
  block,
  blocks,
  isOneOf,
  parseJson,
  type PolicyRule,
  resourceRule,
  scalarText,
} from '../engine';

type Container = Record<string, unknown> & { name?: string };

const containers = (values: Record<string, unknown>): Container[] => {
  const parsed = parseJson(values.container_definitions);
  return Array.isArray(parsed) ? (parsed as Container[]) : [];
};

/** Names that mean a credential (ECS.8's list, plus the usual suspects). */
const SECRET_NAME =
  /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|ECS_ENGINE_AUTH_DATA|CREDENTIAL)/i;
/** Values that look like credentials whatever their name (AVD-AWS-0036 scans values). */
const SECRET_VALUE =
  /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|postgres(ql)?:\/\/[^:\s]+:[^@\s]+@)/;

const TASK = ['aws_ecs_task_definition'];

/** Agent paths a read-only container does not mount writable (a mount at a parent counts). */
function unmountedAgentPaths(container: Container): string[] {
  if (container.readonlyRootFilesystem !== true) return [];
  const mounted = (
    (container.mountPoints as { containerPath?: string; readOnly?: boolean }[]) ?? []
  )
    .filter((m) => m.readOnly !== true)
    .map((m) => m.containerPath ?? '');
  return ECS_EXEC_AGENT_PATHS.filter(
    (path) => !mounted.some((m) => path === m || path.startsWith(`${m}/`)),
  );
}

export const ecsRules: PolicyRule[] = [
  resourceRule('CKV_AWS_334', ['ECS.4'], 'Containers are not privileged', TASK, (r) =>
    containers(r.values).map((c) =>
      c.privileged === true ? `container ${c.name} is privileged` : undefined,
    ),
  ),
  resourceRule('CKV_AWS_336', ['ECS.5'], 'Containers have a read-only root filesystem', TASK, (r) =>
    containers(r.values).map((c) =>
      c.readonlyRootFilesystem !== true
        ? `container ${c.name} can write its root filesystem`
        : undefined,
    ),
  ),
  resourceRule('CKV_AWS_335', ['ECS.3'], 'Tasks do not share the host PID namespace', TASK, (r) =>
    r.values.pid_mode === 'host' ? 'pid_mode is host' : undefined,
  ),
  resourceRule(
    'ECS.1',
    [],
    'Host network mode only with a non-root, unprivileged container',
    TASK,
    (r) =>
      r.values.network_mode === 'host'
        ? containers(r.values).map((c) =>
            c.privileged === true || !c.user || /^(0|root)(:|$)/.test(scalarText(c.user) ?? '')
              ? `container ${c.name} runs as root or privileged in host network mode`
              : undefined,
          )
        : undefined,
  ),
  resourceRule(
    'AVD-AWS-0036',
    ['ECS.8', 'AwsSolutions-ECS2'],
    'No secrets in plain environment variables (use `secrets`)',
    TASK,
    (r) =>
      containers(r.values).flatMap((c) =>
        ((c.environment as { name?: string; value?: string }[] | undefined) ?? []).map((e) =>
          SECRET_NAME.test(e.name ?? '') || SECRET_VALUE.test(e.value ?? '')
            ? `container ${c.name} passes ${e.name} as a plain environment variable`
            : undefined,
        ),
      ),
  ),
  resourceRule(
    'ECS.9',
    ['AwsSolutions-ECS7'],
    'Containers have a logging configuration',
    TASK,
    (r) =>
      containers(r.values).map((c) =>
        !(c.logConfiguration as { logDriver?: string } | undefined)?.logDriver
          ? `container ${c.name} has no logConfiguration`
          : undefined,
      ),
  ),
  resourceRule('CKV_AWS_249', [], 'Execution role and task role differ', TASK, (r) =>
    r.values.execution_role_arn && r.values.execution_role_arn === r.values.task_role_arn
      ? 'execution_role_arn equals task_role_arn'
      : undefined,
  ),
  resourceRule('CKV_AWS_97', ['AVD-AWS-0035'], 'EFS volumes use transit encryption', TASK, (r) =>
    blocks(r.values.volume).map((v) => {
      const efs = block(v.efs_volume_configuration);
      return efs && efs.transit_encryption !== 'ENABLED'
        ? `EFS volume ${v.name} without transit encryption`
        : undefined;
    }),
  ),
  resourceRule(
    'CKV_AWS_333',
    ['ECS.2'],
    'Services do not assign public IPs',
    ['aws_ecs_service'],
    (r) =>
      block(r.values.network_configuration)?.assign_public_ip === true
        ? 'assign_public_ip is true'
        : undefined,
  ),
  resourceRule(
    'CKV_AWS_332',
    ['ECS.10'],
    'Fargate services run platform version LATEST',
    ['aws_ecs_service'],
    (r) =>
      r.values.launch_type === 'FARGATE' && r.values.platform_version !== 'LATEST'
        ? `platform_version is ${r.values.platform_version ?? 'unset'}`
        : undefined,
  ),
  resourceRule(
    'CKV_AWS_65',
    ['AVD-AWS-0034', 'ECS.12', 'AwsSolutions-ECS4'],
    'Clusters have Container Insights on',
    ['aws_ecs_cluster'],
    (r) =>
      blocks(r.values.setting).some(
        (s) => s.name === 'containerInsights' && isOneOf(s.value, ['enabled', 'enhanced']),
      )
        ? undefined
        : 'containerInsights is not enabled',
  ),
  resourceRule(
    'PRODE-ECS-EXEC',
    [],
    'ECS Exec on a read-only root filesystem mounts the agent paths writable',
    ['aws_ecs_service'],
    (r, ctx) =>
      r.values.enable_execute_command === true
        ? ctx
            .referenced(r.values.task_definition)
            .flatMap((task) => containers(task.values))
            .map((c) => {
              const missing = unmountedAgentPaths(c);
              return missing.length
                ? `ECS Exec is on but container ${c.name} has a read-only root without writable ${missing.join(', ')}`
                : undefined;
            })
        : undefined,
  ),
  resourceRule('CKV_AWS_223', [], 'ECS Exec sessions are logged', ['aws_ecs_cluster'], (r) => {
    const exec = block(block(block(r.values.configuration)?.execute_command_configuration));
    if (!exec) return 'no execute_command_configuration';
    if (exec.logging === 'NONE') return 'ECS Exec logging is NONE';
    const log = block(exec.log_configuration);
    if (exec.logging === 'OVERRIDE' && !log?.cloud_watch_log_group_name && !log?.s3_bucket_name) {
      return 'ECS Exec logging is OVERRIDE without a destination';
    }
    return undefined;
  }),
  resourceRule(
    'CKV_AWS_224',
    [],
    'ECS Exec sessions and logs are encrypted with a CMK',
    ['aws_ecs_cluster'],
    (r) => {
      const exec = block(block(r.values.configuration)?.execute_command_configuration);
      if (!exec?.kms_key_id) return 'ECS Exec has no kms_key_id';
      const log = block(exec.log_configuration);
      return log &&
        log.cloud_watch_encryption_enabled !== true &&
        log.s3_bucket_encryption_enabled !== true
        ? 'ECS Exec log is not encrypted'
        : undefined;
    },
  ),
];
