import { describeArn } from './inventory';

const kindAndName = (arn: string, name?: string) => {
  const r = describeArn({ ResourceARN: arn, Tags: name ? [{ Key: 'Name', Value: name }] : [] });
  return r && [r.kind, r.name];
};

describe('describeArn', () => {
  it.each([
    ['arn:aws:ecs:us-west-2:1:cluster/prod-e-cluster', ['ecs:cluster', 'prod-e-cluster']],
    [
      'arn:aws:ecs:us-west-2:1:service/prod-e-cluster/prod-e-service',
      ['ecs:service', 'prod-e-service'],
    ],
    [
      'arn:aws:ecs:us-west-2:1:task-definition/prod-e-task:12',
      ['ecs:task-definition', 'prod-e-task'],
    ],
    [
      'arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/app/prod-e-alb/50dc',
      ['elasticloadbalancing:loadbalancer', 'prod-e-alb'],
    ],
    [
      'arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/ecs-target-group-v2/73e2',
      ['elasticloadbalancing:targetgroup', 'ecs-target-group-v2'],
    ],
    ['arn:aws:rds:us-west-2:1:db:prod-e-db', ['rds:db', 'prod-e-db']],
    [
      'arn:aws:secretsmanager:us-west-2:1:secret:prod-e/api-tokens-a1B2c3',
      ['secretsmanager:secret', 'prod-e/api-tokens'],
    ],
    [
      'arn:aws:logs:us-west-2:1:log-group:/ecs/prod-e-task:*',
      ['logs:log-group', '/ecs/prod-e-task'],
    ],
    ['arn:aws:iam::1:role/service-role/ecs-task-role', ['iam:role', 'ecs-task-role']],
    ['arn:aws:sns:us-west-2:1:prod-e-alarms', ['sns:', 'prod-e-alarms']],
  ])('reads %s', (arn, expected) => {
    expect(kindAndName(arn)).toEqual(expected);
  });

  it('names EC2 resources by their Name tag', () => {
    expect(kindAndName('arn:aws:ec2:us-west-2:1:subnet/subnet-0a', 'private-subnet-a')).toEqual([
      'ec2:subnet',
      'private-subnet-a',
    ]);
  });
});
