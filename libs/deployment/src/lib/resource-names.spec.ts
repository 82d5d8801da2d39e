import { qualifyName, resourceNames, resourceTags } from './resource-names';

describe('resourceNames', () => {
  it('gives prod the base names unchanged', () => {
    expect(resourceNames('prod')).toMatchObject({
      stack: 'prod-e',
      cluster: 'prod-e-cluster',
      taskFamily: 'prod-e-task',
      container: 'prod-e-container',
      ecrRepository: 'prod-e-backend',
      service: 'prod-e-service',
      executionRole: 'ecs-task-execution-role',
      taskRole: 'ecs-task-role',
      targetGroup: 'ecs-target-group-v2',
      serviceSecurityGroup: 'ecs-security-group',
      vpc: 'main-vpc',
      privateSubnets: ['private-subnet-a', 'private-subnet-b'],
      logGroup: '/ecs/prod-e-task',
      logStreamPrefix: 'prod-e-container',
    });
  });

  it('derives distinct names for another environment', () => {
    const prod = resourceNames('prod');
    const staging = resourceNames('staging');

    expect(staging).toMatchObject({
      stack: 'prod-e-staging',
      cluster: 'prod-e-staging-cluster',
      taskFamily: 'prod-e-staging-task',
      executionRole: 'staging-ecs-task-execution-role',
      targetGroup: 'staging-ecs-target-group-v2',
      vpc: 'staging-main-vpc',
      logGroup: '/ecs/prod-e-staging-task',
      apiTokenSecret: 'prod-e/staging/api-tokens',
    });
    const flat = (names: object) =>
      Object.values(names)
        .flat()
        .filter((v) => v !== 'prod' && v !== 'staging');
    const shared = flat(staging).filter((name) => flat(prod).includes(name));
    expect(shared).toEqual([]);
  });

  it('keeps every name of the longest environment inside the 32-character ALB and target group limit', () => {
    const names = resourceNames('abcdefghij');

    expect(names.loadBalancer.length).toBeLessThanOrEqual(32);
    expect(names.targetGroup.length).toBeLessThanOrEqual(32);
  });

  it('rejects an environment name that would make invalid resource names', () => {
    expect(() => resourceNames('Prod_1')).toThrow(/2-10 lowercase letters/);
  });

  it('qualifies a name by one rule', () => {
    expect(qualifyName('prod-e-alb', 'dev')).toBe('prod-e-dev-alb');
    expect(qualifyName('ecs-task-role', 'dev')).toBe('dev-ecs-task-role');
    expect(qualifyName('ecs-task-role', 'prod')).toBe('ecs-task-role');
  });

  it('tags resources with the project, so the ops CLI can find them', () => {
    expect(resourceTags('prod')).toEqual({
      Project: 'prod-e',
      Environment: 'prod',
      ManagedBy: 'cdktf',
    });
  });
});
