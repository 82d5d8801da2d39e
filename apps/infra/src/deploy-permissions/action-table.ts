import type { ResourceNames } from '@prod-e/deployment';

/**
 * What the CI deploy role may do, per Terraform resource type of the service stack: the create,
 * read, update, delete and tagging calls the AWS provider makes for that type. Actions and their
 * resource types come from the AWS Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * one page per service, named in each entry. `unscoped` holds only actions that page lists with no
 * resource type (IAM accepts them on `*` only); everything else is scoped to this environment's
 * names, or to the account and region where AWS picks the identifier (VPC ids, key ids).
 */
export interface ResourceTypeGrant {
  /** The Service Authorization Reference page (under …/reference/). */
  readonly reference: string;
  /** Actions that take a resource ARN, and the ARNs they are allowed on. */
  readonly scoped?: { readonly actions: readonly string[]; readonly resources: Scope };
  /** Actions with no resource type in the reference: granted on `*`. */
  readonly unscoped?: readonly string[];
  /**
   * Actions on the `scoped` resources allowed only while the role carries the environment's
   * permissions boundary (`iam:PermissionsBoundary`), so nothing the deploy role creates can hold
   * more than the boundary allows.
   */
  readonly requiresBoundary?: readonly string[];
}

/** Where the grants point: tokens (from the bootstrap stack) or literal values. */
export interface GrantContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly names: ResourceNames;
}

type Scope = (context: GrantContext) => readonly string[];

/**
 * Actions the reference lists without a resource type, so `*` is the only possible scope. The
 * test of the table fails on any `unscoped` action missing here.
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  // list_amazonec2.html: every Describe* call
  'ec2:Describe*',
  // list_amazonelasticcontainerservice.html
  'ecs:DescribeTaskDefinition',
  'ecs:DeregisterTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:RegisterTaskDefinition',
  'ecs:CreateCluster',
  // list_elasticloadbalancingv2.html: every Describe* call
  'elasticloadbalancing:Describe*',
  // list_amazonrds.html
  'rds:DescribeDBEngineVersions',
  'rds:DescribeOrderableDBInstanceOptions',
  // list_awskeymanagementservice.html
  'kms:CreateKey',
  'kms:ListAliases',
  // list_amazoncloudwatchlogs.html
  'logs:DescribeLogGroups',
  'logs:PutQueryDefinition',
  'logs:DescribeQueryDefinitions',
  'logs:DeleteQueryDefinition',
  // list_amazoncloudwatch.html
  'cloudwatch:DescribeAlarms',
  'cloudwatch:ListDashboards',
  // list_applicationautoscaling.html
  'application-autoscaling:DescribeScalableTargets',
  'application-autoscaling:DescribeScalingPolicies',
  // list_awssecretsmanager.html
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  // list_awscertificatemanager.html
  'acm:RequestCertificate',
  // list_awswafv2.html
  'wafv2:ListWebACLs',
  'wafv2:ListAvailableManagedRuleGroups',
  // list_amazonsns.html
  'sns:ListTopics',
  // list_awssecuritytokenservice.html
  'sts:GetCallerIdentity',
  // list_amazonresourcegroupstaggingapi.html
  'tag:GetResources',
]);

const TAGGING = {
  ec2: ['ec2:CreateTags', 'ec2:DeleteTags'],
  elb: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
};

const ec2 =
  (...kinds: string[]): Scope =>
  (c) =>
    kinds.map((kind) => `arn:${c.partition}:ec2:${c.region}:${c.accountId}:${kind}/*`);
const arn =
  (service: string, resource: (c: GrantContext) => string[]): Scope =>
  (c) =>
    resource(c).map((r) => `arn:${c.partition}:${service}:${c.region}:${c.accountId}:${r}`);
const iamRole = (c: GrantContext, name: string) =>
  `arn:${c.partition}:iam::${c.accountId}:role/${name}`;

/** The IAM roles the service stack creates, by name. */
export function serviceRoleNames(names: ResourceNames): string[] {
  return [
    names.executionRole,
    names.migrationExecutionRole,
    names.taskRole,
    names.flowLogRole,
    names.databaseMonitoringRole,
    names.loadBalancerRole,
  ];
}

