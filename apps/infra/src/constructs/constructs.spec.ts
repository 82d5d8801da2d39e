import { resourceNames } from '@prod-e/deployment';
import { containerHealthCheck } from '@prod-e/health-contract';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformStack, Testing } from 'cdktf';

import { ServiceAutoscaling } from './autoscaling';
import { testApp } from '../testing/synth';
import type { AwsEnvironment } from './aws-environment';
import { Database, type DatabaseProps } from './database';
import { DeployRole } from './deploy-role';
import { ServiceRoles } from './iam';
import { LoadBalancer, type LoadBalancerProps } from './load-balancer';
import { ServiceLogs } from './logs';
import { Network } from './network';
import { Registry } from './registry';
import { ApiTokenSecret } from './secrets';
import { SecurityGroups } from './security-groups';
import { FargateService, type FargateServiceProps } from './service';

const aws: AwsEnvironment = { accountId: '123456789012', partition: 'aws', region: 'us-west-2' };
const stack = () => new TerraformStack(testApp(), 'test');

const loadBalancerProps: LoadBalancerProps = {
  name: 'lb',
  targetGroupName: 'tg',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-1',
  containerPort: 3000,
};

const serviceProps: FargateServiceProps = {
  region: 'us-west-2',
  clusterName: 'c',
  serviceName: 's',
  taskFamily: 't',
  containerName: 'app',
  image: 'repo:tag',
  containerPort: 3000,
  executionRoleArn: 'arn:exec',
  taskRoleArn: 'arn:task',
  healthCheck: containerHealthCheck(),
  logGroupName: '/ecs/t',
  logStreamPrefix: 'app',
  environment: [{ name: 'NODE_ENV', value: 'production' }],
  secrets: [{ name: 'API_TOKENS', valueFrom: 'arn:secret' }],
  kmsKeyArn: 'arn:key',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupIds: ['sg-1'],
  targetGroupArn: 'arn:tg',
};

const databaseProps: DatabaseProps = {
  aws,
  identifier: 'db',
  subnetGroupName: 'db-subnets',
  monitoringRoleName: 'db-monitoring',
  parameterGroupName: 'db-params',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-1',
  kmsKeyArn: 'arn:key',
  databaseName: 'app',
  masterUsername: 'app_admin',
};

