import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * One aws-sdk-client-mock per client (cdk-assets' test/mock-aws.ts): the real clients from
 * src/lib/aws.ts are built, only `send` is replaced, so timeouts and error mapping are exercised.
 */
export const ecsMock = mockClient(ECSClient);
export const elbMock = mockClient(ElasticLoadBalancingV2Client);
export const logsMock = mockClient(CloudWatchLogsClient);
export const ecrMock = mockClient(ECRClient);
export const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);
export const cloudwatchMock = mockClient(CloudWatchClient);
export const stsMock = mockClient(STSClient);
export const iamMock = mockClient(IAMClient);
export const secretsMock = mockClient(SecretsManagerClient);

const ALL = [
  ecsMock,
  elbMock,
  logsMock,
  ecrMock,
  taggingMock,
  cloudwatchMock,
  stsMock,
  iamMock,
  secretsMock,
];

/** Call in beforeEach: forget every stub and recorded call. */
export function resetAwsMocks(): void {
  for (const mock of ALL) mock.reset();
}

/** An error shaped like the SDK's service exceptions (name + $metadata). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}