const albName = (c: GrantContext) => c.names.loadBalancer;
const network = {
  reference: 'list_amazonec2.html',
  unscoped: ['ec2:Describe*'],
};

/** One entry per Terraform resource type (and data source) the service stack may contain. */
export const DEPLOY_ACTION_TABLE: Readonly<Record<string, ResourceTypeGrant>> = {
  aws_vpc: {
    ...network,
    scoped: {
      actions: ['ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', ...TAGGING.ec2],
      resources: ec2('vpc'),
    },
  },
  aws_subnet: {
    ...network,
    scoped: {
      actions: [
        'ec2:CreateSubnet',
        'ec2:DeleteSubnet',
        'ec2:ModifySubnetAttribute',
        ...TAGGING.ec2,
      ],
      resources: ec2('subnet', 'vpc'),
    },
  },
  aws_internet_gateway: {
    ...network,
    scoped: {
      actions: [
        'ec2:CreateInternetGateway',
        'ec2:DeleteInternetGateway',
        'ec2:AttachInternetGateway',
        'ec2:DetachInternetGateway',
        ...TAGGING.ec2,
      ],
      resources: ec2('internet-gateway', 'vpc'),
    },
  },
  aws_eip: {
    ...network,
    scoped: {
      actions: [
        'ec2:AllocateAddress',
        'ec2:ReleaseAddress',
        'ec2:DisassociateAddress',
        ...TAGGING.ec2,
      ],
      resources: ec2('elastic-ip', 'network-interface'),
    },
  },
  aws_nat_gateway: {
    ...network,
    scoped: {
      actions: ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', ...TAGGING.ec2],
      resources: ec2('natgateway', 'subnet', 'elastic-ip'),
    },
  },
  aws_route_table: {
    ...network,
    scoped: {
      actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', ...TAGGING.ec2],
      resources: ec2('route-table', 'vpc'),
    },
  },
  aws_route: {
    ...network,
    scoped: {
      actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
      resources: ec2('route-table', 'natgateway', 'internet-gateway'),
    },
  },
  aws_route_table_association: {
    ...network,
    scoped: {
      actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable'],
      resources: ec2('route-table', 'subnet'),
    },
  },
  aws_default_security_group: {
    ...network,
    scoped: {
      actions: [
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        ...TAGGING.ec2,
      ],
      resources: ec2('security-group', 'security-group-rule'),
    },
  },
  aws_security_group: {
    ...network,
    scoped: {
      actions: [
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:RevokeSecurityGroupEgress',
        ...TAGGING.ec2,
      ],
      resources: ec2('security-group', 'vpc', 'security-group-rule'),
    },
  },
  aws_vpc_security_group_ingress_rule: {
    ...network,
    scoped: {
      actions: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:ModifySecurityGroupRules',
        ...TAGGING.ec2,
      ],
      resources: ec2('security-group', 'security-group-rule'),
    },
  },
  aws_vpc_security_group_egress_rule: {
    ...network,
    scoped: {
      actions: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:ModifySecurityGroupRules',
        ...TAGGING.ec2,
      ],
      resources: ec2('security-group', 'security-group-rule'),
    },
  },
  aws_flow_log: {
    ...network,
    scoped: {
      actions: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', ...TAGGING.ec2],
      resources: ec2('vpc-flow-log', 'vpc'),
    },
  },
  aws_kms_key: {
    reference: 'list_awskeymanagementservice.html',
    unscoped: ['kms:CreateKey'],
    scoped: {
      actions: [
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:UpdateKeyDescription',
        // Services that encrypt with the key (Logs, RDS, Secrets Manager) act as the caller.
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
      ],
      resources: arn('kms', () => ['key/*']),
    },
  },
  aws_kms_alias: {
    reference: 'list_awskeymanagementservice.html',
    unscoped: ['kms:ListAliases'],
    scoped: {
      actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      resources: arn('kms', (c) => [`alias/${c.names.stack}`, 'key/*']),
    },
  },
  aws_cloudwatch_log_group: {
    reference: 'list_amazoncloudwatchlogs.html',
    unscoped: ['logs:DescribeLogGroups'],
    scoped: {
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:AssociateKmsKey',
        'logs:DisassociateKmsKey',
        'logs:ListTagsForResource',
        'logs:TagResource',
        'logs:UntagResource',
      ],
      resources: arn('logs', (c) => [
        `log-group:${c.names.logGroup}`,
        `log-group:${c.names.execLogGroup}`,
        `log-group:${c.names.flowLogGroup}`,
        `log-group:/aws/rds/instance/${c.names.database}/*`,
      ]),
    },
  },
  aws_iam_role: {
    reference: 'list_awsidentityandaccessmanagementiam.html',
    scoped: {
      actions: [
        'iam:GetRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
      ],
      resources: (c) => serviceRoleNames(c.names).map((name) => iamRole(c, name)),
    },
    requiresBoundary: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
  },
  aws_iam_role_policy: {
    reference: 'list_awsidentityandaccessmanagementiam.html',
    scoped: {
      actions: ['iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
      resources: (c) => serviceRoleNames(c.names).map((name) => iamRole(c, name)),
    },
    requiresBoundary: ['iam:PutRolePolicy'],
  },
  aws_lb: {
    reference: 'list_elasticloadbalancingv2.html',
    unscoped: ['elasticloadbalancing:Describe*'],
    scoped: {
      actions: [
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        ...TAGGING.elb,
      ],
      resources: arn('elasticloadbalancing', (c) => [`loadbalancer/app/${albName(c)}/*`]),
    },
  },
  aws_lb_target_group: {
    reference: 'list_elasticloadbalancingv2.html',
    unscoped: ['elasticloadbalancing:Describe*'],
    scoped: {
      actions: [
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        ...TAGGING.elb,
      ],
      resources: arn('elasticloadbalancing', (c) => [`targetgroup/${c.names.targetGroup}*/*`]),
    },
  },
  aws_lb_listener: {
    reference: 'list_elasticloadbalancingv2.html',
    unscoped: ['elasticloadbalancing:Describe*'],
    scoped: {
      actions: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:ModifyListener',
        ...TAGGING.elb,
      ],
      resources: arn('elasticloadbalancing', (c) => [
        `listener/app/${albName(c)}/*`,
        `loadbalancer/app/${albName(c)}/*`,
        `targetgroup/${c.names.targetGroup}*/*`,
      ]),
    },
  },
  aws_lb_listener_rule: {
    reference: 'list_elasticloadbalancingv2.html',
    unscoped: ['elasticloadbalancing:Describe*'],
    scoped: {
      actions: [
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyRule',
        ...TAGGING.elb,
      ],
      resources: arn('elasticloadbalancing', (c) => [
        `listener/app/${albName(c)}/*`,
        `listener-rule/app/${albName(c)}/*`,
        `targetgroup/${c.names.targetGroup}*/*`,
      ]),
    },
  },
  aws_wafv2_web_acl: {
    reference: 'list_awswafv2.html',
    unscoped: ['wafv2:ListWebACLs', 'wafv2:ListAvailableManagedRuleGroups'],
    scoped: {
      actions: [
        'wafv2:CreateWebACL',
        'wafv2:GetWebACL',
        'wafv2:UpdateWebACL',
        'wafv2:DeleteWebACL',
        'wafv2:ListTagsForResource',
        'wafv2:TagResource',
        'wafv2:UntagResource',
      ],
      resources: (c) => [
        ...arn('wafv2', (c) => [
          `regional/webacl/${c.names.webAcl}/*`,
          'regional/managedruleset/*/*',
        ])(c),
        // CloudFront mode: the distribution's web ACL, which WAF keeps in us-east-1.
        `arn:${c.partition}:wafv2:us-east-1:${c.accountId}:global/webacl/${c.names.edgeWebAcl}/*`,
        `arn:${c.partition}:wafv2:us-east-1:${c.accountId}:global/managedruleset/*/*`,
      ],
    },
  },
  aws_wafv2_web_acl_association: {
    reference: 'list_awswafv2.html',
    scoped: {
      actions: [
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'wafv2:GetWebACLForResource',
        'elasticloadbalancing:SetWebAcl',
      ],
      resources: arn('wafv2', (c) => [`regional/webacl/${c.names.loadBalancer}/*`]),
    },
  },
  aws_db_subnet_group: {
    reference: 'list_amazonrds.html',
    scoped: {
      actions: [
        'rds:CreateDBSubnetGroup',
        'rds:DeleteDBSubnetGroup',
        'rds:ModifyDBSubnetGroup',
        'rds:DescribeDBSubnetGroups',
        'rds:AddTagsToResource',
        'rds:RemoveTagsFromResource',
        'rds:ListTagsForResource',
      ],
      resources: arn('rds', (c) => [`subgrp:${c.names.databaseSubnetGroup}`]),
    },
  },
  aws_db_parameter_group: {
    reference: 'list_amazonrds.html',
    scoped: {
      actions: [
        'rds:CreateDBParameterGroup',
        'rds:DeleteDBParameterGroup',
        'rds:ModifyDBParameterGroup',
        'rds:DescribeDBParameterGroups',
        'rds:DescribeDBParameters',
        'rds:AddTagsToResource',
        'rds:RemoveTagsFromResource',
        'rds:ListTagsForResource',
      ],
      resources: arn('rds', (c) => [`pg:${c.names.databaseParameterGroup}*`]),
    },
  },
  aws_db_instance: {
    reference: 'list_amazonrds.html',
    unscoped: ['rds:DescribeDBEngineVersions', 'rds:DescribeOrderableDBInstanceOptions'],
    scoped: {
      actions: [
        'rds:CreateDBInstance',
        'rds:ModifyDBInstance',
        'rds:DeleteDBInstance',
        'rds:RebootDBInstance',
        'rds:DescribeDBInstances',
        'rds:CreateDBSnapshot',
        'rds:AddTagsToResource',
        'rds:RemoveTagsFromResource',
        'rds:ListTagsForResource',
        // manage_master_user_password: RDS creates and rotates the secret as the caller.
        'secretsmanager:CreateSecret',
        'secretsmanager:RotateSecret',
        'secretsmanager:TagResource',
      ],
      resources: (c) => [
        ...arn('rds', (d) => [
          `db:${d.names.database}`,
          `pg:${d.names.databaseParameterGroup}*`,
          `subgrp:${d.names.databaseSubnetGroup}`,
          `snapshot:${d.names.database}-final`,
        ])(c),
        ...arn('secretsmanager', () => ['secret:rds!db-*'])(c),
      ],
    },
  },
  aws_secretsmanager_secret: {
    reference: 'list_awssecretsmanager.html',
    scoped: {
      actions: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:UpdateSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
      ],
      resources: arn('secretsmanager', (c) => [`secret:${c.names.apiTokenSecret}-*`]),
    },
  },
  aws_secretsmanager_secret_version: {
    reference: 'list_awssecretsmanager.html',
    scoped: {
      // Write-only: Terraform puts the value and reads version metadata, never the value.
      actions: ['secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret'],
      resources: arn('secretsmanager', (c) => [`secret:${c.names.apiTokenSecret}-*`]),
    },
  },
  'ephemeral.aws_secretsmanager_random_password': {
    reference: 'list_awssecretsmanager.html',
    unscoped: ['secretsmanager:GetRandomPassword'],
  },
  aws_ecs_cluster: {
    reference: 'list_amazonelasticcontainerservice.html',
    unscoped: ['ecs:CreateCluster'],
    scoped: {
      actions: [
        'ecs:DescribeClusters',
        'ecs:UpdateCluster',
        'ecs:DeleteCluster',
        'ecs:TagResource',
        'ecs:UntagResource',
      ],
      resources: arn('ecs', (c) => [`cluster/${c.names.cluster}`]),
    },
  },
  aws_ecs_cluster_capacity_providers: {
    reference: 'list_amazonelasticcontainerservice.html',
    scoped: {
      actions: ['ecs:PutClusterCapacityProviders', 'ecs:DescribeClusters'],
      resources: arn('ecs', (c) => [`cluster/${c.names.cluster}`]),
    },
  },
  aws_ecs_task_definition: {
    reference: 'list_amazonelasticcontainerservice.html',
    unscoped: [
      'ecs:RegisterTaskDefinition',
      'ecs:DescribeTaskDefinition',
      'ecs:DeregisterTaskDefinition',
      'ecs:ListTaskDefinitions',
    ],
    scoped: {
      actions: ['ecs:TagResource', 'ecs:ListTagsForResource'],
      resources: arn('ecs', (c) => [
        `task-definition/${c.names.taskFamily}:*`,
        `task-definition/${c.names.migrationTaskFamily}:*`,
      ]),
    },
  },
  aws_ecs_service: {
    reference: 'list_amazonelasticcontainerservice.html',
    scoped: {
      actions: [
        'ecs:CreateService',
        'ecs:DescribeServices',
        'ecs:UpdateService',
        'ecs:DeleteService',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      resources: arn('ecs', (c) => [
        `service/${c.names.cluster}/${c.names.service}`,
        `cluster/${c.names.cluster}`,
      ]),
    },
  },
  terraform_data: {
    // The migration run: `prod-e migrate` starts the one-off task and waits for it.
    reference: 'list_amazonelasticcontainerservice.html',
    scoped: {
      actions: ['ecs:RunTask', 'ecs:DescribeTasks', 'ecs:StopTask', 'ecs:ListTasks'],
      resources: arn('ecs', (c) => [
        `task-definition/${c.names.migrationTaskFamily}:*`,
        `task/${c.names.cluster}/*`,
        `container-instance/${c.names.cluster}/*`,
      ]),
    },
  },
  aws_appautoscaling_target: {
    reference: 'list_applicationautoscaling.html',
    unscoped: ['application-autoscaling:DescribeScalableTargets'],
    scoped: {
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:TagResource',
        'application-autoscaling:UntagResource',
        'application-autoscaling:ListTagsForResource',
      ],
      resources: arn('application-autoscaling', () => ['scalable-target/*']),
    },
  },
  aws_appautoscaling_policy: {
    reference: 'list_applicationautoscaling.html',
    unscoped: ['application-autoscaling:DescribeScalingPolicies'],
    scoped: {
      actions: [
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:DeleteScalingPolicy',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
      ],
      resources: (c) => [
        ...arn('application-autoscaling', () => ['scalable-target/*'])(c),
        ...arn('cloudwatch', () => ['alarm:TargetTracking-service/*'])(c),
      ],
    },
  },
  aws_cloudwatch_metric_alarm: {
    reference: 'list_amazoncloudwatch.html',
    unscoped: ['cloudwatch:DescribeAlarms'],
    scoped: {
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ],
      resources: arn('cloudwatch', (c) => [`alarm:${c.names.service}-*`]),
    },
  },
  aws_cloudwatch_dashboard: {
    reference: 'list_amazoncloudwatch.html',
    unscoped: ['cloudwatch:ListDashboards'],
    scoped: {
      actions: [
        'cloudwatch:PutDashboard',
        'cloudwatch:GetDashboard',
        'cloudwatch:DeleteDashboards',
      ],
      // Dashboards are global: the ARN has no region.
      resources: (c) => [
        `arn:${c.partition}:cloudwatch::${c.accountId}:dashboard/${c.names.dashboard}`,
      ],
    },
  },
  aws_cloudwatch_query_definition: {
    // Saved Logs Insights queries have no ARN: IAM cannot scope these three calls.
    reference: 'list_amazoncloudwatchlogs.html',
    unscoped: [
      'logs:PutQueryDefinition',
      'logs:DescribeQueryDefinitions',
      'logs:DeleteQueryDefinition',
    ],
  },
  aws_sns_topic: {
    reference: 'list_amazonsns.html',
    unscoped: ['sns:ListTopics'],
    scoped: {
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:ListTagsForResource',
        'sns:TagResource',
        'sns:UntagResource',
      ],
      resources: arn('sns', (c) => [c.names.alarmTopic]),
    },
  },
  aws_sns_topic_subscription: {
    reference: 'list_amazonsns.html',
    scoped: {
      actions: [
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes',
        'sns:SetSubscriptionAttributes',
        'sns:ListSubscriptionsByTopic',
      ],
      resources: arn('sns', (c) => [c.names.alarmTopic, `${c.names.alarmTopic}:*`]),
    },
  },
  aws_cloudfront_vpc_origin: {
    reference: 'list_amazoncloudfront.html',
    scoped: {
      actions: [
        'cloudfront:CreateVpcOrigin',
        'cloudfront:GetVpcOrigin',
        'cloudfront:UpdateVpcOrigin',
        'cloudfront:DeleteVpcOrigin',
        'cloudfront:ListTagsForResource',
        'cloudfront:TagResource',
        'cloudfront:UntagResource',
        'elasticloadbalancing:DescribeLoadBalancers',
        // CloudFront's service-linked role for VPC origins, made on first use.
        'iam:CreateServiceLinkedRole',
      ],
      resources: (c) => [
        `arn:${c.partition}:cloudfront::${c.accountId}:vpcorigin/*`,
        `arn:${c.partition}:iam::${c.accountId}:role/aws-service-role/vpcorigin.cloudfront.amazonaws.com/*`,
        ...arn('elasticloadbalancing', (c) => [`loadbalancer/app/${c.names.loadBalancer}/*`])(c),
      ],
    },
  },
  aws_cloudfront_distribution: {
    reference: 'list_amazoncloudfront.html',
    scoped: {
      actions: [
        'cloudfront:CreateDistribution',
        'cloudfront:CreateDistributionWithTags',
        'cloudfront:GetDistribution',
        'cloudfront:GetDistributionConfig',
        'cloudfront:UpdateDistribution',
        'cloudfront:DeleteDistribution',
        'cloudfront:ListTagsForResource',
        'cloudfront:TagResource',
        'cloudfront:UntagResource',
        // Attaching the edge web ACL (CloudFront checks it on the caller's behalf).
        'wafv2:GetWebACL',
      ],
      resources: (c) => [
        `arn:${c.partition}:cloudfront::${c.accountId}:distribution/*`,
        `arn:${c.partition}:cloudfront::${c.accountId}:vpcorigin/*`,
        `arn:${c.partition}:wafv2:us-east-1:${c.accountId}:global/webacl/${c.names.edgeWebAcl}/*`,
      ],
    },
  },
  aws_acm_certificate: {
    reference: 'list_awscertificatemanager.html',
    unscoped: ['acm:RequestCertificate'],
    scoped: {
      actions: [
        'acm:DescribeCertificate',
        'acm:DeleteCertificate',
        'acm:AddTagsToCertificate',
        'acm:RemoveTagsFromCertificate',
        'acm:ListTagsForCertificate',
      ],
      resources: arn('acm', () => ['certificate/*']),
    },
  },
  aws_acm_certificate_validation: {
    reference: 'list_awscertificatemanager.html',
    scoped: {
      actions: ['acm:DescribeCertificate'],
      resources: arn('acm', () => ['certificate/*']),
    },
  },
  aws_route53_record: {
    reference: 'list_amazonroute53.html',
    scoped: {
      actions: [
        'route53:ChangeResourceRecordSets',
        'route53:ListResourceRecordSets',
        'route53:GetHostedZone',
        'route53:GetChange',
      ],
      // The zone is the settings' (any zone of the account: the GrantContext carries no zone id).
      resources: (c) => [
        `arn:${c.partition}:route53:::hostedzone/*`,
        `arn:${c.partition}:route53:::change/*`,
      ],
    },
  },
  'data.aws_ec2_managed_prefix_list': {
    reference: 'list_amazonec2.html',
    unscoped: ['ec2:Describe*'],
    scoped: {
      actions: ['ec2:GetManagedPrefixListEntries'],
      // AWS-managed lists are owned by the account "aws".
      resources: (c) => [`arn:${c.partition}:ec2:${c.region}:aws:prefix-list/*`],
    },
  },
  'data.aws_caller_identity': {
    reference: 'list_awssecuritytokenservice.html',
    unscoped: ['sts:GetCallerIdentity'],
  },
  // Computed from the provider's partition and region; AWS is never asked.
  'data.aws_partition': { reference: 'list_awssecuritytokenservice.html' },
};
