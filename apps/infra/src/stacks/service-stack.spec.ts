import {
  DEFAULT_SCALING_TARGETS,
  MINIMUM_TERRAFORM_VERSION,
  resourceNames,
  SERVICE_URL_OUTPUT,
} from '@prod-e/deployment';
import {
  containerHealthCheck,
  METRICS_PORT,
  targetGroupHealthCheck,
} from '@prod-e/health-contract';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Testing } from 'cdktf';

import { statementsOf } from '../policy/statements';
import {
  all,
  containerOf,
  only,
  pathOf,
  type Synthesized,
  synthesize,
  taskDefinitionOf,
} from '../testing/synth';

const prodNames = resourceNames('prod');
let prod: Synthesized;

beforeAll(() => {
  prod = synthesize();
});

// The service's specification, checked against the synthesized prod stack: its names, ports and
// settings are written out here on purpose (prod-e-container:3000, ecs-target-group-v2, …), so a
// lib constant that drifts from the specification fails in this one place. Other specs import the
// values they check.
describe('GIVEN the prod stack with default settings', () => {
  describe('WHEN synthesized', () => {
    it('THEN the stack id is the project name, deploying to us-west-2', () => {
      expect(prod.service.node.id).toBe('prod-e');
      expect(prod.bootstrap.node.id).toBe('prod-e-bootstrap-123456789012-us-west-2');
      const [provider] = [(prod.json.provider as { aws: { region: string }[] }).aws].flat();
      expect(provider.region).toBe('us-west-2');
    });

    it('THEN the cluster is prod-e-cluster with FARGATE (and FARGATE_SPOT), default FARGATE weight 1, Container Insights', () => {
      expect(prod.synth).toHaveResourceWithProperties(EcsCluster, {
        name: 'prod-e-cluster',
        setting: [{ name: 'containerInsights', value: 'enabled' }],
      });
      expect(prod.synth).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
        capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
        default_capacity_provider_strategy: [{ base: 0, capacity_provider: 'FARGATE', weight: 1 }],
      });
      const [clusterId] = Object.keys(prod.json.resource!.aws_ecs_cluster);
      expect(only(prod.json, 'aws_ecs_cluster_capacity_providers').cluster_name).toBe(
        `\${aws_ecs_cluster.${clusterId}.name}`,
      );
    });

    it('THEN the task definition is prod-e-task: 256 CPU, 512 MiB, awsvpc, Fargate, the named roles', () => {
      expect(prod.synth).toHaveResourceWithProperties(EcsTaskDefinition, {
        family: 'prod-e-task',
        cpu: '256',
        memory: '512',
        network_mode: 'awsvpc',
        requires_compatibilities: ['FARGATE'],
      });
      const task = taskDefinitionOf(prod.json);
      const roles = all(prod.json, 'aws_iam_role');
      const roleRef = (name: string) => {
        const [address] = Object.entries(prod.json.resource!.aws_iam_role).find(
          ([, r]) => r.name === name,
        )!;
        return `\${aws_iam_role.${address}.arn}`;
      };
      expect(roles.map((r) => r.name)).toEqual(
        expect.arrayContaining(['ecs-task-execution-role', 'ecs-task-role']),
      );
      expect(task.execution_role_arn).toBe(roleRef('ecs-task-execution-role'));
      expect(task.task_role_arn).toBe(roleRef('ecs-task-role'));
    });

    it('THEN the container is prod-e-container from prod-e-backend at the image tag, ports 3000 and metrics, essential', () => {
      const container = containerOf(prod.json);
      expect(container).toMatchObject({
        name: 'prod-e-container',
        essential: true,
        portMappings: [
          { containerPort: 3000, hostPort: 3000, protocol: 'tcp' },
          { name: 'metrics', containerPort: METRICS_PORT, hostPort: METRICS_PORT, protocol: 'tcp' },
        ],
      });
      // The repository is the account bootstrap's, addressed by name: no API call at plan time.
      expect(container.image).toBe(
        '${data.aws_caller_identity.caller.account_id}.dkr.ecr.us-west-2.${data.aws_partition.partition.dns_suffix}/prod-e-backend:0123456789abcdef0123456789abcdef01234567',
      );
      expect(prod.json.resource!.aws_ecr_repository).toBeUndefined();
      expect(Testing.synth(prod.bootstrap)).toHaveResourceWithProperties(EcrRepository, {
        name: 'prod-e-backend',
      });
    });

    it('THEN the container probe is exactly containerHealthCheck() (liveness), a node probe on 3000 with the contract timing, no curl', () => {
      const { healthCheck } = containerOf(prod.json);
      expect(healthCheck).toEqual(containerHealthCheck({ wiring: 'liveness' }));
      expect(healthCheck).toMatchObject({ interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
      expect(healthCheck.command[0]).toBe('CMD-SHELL');
      expect(healthCheck.command[1]).toMatch(/^node -e ".*port:3000.*path:'\/health\/live'/);
      expect(healthCheck.command[1]).not.toContain('curl');
    });

    it('THEN the container is hardened: non-root, read-only root with /tmp, no capabilities, init, stopTimeout 30', () => {
      expect(containerOf(prod.json)).toMatchObject({
        user: '1000:1000',
        privileged: false,
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
        stopTimeout: 30,
      });
      expect(taskDefinitionOf(prod.json).volume).toEqual([{ name: 'tmp' }]);
    });

    it('THEN logs go to /ecs/prod-e-task under the prod-e-container prefix, kept 365 days, KMS-encrypted', () => {
      const container = containerOf(prod.json);
      expect(container.logConfiguration.logDriver).toBe('awslogs');
      expect(container.logConfiguration.options).toMatchObject({
        'awslogs-region': 'us-west-2',
        'awslogs-stream-prefix': 'prod-e-container',
      });
      expect(prod.synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/ecs/prod-e-task',
        retention_in_days: 365,
      });
      const [groupId, group] = Object.entries(prod.json.resource!.aws_cloudwatch_log_group).find(
        ([, g]) => g.name === '/ecs/prod-e-task',
      )!;
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(container.logConfiguration.options['awslogs-group']).toBe(
        `\${aws_cloudwatch_log_group.${groupId}.name}`,
      );
    });

    it('THEN the environment is plain settings only, and credentials arrive through secrets', () => {
      const container = containerOf(prod.json);
      const env = Object.fromEntries(
        container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
      );
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        PORT: '3000',
        DB_PORT: '5432',
        DB_NAME: 'prod_e',
        APP_VERSION: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(env.DB_HOST).toMatch(/^\$\{aws_db_instance\.[\w-]+\.address\}$/);
      expect(env).toMatchObject({ DB_AUTH: 'iam', DB_SSL: 'verify-full', DB_REGION: 'us-west-2' });
      const secrets = Object.fromEntries(
        container.secrets.map((s: { name: string; valueFrom: string }) => [s.name, s.valueFrom]),
      );
      // No database password at all: IAM tokens replace it (the master secret is the migration task's).
      expect(Object.keys(secrets)).toEqual(['API_TOKENS']);
      expect(secrets.API_TOKENS).toMatch(/^\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}$/);
    });

    it('THEN the service is prod-e-service: FARGATE, LATEST, desired 1, grace 60, private, no public IP, behind prod-e-container:3000', () => {
      expect(prod.synth).toHaveResourceWithProperties(EcsService, {
        name: 'prod-e-service',
        launch_type: 'FARGATE',
        platform_version: 'LATEST',
        desired_count: 1,
        health_check_grace_period_seconds: 60,
        network_configuration: expect.objectContaining({ assign_public_ip: false }),
        load_balancer: [
          expect.objectContaining({ container_name: 'prod-e-container', container_port: 3000 }),
        ],
      });
      const [ref] = only(prod.json, 'aws_ecs_service').load_balancer.map(
        (lb: { target_group_arn: string }) => lb.target_group_arn,
      );
      expect(prod.json.resource!.aws_lb_target_group[ref.split('.')[1]].name).toBe(
        'ecs-target-group-v2',
      );
    });

    it('THEN the service runs in private-subnet-a (primary) and private-subnet-b, with the ecs-security-group', () => {
      const service = only(prod.json, 'aws_ecs_service');
      const subnets = prod.json.resource!.aws_subnet;
      const names = service.network_configuration.subnets.map(
        (ref: string) => subnets[ref.split('.')[1]].tags.Name,
      );
      expect(names).toEqual(['private-subnet-a', 'private-subnet-b']);
      const [sgRef] = service.network_configuration.security_groups;
      expect(prod.json.resource!.aws_security_group[sgRef.split('.')[1]].name).toBe(
        'ecs-security-group',
      );
    });

    it('THEN deployments roll back on the circuit breaker and on the deployment alarms, 100/200 percent', () => {
      const service = only(prod.json, 'aws_ecs_service');
      expect(service).toMatchObject({
        deployment_circuit_breaker: { enable: true, rollback: true },
        deployment_minimum_healthy_percent: 100,
        deployment_maximum_percent: 200,
        alarms: { enable: true, rollback: true },
        enable_execute_command: false,
        propagate_tags: 'SERVICE',
        lifecycle: { ignore_changes: ['desired_count'] },
      });
      const alarmNames = service.alarms.alarm_names.map(
        (ref: string) =>
          prod.json.resource!.aws_cloudwatch_metric_alarm[ref.split('.')[1]].alarm_name,
      );
      expect(alarmNames).toEqual([
        'prod-e-service-alb-5xx',
        'prod-e-service-target-5xx',
        'prod-e-service-unhealthy-hosts',
        'prod-e-service-p99-latency',
        'prod-e-service-service-5xx',
      ]);
    });

    it('THEN the target group is ecs-target-group-v2: ip, port 3000, HTTP, the contract health check, 30 s draining', () => {
      expect(prod.synth).toHaveResourceWithProperties(LbTargetGroup, {
        name: 'ecs-target-group-v2',
        target_type: 'ip',
        port: 3000,
        protocol: 'HTTP',
        deregistration_delay: '30',
      });
      const check = only(prod.json, 'aws_lb_target_group').health_check;
      const expected = targetGroupHealthCheck('liveness');
      expect(check).toEqual({
        enabled: expected.enabled,
        path: expected.path,
        port: expected.port,
        protocol: expected.protocol,
        healthy_threshold: expected.healthyThreshold,
        unhealthy_threshold: expected.unhealthyThreshold,
        timeout: expected.timeout,
        interval: expected.interval,
        matcher: expected.matcher,
      });
      // The values, literally: the contract must not drift from them unnoticed.
      expect(check).toEqual({
        enabled: true,
        path: '/health/live',
        port: 'traffic-port',
        protocol: 'HTTP',
        healthy_threshold: 3,
        unhealthy_threshold: 3,
        timeout: 5,
        interval: 30,
        matcher: '200-299',
      });
    });

    it('THEN the network is main-vpc 10.0.0.0/16 with public and private subnets in two zones and no public IPs', () => {
      expect(prod.synth).toHaveResourceWithProperties(Vpc, {
        cidr_block: '10.0.0.0/16',
        tags: { Name: 'main-vpc' },
      });
      const subnets = all(prod.json, 'aws_subnet');
      expect(subnets.map((s) => [s.tags.Name, s.availability_zone])).toEqual([
        ['public-subnet-a', 'us-west-2a'],
        ['public-subnet-b', 'us-west-2b'],
        ['private-subnet-a', 'us-west-2a'],
        ['private-subnet-b', 'us-west-2b'],
      ]);
      expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
      expect(prod.synth).toHaveResourceWithProperties(Subnet, {
        tags: { Name: 'private-subnet-a', Tier: 'private' },
      });
      // One NAT gateway per zone in prod: losing a zone never cuts the other zone's tasks off.
      const nats = Object.entries(prod.json.resource!.aws_nat_gateway);
      expect(nats).toHaveLength(2);
      expect(nats.map(([, nat]) => nat.subnet_id)).toEqual([
        expect.stringMatching(/aws_subnet\.network_public-subnet-0_/),
        expect.stringMatching(/aws_subnet\.network_public-subnet-1_/),
      ]);
      // Image pulls from private subnets: each private route table's default route is its zone's NAT.
      const privateDefaults = all(prod.json, 'aws_route').filter((r) =>
        /private-route-table/.test(r.route_table_id),
      );
      expect(privateDefaults.map((r) => r.nat_gateway_id)).toEqual(
        nats.map(([id]) => `\${aws_nat_gateway.${id}.id}`),
      );
      expect(privateDefaults.every((r) => r.destination_cidr_block === '0.0.0.0/0')).toBe(true);
      expect(all(prod.json, 'aws_flow_log')).toHaveLength(1);
      expect(only(prod.json, 'aws_default_security_group')).toMatchObject({
        ingress: [],
        egress: [],
      });
    });

    it('THEN ecs-security-group admits 3000 from the ALB group only, and the database only the ECS group', () => {
      const groups = prod.json.resource!.aws_security_group;
      const nameOf = (ref: string) => groups[ref.split('.')[1]].name;
      const ingress = all(prod.json, 'aws_vpc_security_group_ingress_rule');
      const toService = ingress.filter((r) => nameOf(r.security_group_id) === 'ecs-security-group');
      expect(toService).toEqual([
        expect.objectContaining({ from_port: 3000, to_port: 3000, ip_protocol: 'tcp' }),
      ]);
      expect(nameOf(toService[0].referenced_security_group_id)).toBe(prodNames.albSecurityGroup);
      const toDatabase = ingress.filter(
        (r) => nameOf(r.security_group_id) === prodNames.databaseSecurityGroup,
      );
      expect(toDatabase).toHaveLength(1);
      expect(nameOf(toDatabase[0].referenced_security_group_id)).toBe('ecs-security-group');
      expect(all(prod.json, 'aws_security_group').every((g) => g.description)).toBe(true);
      expect(prod.synth).toHaveResourceWithProperties(SecurityGroup, {
        name: 'ecs-security-group',
      });
    });

    it('THEN the ALB is internal (behind CloudFront) over both private subnets with the hardening attributes', () => {
      expect(prod.synth).toHaveResourceWithProperties(Lb, {
        name: 'prod-e-alb',
        internal: true,
        drop_invalid_header_fields: true,
        desync_mitigation_mode: 'strictest',
        idle_timeout: 60,
        enable_deletion_protection: true,
      });
      expect(only(prod.json, 'aws_lb').subnets).toEqual([
        expect.stringMatching(/aws_subnet\.network_private-subnet-0/),
        expect.stringMatching(/aws_subnet\.network_private-subnet-1/),
      ]);
      expect(all(prod.json, 'aws_wafv2_web_acl_association')).toHaveLength(1);
    });

    it('THEN port 80 of the internal ALB forwards to the target group (CloudFront ends TLS)', () => {
      const listeners = all(prod.json, 'aws_lb_listener');
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatchObject({
        port: 80,
        protocol: 'HTTP',
        default_action: [{ type: 'forward' }],
      });
    });

    it('THEN ECR (in the bootstrap) keeps immutable, scanned, KMS-encrypted images with a lifecycle policy', () => {
      const bootstrap = prod.bootstrap.toTerraform() as typeof prod.json;
      const prodRepository = all(bootstrap, 'aws_ecr_repository').find(
        (r) => r.name === 'prod-e-backend',
      );
      expect(prodRepository).toMatchObject({
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS' }],
      });
      const rules = JSON.parse(all(bootstrap, 'aws_ecr_lifecycle_policy')[0].policy).rules;
      expect(rules.map((r: { selection: { tagStatus: string } }) => r.selection.tagStatus)).toEqual(
        ['untagged', 'tagged'],
      );
    });

    it('THEN RDS PostgreSQL is private, encrypted, RDS-managed password, TLS forced, backed up and observable', () => {
      expect(prod.synth).toHaveResourceWithProperties(DbInstance, {
        identifier: 'prod-e-db',
        engine: 'postgres',
        engine_version: '17',
        publicly_accessible: false,
        storage_encrypted: true,
        manage_master_user_password: true,
        username: 'prod_e_admin',
        port: 5432,
        multi_az: true,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: 'prod-e-db-final',
        backup_retention_period: 7,
        auto_minor_version_upgrade: true,
        copy_tags_to_snapshot: true,
        performance_insights_enabled: true,
        iam_database_authentication_enabled: true,
        enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      });
      const db = only(prod.json, 'aws_db_instance');
      expect(db).not.toHaveProperty('password');
      const params = Object.fromEntries(
        only(prod.json, 'aws_db_parameter_group').parameter.map(
          (p: { name: string; value: string }) => [p.name, p.value],
        ),
      );
      expect(params).toMatchObject({
        'rds.force_ssl': '1',
        log_statement: 'ddl',
        log_min_duration_statement: '1000',
      });
      expect(only(prod.json, 'aws_db_parameter_group')).toMatchObject({
        name: 'prod-e-postgres17',
        family: 'postgres17',
      });
      expect(only(prod.json, 'aws_db_subnet_group').subnet_ids).toHaveLength(2);
    });

    it('THEN autoscaling tracks CPU, memory and ALB requests per target between min and max', () => {
      expect(only(prod.json, 'aws_appautoscaling_target')).toMatchObject({
        min_capacity: 1,
        max_capacity: 4,
      });
      const metrics = all(prod.json, 'aws_appautoscaling_policy').map(
        (p) =>
          p.target_tracking_scaling_policy_configuration.predefined_metric_specification
            .predefined_metric_type,
      );
      expect(metrics).toEqual([
        'ECSServiceAverageCPUUtilization',
        'ECSServiceAverageMemoryUtilization',
        'ALBRequestCountPerTarget',
      ]);
      // The measured targets (bench/results/, checked there), not numbers typed here.
      expect(
        all(prod.json, 'aws_appautoscaling_policy').map(
          (p) => p.target_tracking_scaling_policy_configuration.target_value,
        ),
      ).toEqual([
        DEFAULT_SCALING_TARGETS.cpuPercent,
        DEFAULT_SCALING_TARGETS.memoryPercent,
        DEFAULT_SCALING_TARGETS.requestsPerTargetPerMinute,
      ]);
    });

    it('THEN tasks spread over both zones: two private subnets in different zones, zone rebalancing on', () => {
      const service = only(prod.json, 'aws_ecs_service');
      const subnets = prod.json.resource!.aws_subnet;
      const zones = service.network_configuration.subnets.map(
        (ref: string) => subnets[ref.split('.')[1]].availability_zone,
      );
      expect(new Set(zones).size).toBe(2);
      expect(service.availability_zone_rebalancing).toBe('ENABLED');
    });

    it('THEN alarms go to the SNS topic and a dashboard exists', () => {
      const alarms = all(prod.json, 'aws_cloudwatch_metric_alarm');
      expect(alarms.map((a) => a.alarm_name)).toEqual(
        expect.arrayContaining([
          'prod-e-service-cpu-high',
          'prod-e-service-memory-high',
          'prod-e-service-database-cpu-high',
          'prod-e-service-database-storage-low',
          'prod-e-service-database-connections-high',
        ]),
      );
      expect(alarms.every((a) => String(a.alarm_actions[0]).startsWith('${aws_sns_topic.'))).toBe(
        true,
      );
      expect(only(prod.json, 'aws_sns_topic').name).toBe('prod-e-alarms');
      expect(only(prod.json, 'aws_cloudwatch_dashboard').dashboard_name).toBe('prod-e');
    });

    it('THEN the state lives in the account- and region-suffixed bucket, locked by S3 itself', () => {
      expect(prod.json.terraform).toMatchObject({
        backend: {
          s3: {
            bucket: 'prod-e-terraform-state-123456789012-us-west-2',
            key: 'prod-e/terraform.tfstate',
            use_lockfile: true,
            encrypt: true,
          },
        },
        required_version: `>= ${MINIMUM_TERRAFORM_VERSION}`,
      });
      expect(JSON.stringify(prod.json.terraform)).not.toContain('dynamodb');
    });

    it('THEN the outputs name the ALB, cluster, service, repository, log group and database, never a password', () => {
      const outputs = prod.json.output as Record<string, { value: string }>;
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          'alb_dns_name',
          SERVICE_URL_OUTPUT,
          'cluster_name',
          'service_name',
          'ecr_repository_url',
          'log_group_name',
          'database_endpoint',
        ]),
      );
      expect(JSON.stringify(outputs)).not.toMatch(/password|secret_string|random_password/i);
    });

    it('THEN every resource lives in a layer construct', () => {
      const layers = new Set(
        Object.values(prod.json.resource!).flatMap((byName) =>
          Object.values(byName).map((r) => pathOf(r).split('/')[0]),
        ),
      );
      expect([...layers].sort()).toEqual(
        [
          'api-token-secret',
          'autoscaling',
          'cloudfront',
          'database',
          'edge-waf',
          'encryption',
          'iam',
          'load-balancer',
          'logs',
          'migrations',
          'monitoring',
          'network',
          'security-groups',
          'service',
          'waf',
        ].sort(),
      );
    });

    it('THEN the execution role has one inline policy instead of managed ones: pull from prod-e-backend, write /ecs/prod-e-task', () => {
      const policy = all(prod.json, 'aws_iam_role_policy').find(
        (p) => p.name === 'pull-log-secrets',
      )!;
      const statements = statementsOf(policy.policy);
      const grant = (action: string) => statements.find((s) => s.actions.includes(action))!;
      const [groupId] = Object.entries(prod.json.resource!.aws_cloudwatch_log_group).find(
        ([, g]) => g.name === '/ecs/prod-e-task',
      )!;
      expect(grant('ecr:GetAuthorizationToken').resources).toEqual(['*']);
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
        expect(grant(action).resources).toEqual([
          'arn:${data.aws_partition.partition.partition}:ecr:us-west-2:${data.aws_caller_identity.caller.account_id}:repository/prod-e-backend',
        ]);
      }
      for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
        expect(grant(action).resources).toEqual([
          `\${aws_cloudwatch_log_group.${groupId}.arn}:log-stream:*`,
        ]);
      }
    });

    it('THEN the roles carry no AWS-managed policy', () => {
      expect(all(prod.json, 'aws_iam_role_policy_attachment')).toHaveLength(0);
      expect(prod.synth).toHaveResource(IamRole);
      expect(all(prod.json, 'aws_iam_role').every((r) => r.managed_policy_arns === undefined)).toBe(
        true,
      );
    });
  });
});