describe('GIVEN the layer constructs', () => {
  it('construct with default settings: the load balancer forwards HTTP with the safe attributes', () => {
    const scope = stack();
    const lb = new LoadBalancer(scope, 'lb', loadBalancerProps);
    expect(lb.httpsListener).toBeUndefined();
    expect(lb.servingListener).toBe(lb.httpListener);
    expect(Testing.synth(scope)).toHaveResourceWithProperties(
      { tfResourceType: 'aws_lb' },
      {
        enable_deletion_protection: true,
        idle_timeout: 60,
      },
    );
  });

  it('errors when a redirect to HTTPS is asked for without a certificate, naming the fix', () => {
    expect(
      () => new LoadBalancer(stack(), 'lb', { ...loadBalancerProps, redirectHttpToHttps: true }),
    ).toThrow(/set certificateArn or turn redirectHttpToHttps off/);
  });

  it('errors when the metrics port is the port the ALB forwards, or CloudFront and CIDRs both admit', () => {
    const groups = {
      vpcId: 'vpc-1',
      albSecurityGroupName: 'alb',
      serviceSecurityGroupName: 'svc',
      databaseSecurityGroupName: 'db',
      containerPort: 3000,
      databasePort: 5432,
    };
    expect(() => new SecurityGroups(stack(), 'sg', { ...groups, metricsPort: 3000 })).toThrow(
      /metrics must not share the port the ALB forwards/,
    );
    expect(
      () =>
        new SecurityGroups(stack(), 'sg', {
          ...groups,
          metricsPort: 9464,
          albIngressCidrs: ['0.0.0.0/0'],
          cloudFrontPrefixListId: 'pl-1',
        }),
    ).toThrow(/only CloudFront reaches the ALB/);
  });

  it('errors when the ALB idle timeout would outlive the API keep-alive', () => {
    expect(
      () => new LoadBalancer(stack(), 'lb', { ...loadBalancerProps, idleTimeoutSeconds: 70 }),
    ).toThrow(/65 s keep-alive/);
  });

  it('errors when ECS Exec is on without an audit log group', () => {
    expect(
      () => new FargateService(stack(), 's', { ...serviceProps, enableExecuteCommand: true }),
    ).toThrow(/pass the ECS Exec log group or turn ECS Exec off/);
  });

  it('errors when the grace period is shorter than the container startPeriod', () => {
    expect(
      () =>
        new FargateService(stack(), 's', { ...serviceProps, healthCheckGracePeriodSeconds: 30 }),
    ).toThrow(/Raise the grace period/);
  });

  it('errors when a variable is both plain and secret', () => {
    expect(
      () =>
        new FargateService(stack(), 's', {
          ...serviceProps,
          environment: [{ name: 'API_TOKENS', value: 'x' }],
        }),
    ).toThrow(/API_TOKENS is both in environment and secrets/);
  });

  it('errors when tasks would get public IPs', () => {
    expect(
      () => new FargateService(stack(), 's', { ...serviceProps, assignPublicIp: true }),
    ).toThrow(/ECS\.2/);
  });

  it('errors when the database admin is a default name or backups are short', () => {
    expect(
      () => new Database(stack(), 'db', { ...databaseProps, masterUsername: 'postgres' }),
    ).toThrow(/RDS\.25/);
    expect(() => new Database(stack(), 'db', { ...databaseProps, backupRetentionDays: 3 })).toThrow(
      /raise it/,
    );
  });

  it('construct with default settings: the database is Multi-AZ, protected and keeps a final snapshot', () => {
    const db = new Database(stack(), 'db', databaseProps);
    expect(db.monitoringRole).toBeDefined();
    expect(db.instance.multiAzInput).toBe(true);
    expect(db.instance.deletionProtectionInput).toBe(true);
    expect(db.instance.finalSnapshotIdentifierInput).toBe('db-final');
  });

  it('errors when the network lists do not match the zones', () => {
    expect(
      () =>
        new Network(stack(), 'n', {
          aws,
          vpcName: 'v',
          availabilityZones: ['a', 'b'],
          publicSubnetCidrs: ['10.0.0.0/24'],
          privateSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
          publicSubnetNames: ['p-a', 'p-b'],
          privateSubnetNames: ['q-a', 'q-b'],
          internetGatewayName: 'igw',
          natGatewayName: 'nat',
          flowLogRoleName: 'flow-logs',
          flowLogGroupName: '/flow',
          kmsKeyArn: 'arn:key',
        }),
    ).toThrow(/publicSubnetCidrs has 1 entries for 2 availabilityZones/);
  });

  it('WHEN natGatewayPerAz THEN each private subnet routes through its own zone NAT', () => {
    const scope = stack();
    const network = new Network(scope, 'n', {
      aws,
      vpcName: 'v',
      availabilityZones: ['us-west-2a', 'us-west-2b'],
      publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'],
      privateSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
      publicSubnetNames: ['p-a', 'p-b'],
      privateSubnetNames: ['q-a', 'q-b'],
      internetGatewayName: 'igw',
      natGatewayName: 'nat',
      flowLogRoleName: 'flow-logs',
      natGatewayPerAz: true,
      flowLogGroupName: '/flow',
      kmsKeyArn: 'arn:key',
    });
    expect(network.natGateways).toHaveLength(2);
    const json = JSON.parse(Testing.synth(scope));
    const targets = Object.values(
      json.resource.aws_route as Record<string, { nat_gateway_id?: string }>,
    )
      .map((r) => r.nat_gateway_id)
      .filter(Boolean);
    expect(targets).toEqual([
      expect.stringMatching(/aws_nat_gateway\.n_nat-gateway-0_/),
      expect.stringMatching(/aws_nat_gateway\.n_nat-gateway-1_/),
    ]);
  });

  it('errors when the registry would keep no image to roll back to', () => {
    expect(
      () =>
        new Registry(stack(), 'r', {
          repositoryName: 'r',
          kmsKeyArn: 'arn:key',
          keepTaggedImages: 1,
        }),
    ).toThrow(/keep at least 2/);
  });

  it('errors when roles would allow ECS Exec without an audit log, or blue/green without its resources', () => {
    const base = {
      aws,
      executionRoleName: 'e',
      taskRoleName: 't',
      repositoryArn: 'arn:repo',
      logGroupArn: 'arn:log',
      secretArns: ['arn:secret'],
      kmsKeyArn: 'arn:key',
      metricsNamespace: 'NS',
    };
    expect(() => new ServiceRoles(stack(), 'i', { ...base, enableExecuteCommand: true })).toThrow(
      /pass the ECS Exec log group/,
    );
    expect(() => new ServiceRoles(stack(), 'i', { ...base, blueGreen: true })).toThrow(
      /loadBalancerRoleName and loadBalancerResources/,
    );
  });

  it('errors when the deploy role trust would use a wildcard', () => {
    expect(
      () =>
        new DeployRole(stack(), 'd', {
          aws,
          roleName: 'd',
          githubRepository: 'acme/*',
          githubEnvironment: 'prod',
          names: resourceNames('prod'),
          oidcProviderArn: 'arn:oidc',
          repositoryArn: 'arn:repo',
          stateBucket: 'b',
          stateKeyPrefix: 'p',
          permissionsBoundaryArn: 'arn:boundary',
        }),
    ).toThrow(/CKV_AWS_393/);
  });

  it('errors when autoscaling bounds are inverted, the token is short, or the exec log is the app log', () => {
    expect(
      () =>
        new ServiceAutoscaling(stack(), 'a', {
          clusterName: 'c',
          serviceName: 's',
          minCount: 3,
          maxCount: 2,
          requestCountResourceLabel: 'x',
        }),
    ).toThrow(/raise maxCount or lower minCount/);
    expect(
      () => new ApiTokenSecret(stack(), 's', { name: 's', kmsKeyArn: 'arn:key', tokenLength: 8 }),
    ).toThrow(/16-character/);
    expect(
      () =>
        new ServiceLogs(stack(), 'l', {
          logGroupName: '/a',
          execLogGroupName: '/a',
          kmsKeyArn: 'arn:key',
        }),
    ).toThrow(/own group/);
  });

  it('construct with default settings: security groups exist with descriptions', () => {
    const scope = stack();
    new SecurityGroups(scope, 'sg', {
      vpcId: 'vpc-1',
      albSecurityGroupName: 'alb',
      serviceSecurityGroupName: 'svc',
      databaseSecurityGroupName: 'db',
      containerPort: 3000,
      databasePort: 5432,
      metricsPort: 9464,
    });
    expect(Testing.synth(scope)).toHaveResourceWithProperties(SecurityGroup, { name: 'svc' });
  });
});
