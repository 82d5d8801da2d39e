import { type TaskEnvironmentVariable, type TaskSecret } from '@prod-e/api-config';
import { DEFAULT_TASK_CPU, DEFAULT_TASK_MEMORY_MIB } from '@prod-e/deployment';
import type { ContainerHealthCheck } from '@prod-e/health-contract';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** The writable scratch volume under the read-only root filesystem (CKV_AWS_336 / ECS.5). */
export const SCRATCH_VOLUME = { name: 'tmp', containerPath: '/tmp' } as const;

/**
 * Where the ECS Exec (SSM) agent, bind-mounted into the container by ECS, keeps its state and
 * logs. Under a read-only root filesystem they must be writable volumes, or the agent exits and
 * every `execute-command` session fails.
 */
export const ECS_EXEC_AGENT_PATHS = ['/var/lib/amazon', '/var/log/amazon'] as const;

/** The scratch volume, plus the ECS Exec agent's when Exec is on. */
function writableVolumes(enableExecuteCommand: boolean) {
  return [
    SCRATCH_VOLUME,
    ...(enableExecuteCommand
      ? ECS_EXEC_AGENT_PATHS.map((containerPath) => ({
          name: `ecs-exec${containerPath.replaceAll('/', '-')}`,
          containerPath,
        }))
      : []),
  ];
}

/** The `node` user of the official image: never root (ECS.1 intent, Fargate awsvpc). */
export const CONTAINER_USER = '1000:1000';

/** Keyed by the API's configuration schema (built with taskEnvironment/taskSecrets). */
export type ContainerEnvironmentVariable = TaskEnvironmentVariable;
export type ContainerSecret = TaskSecret;

export interface FargateServiceProps {
  readonly region: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly containerName: string;
  /** `<repository url>:<tag>` */
  readonly image: string;
  readonly containerPort: number;
  /** Prometheus metrics: exposed by the container, forwarded by no listener. @default none */
  readonly metricsPort?: number;
  /** Fargate CPU units. @default 256 */
  readonly cpu?: number;
  /** MiB. @default 512 */
  readonly memory?: number;
  /** @default 'X86_64' */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  /** The container probe, exactly as @prod-e/health-contract builds it. */
  readonly healthCheck: ContainerHealthCheck;
  readonly logGroupName: string;
  readonly logStreamPrefix: string;
  /** Plain settings; anything secret goes in `secrets`. */
  readonly environment: readonly ContainerEnvironmentVariable[];
  readonly secrets: readonly ContainerSecret[];
  /** Seconds between SIGTERM and SIGKILL (Fargate allows ≤ 120). @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** ECS.12. @default true */
  readonly containerInsights?: boolean;
  /** ECS Exec; needs execLogGroupName (sessions are audited). @default false */
  readonly enableExecuteCommand?: boolean;
  /**
   * The ECS Exec audit log group; when set, the cluster logs every session there, encrypted.
   * @default none (no exec configuration on the cluster; enableExecuteCommand is then refused)
   */
  readonly execLogGroupName?: string;
  /** Key encrypting ECS Exec sessions and their log (CKV_AWS_224). */
  readonly kmsKeyArn: string;
  /** @default 1 */
  readonly desiredCount?: number;
  /** Must cover the container's startPeriod, or ECS acts on a booting task. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Private subnets, one per zone: Fargate spreads tasks across them. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** ECS.2. @default false */
  readonly assignPublicIp?: boolean;
  readonly targetGroupArn: string;
  /** CloudWatch alarms that roll a deployment back. @default none */
  readonly deploymentAlarmNames?: readonly string[];
  /** ECS-native blue/green (`strategy = BLUE_GREEN`). @default undefined (rolling) */
  readonly blueGreen?: {
    readonly alternateTargetGroupArn: string;
    readonly productionListenerRuleArn: string;
    readonly roleArn: string;
    /** Minutes both revisions stay up after the switch, for a fast rollback. @default 5 */
    readonly bakeTimeMinutes?: number;
  };
  /**
   * A second task definition for the one-off migration task: the same container with its own
   * environment and secrets (the database master secret) and its own execution role, so the
   * service's revision never carries the master credentials. @default none
   */
  readonly migration?: {
    readonly family: string;
    readonly executionRoleArn: string;
    readonly environment: readonly ContainerEnvironmentVariable[];
    readonly secrets: readonly ContainerSecret[];
  };
  /** Whatever must exist before the service moves to a revision (listeners, the migration run). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Refuses settings ECS would accept but that are unsafe or cannot work. */
function validate(props: FargateServiceProps): void {
  const grace = props.healthCheckGracePeriodSeconds ?? 60;
  const stopTimeout = props.stopTimeoutSeconds ?? 30;
  if (props.enableExecuteCommand && !props.execLogGroupName) {
    throw new Error(
      'FargateService: enableExecuteCommand without execLogGroupName would open unaudited shells; pass the ECS Exec log group or turn ECS Exec off.',
    );
  }
  if (props.assignPublicIp && props.targetGroupArn) {
    throw new Error(
      'FargateService: assignPublicIp exposes tasks that the ALB already fronts (ECS.2); keep it off and reach the internet through NAT.',
    );
  }
  if (grace < props.healthCheck.startPeriod) {
    throw new Error(
      `FargateService: healthCheckGracePeriodSeconds ${grace} is shorter than the container startPeriod ${props.healthCheck.startPeriod}; ECS would judge tasks still booting. Raise the grace period.`,
    );
  }
  if (stopTimeout > 120) {
    throw new Error(
      `FargateService: stopTimeoutSeconds ${stopTimeout} exceeds Fargate's 120 s limit; lower it.`,
    );
  }
  const names = [...props.environment, ...props.secrets].map((v) => v.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) {
    throw new Error(
      `FargateService: ${duplicate} is both in environment and secrets (or listed twice); keep one.`,
    );
  }
}

/** The cluster (Container Insights, audited ECS Exec) and its FARGATE / FARGATE_SPOT providers. */
function cluster(scope: Construct, props: FargateServiceProps) {
  const ecsCluster = new EcsCluster(scope, 'cluster', {
    name: props.clusterName,
    setting: [
      {
        name: 'containerInsights',
        value: (props.containerInsights ?? true) ? 'enabled' : 'disabled',
      },
    ],
    configuration: props.execLogGroupName
      ? {
          executeCommandConfiguration: {
            kmsKeyId: props.kmsKeyArn,
            logging: 'OVERRIDE',
            logConfiguration: {
              cloudWatchLogGroupName: props.execLogGroupName,
              cloudWatchEncryptionEnabled: true,
            },
          },
        }
      : undefined,
  });
  const capacityProviders = new EcsClusterCapacityProviders(scope, 'capacity-providers', {
    clusterName: ecsCluster.name,
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }],
  });
  return { cluster: ecsCluster, capacityProviders };
}

