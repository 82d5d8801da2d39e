import type { TerraformJson } from './engine';

const doc = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/**
 * Terraform JSON that breaks every rule at least once: the proof that each rule can fail.
 * Each resource notes the rules it is there for.
 */
export const BAD_FIXTURE: TerraformJson = {
  resource: {
    aws_ecs_task_definition: {
      readonly: {
        family: 'readonly',
        execution_role_arn: 'arn:aws:iam::123456789012:role/execution',
        task_role_arn: 'arn:aws:iam::123456789012:role/task',
        container_definitions: JSON.stringify([
          {
            name: 'app',
            readonlyRootFilesystem: true,
            user: '1000:1000',
            logConfiguration: { logDriver: 'awslogs' },
            mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
          },
        ]),
      },
      // CKV_AWS_334, CKV_AWS_336, CKV_AWS_335, ECS.1, AVD-AWS-0036, ECS.9, CKV_AWS_249, CKV_AWS_97
      bad: {
        family: 'bad',
        network_mode: 'host',
        pid_mode: 'host',
        execution_role_arn: 'arn:aws:iam::123456789012:role/shared',
        task_role_arn: 'arn:aws:iam::123456789012:role/shared',
        volume: [
          {
            name: 'efs',
            efs_volume_configuration: { file_system_id: 'fs-1', transit_encryption: 'DISABLED' },
          },
        ],
        container_definitions: JSON.stringify([
          {
            name: 'app',
            privileged: true,
            readonlyRootFilesystem: false,
            user: 'root',
            environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
          },
        ]),
      },
    },
    // CKV_AWS_333, CKV_AWS_332
    aws_ecs_service: {
      bad: {
        launch_type: 'FARGATE',
        platform_version: '1.3.0',
        network_configuration: { assign_public_ip: true },
      },
      // PRODE-ECS-EXEC: Exec on, read-only root, only /tmp mounted
      exec: {
        launch_type: 'FARGATE',
        platform_version: 'LATEST',
        enable_execute_command: true,
        task_definition: '${aws_ecs_task_definition.readonly.arn}',
      },
    },
    // CKV_AWS_65, CKV_AWS_223, CKV_AWS_224
    aws_ecs_cluster: {
      bad: { name: 'bad', setting: [{ name: 'containerInsights', value: 'disabled' }] },
    },
    // CKV_AWS_131, CKV_AWS_91, CKV_AWS_150, CKV_AWS_328, ELB.13, CKV2_AWS_28, AVD-AWS-0053
    aws_lb: {
      bad: {
        internal: false,
        load_balancer_type: 'application',
        drop_invalid_header_fields: false,
        enable_deletion_protection: false,
        desync_mitigation_mode: 'monitor',
        subnets: ['subnet-1'],
      },
    },
    aws_lb_listener: {
      // CKV_AWS_2, CKV2_AWS_20
      http: {
        load_balancer_arn: '${aws_lb.bad.arn}',
        port: 80,
        protocol: 'HTTP',
        default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.bad.arn}' }],
      },
      // CKV_AWS_103, CKV2_AWS_74
      https: {
        load_balancer_arn: '${aws_lb.bad.arn}',
        port: 443,
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-2016-08',
        default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.other.arn}' }],
      },
    },
    // PRODE-PROD-HTTPS (besides the forwarding default action of the HTTP listener above)
    aws_lb_listener_rule: {
      api: {
        listener_arn: '${aws_lb_listener.http.arn}',
        priority: 10,
        action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.bad.arn}' }],
        condition: [{ path_pattern: { values: ['/api/*'] } }],
      },
    },
    aws_lb_target_group: {
      // CKV_AWS_261, CKV_AWS_378 (only an HTTP listener forwards to it)
      bad: { protocol: 'HTTP', health_check: { enabled: false } },
      other: { protocol: 'HTTPS', health_check: { enabled: true, path: '/' } },
    },
    // PRODE-PROD-HTTPS
    aws_cloudfront_distribution: {
      bad: {
        default_cache_behavior: { target_origin_id: 'alb', viewer_protocol_policy: 'allow-all' },
      },
    },
    // CKV2_AWS_76
    aws_wafv2_web_acl: { bad: { name: 'bad', rule: [] } },
    // CKV_AWS_163, CKV_AWS_51, CKV_AWS_136, ECR.3
    aws_ecr_repository: {
      bad: {
        name: 'bad',
        image_tag_mutability: 'MUTABLE',
        image_scanning_configuration: { scan_on_push: false },
      },
    },
    // CKV_AWS_32
    aws_ecr_repository_policy: {
      bad: {
        repository: 'bad',
        policy: doc({
          Sid: 'Public',
          Effect: 'Allow',
          Principal: '*',
          Action: 'ecr:BatchGetImage',
        }),
      },
    },
    aws_db_instance: {
      // CKV_AWS_16, _17, _133, _157, _293, _161, _118, _353, _129, _226, CKV2_AWS_60, CKV_AWS_211, _250,
      // CKV2_AWS_30, CKV2_AWS_69, RDS.23, RDS.25, RDS.18
      bad: {
        engine: 'postgres',
        engine_version: '11.7',
        storage_encrypted: false,
        publicly_accessible: true,
        backup_retention_period: 1,
        multi_az: false,
        deletion_protection: false,
        iam_database_authentication_enabled: false,
        monitoring_interval: 0,
        performance_insights_enabled: false,
        enabled_cloudwatch_logs_exports: [],
        auto_minor_version_upgrade: false,
        copy_tags_to_snapshot: false,
        ca_cert_identifier: 'rds-ca-2019',
        parameter_group_name: '${aws_db_parameter_group.bad.name}',
        port: 5432,
        username: 'postgres',
      },
      // CKV_AWS_354
      insights: { engine: 'postgres', performance_insights_enabled: true },
    },
    aws_db_parameter_group: { bad: { family: 'postgres11', parameter: [] } },
    // CKV2_AWS_11, CKV2_AWS_12, EC2.10 (an ECS service runs, no endpoints)
    aws_vpc: { bad: { cidr_block: '10.0.0.0/16' } },
    // CKV_AWS_130
    aws_subnet: { bad: { vpc_id: '${aws_vpc.bad.id}', map_public_ip_on_launch: true } },
    // CKV_AWS_23, _24, _25, _260, _277, _382, CKV2_AWS_5
    aws_security_group: {
      bad: {
        description: '',
        ingress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }],
        egress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }],
      },
    },
    // CKV2_AWS_35
    aws_route: { bad: { destination_cidr_block: '0.0.0.0/0', instance_id: 'i-123' } },
    // AVD-AWS-0101
    aws_default_vpc: { bad: {} },
    // CKV_AWS_352
    aws_network_acl_rule: {
      bad: {
        egress: false,
        rule_action: 'allow',
        cidr_block: '0.0.0.0/0',
        protocol: 'tcp',
        from_port: 22,
        to_port: 22,
      },
    },
    // CKV_AWS_62, _63, _355, _286, _288, _289, _287, _290, CKV2_AWS_40, AVD-AWS-0342, KMS.2,
    // PRODE-DATA-ARNS
    aws_iam_role_policy: {
      bad: { role: 'bad', policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
    },
    // CKV_AWS_274, AwsSolutions-IAM4
    aws_iam_role_policy_attachment: {
      bad: { role: 'bad', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    },
    aws_iam_role: {
      // CKV_AWS_60
      anyone: {
        assume_role_policy: doc({
          Sid: 'Anyone',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
        }),
      },
      // CKV_AWS_61
      account: {
        assume_role_policy: doc({
          Sid: 'Account',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'sts:AssumeRole',
        }),
      },
      // PRODE-CONFUSED-DEPUTY
      service: {
        assume_role_policy: doc({
          Sid: 'AnyAccountsTasks',
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
      // CKV_AWS_393, PRODE-OIDC-TRUST
      github: {
        assume_role_policy: doc({
          Sid: 'AnyRepo',
          Effect: 'Allow',
          Principal: {
            Federated:
              'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } },
        }),
      },
    },
    // CKV_AWS_66, CKV_AWS_338, CKV_AWS_158
    aws_cloudwatch_log_group: { bad: { name: '/bad' } },
    // CKV_AWS_149, CKV2_AWS_57
    aws_secretsmanager_secret: { bad: { name: 'bad' } },
    // CKV2_AWS_34
    aws_ssm_parameter: { bad: { name: 'bad', type: 'String', value: 'x' } },
    aws_kms_key: {
      // CKV_AWS_7, CKV2_AWS_64
      bad: { enable_key_rotation: false },
      // CKV_AWS_33
      open: {
        enable_key_rotation: true,
        policy: doc({
          Sid: 'Everyone',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'kms:*',
          Resource: '*',
        }),
      },
    },
  },
};