const sortByName = <T extends { name: string }>(list: readonly T[]) =>
  [...list].sort((a, b) => a.name.localeCompare(b.name));

/**
 * The API container: non-root, read-only root filesystem with writable volumes, no Linux
 * capabilities, init process, stdout to the awslogs group (log lines and EMF metrics alike).
 */
function containerDefinition(
  props: FargateServiceProps,
  environment: readonly ContainerEnvironmentVariable[],
  secrets: readonly ContainerSecret[],
) {
  return {
    name: props.containerName,
    image: props.image,
    essential: true,
    portMappings: [
      {
        name: 'http',
        containerPort: props.containerPort,
        hostPort: props.containerPort,
        protocol: 'tcp',
        appProtocol: 'http',
      },
      ...(props.metricsPort
        ? [
            {
              name: 'metrics',
              containerPort: props.metricsPort,
              hostPort: props.metricsPort,
              protocol: 'tcp',
            },
          ]
        : []),
    ],
    healthCheck: props.healthCheck,
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': props.logGroupName,
        'awslogs-region': props.region,
        'awslogs-stream-prefix': props.logStreamPrefix,
        // A stalled log pipe must never block the event loop; a bounded buffer drops instead.
        mode: 'non-blocking',
        'max-buffer-size': '25m',
      },
    },
    user: CONTAINER_USER,
    privileged: false,
    readonlyRootFilesystem: true,
    mountPoints: writableVolumes(props.enableExecuteCommand ?? false).map((volume) => ({
      sourceVolume: volume.name,
      containerPath: volume.containerPath,
      readOnly: false,
    })),
    linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
    stopTimeout: props.stopTimeoutSeconds ?? 30,
    environment: sortByName(environment),
    secrets: sortByName(secrets),
  };
}

/** A Fargate task definition of one container, kept when replaced (`prod-e rollback` needs it). */
function taskDefinition(
  scope: Construct,
  id: string,
  props: FargateServiceProps,
  family: { family: string; executionRoleArn: string },
  container: ReturnType<typeof containerDefinition>,
): EcsTaskDefinition {
  return new EcsTaskDefinition(scope, id, {
    family: family.family,
    cpu: String(props.cpu ?? DEFAULT_TASK_CPU),
    memory: String(props.memory ?? DEFAULT_TASK_MEMORY_MIB),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    executionRoleArn: family.executionRoleArn,
    taskRoleArn: props.taskRoleArn,
    runtimePlatform: {
      operatingSystemFamily: 'LINUX',
      cpuArchitecture: props.cpuArchitecture ?? 'X86_64',
    },
    volume: writableVolumes(props.enableExecuteCommand ?? false).map((volume) => ({
      name: volume.name,
    })),
    containerDefinitions: JSON.stringify([container]),
    // Every image change replaces the revision; without this, Terraform would deregister the
    // previous one (INACTIVE), leaving `prod-e rollback` nothing to go back to.
    skipDestroy: true,
  });
}

/** The service: private, circuit breaker and alarms with rollback, 100/200, optional blue/green. */
function ecsService(
  scope: Construct,
  props: FargateServiceProps,
  clusterArn: string,
  taskDefinitionArn: string,
  dependsOn: ITerraformDependable[],
): EcsService {
  const alarms = props.deploymentAlarmNames ?? [];
  return new EcsService(scope, 'service', {
    name: props.serviceName,
    cluster: clusterArn,
    taskDefinition: taskDefinitionArn,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    desiredCount: props.desiredCount ?? 1,
    healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 60,
    networkConfiguration: {
      subnets: [...props.subnetIds],
      securityGroups: [...props.securityGroupIds],
      assignPublicIp: props.assignPublicIp ?? false,
    },
    loadBalancer: [
      {
        targetGroupArn: props.targetGroupArn,
        containerName: props.containerName,
        containerPort: props.containerPort,
        advancedConfiguration: props.blueGreen
          ? {
              alternateTargetGroupArn: props.blueGreen.alternateTargetGroupArn,
              productionListenerRule: props.blueGreen.productionListenerRuleArn,
              roleArn: props.blueGreen.roleArn,
            }
          : undefined,
      },
    ],
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
    deploymentConfiguration: props.blueGreen
      ? {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: String(props.blueGreen.bakeTimeMinutes ?? 5),
        }
      : undefined,
    alarms: alarms.length ? { alarmNames: [...alarms], enable: true, rollback: true } : undefined,
    // Keeps tasks spread over both zones after a zone recovers.
    availabilityZoneRebalancing: 'ENABLED',
    enableExecuteCommand: props.enableExecuteCommand ?? false,
    enableEcsManagedTags: true,
    propagateTags: 'SERVICE',
    // Autoscaling owns the count after creation; a plan must not reset it.
    lifecycle: { ignoreChanges: ['desired_count'] },
    dependsOn,
  });
}

/**
 * The cluster (Container Insights, FARGATE and FARGATE_SPOT, default FARGATE weight 1, audited ECS
 * Exec), the task definition (non-root, read-only root filesystem with a /tmp volume, no Linux
 * capabilities, init process, secrets through `secrets`) and the service (private, circuit breaker
 * and alarms with rollback, 100/200, optional blue/green).
 */
export class FargateService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly capacityProviders: EcsClusterCapacityProviders;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly migrationTaskDefinition?: EcsTaskDefinition;
  public readonly service: EcsService;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    validate(props);
    const made = cluster(this, props);
    this.cluster = made.cluster;
    this.capacityProviders = made.capacityProviders;
    this.taskDefinition = taskDefinition(
      this,
      'task-definition',
      props,
      { family: props.taskFamily, executionRoleArn: props.executionRoleArn },
      containerDefinition(props, props.environment, props.secrets),
    );
    if (props.migration) {
      this.migrationTaskDefinition = taskDefinition(
        this,
        'migration-task-definition',
        props,
        props.migration,
        containerDefinition(props, props.migration.environment, props.migration.secrets),
      );
    }
    this.service = ecsService(this, props, this.cluster.arn, this.taskDefinition.arn, [
      this.capacityProviders,
      ...(props.dependsOn ?? []),
    ]);
  }
}
