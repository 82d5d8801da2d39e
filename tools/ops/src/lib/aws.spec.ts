import { DescribeServicesCommand } from '@aws-sdk/client-ecs';

import { awsError, ecsMock, resetAwsMocks } from '../../test/mock-aws';
import { createAwsClients } from './aws';
import { OpsError } from './errors';

describe('createAwsClients', () => {
  beforeEach(() => resetAwsMocks());

  it('sends each call with an abort signal and returns the response', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'prod-e-service' }] });
    const aws = createAwsClients({ region: 'us-west-2', callTimeoutMs: 1000 });

    const result = await aws.ecs.describeServices({ cluster: 'c', services: ['s'] });

    expect(result.services?.[0].serviceName).toBe('prod-e-service');
    const [, options] = ecsMock.send.firstCall.args as unknown as [
      unknown,
      { abortSignal: AbortSignal },
    ];
    expect(options.abortSignal).toBeInstanceOf(AbortSignal);
  });

  it('aborts a call that does not answer within the call timeout', async () => {
    // A request that only ends when its abort signal fires, rejecting with the AbortError the
    // SDK's HTTP handler throws (sinon's typing of send() omits the options argument, hence the cast).
    const hang = (_command: unknown, options: { abortSignal: AbortSignal }) =>
      new Promise((_, reject) =>
        options.abortSignal.addEventListener('abort', () =>
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
        ),
      );
    ecsMock.send.callsFake(hang as unknown as Parameters<typeof ecsMock.send.callsFake>[0]);
    const aws = createAwsClients({ region: 'us-west-2', callTimeoutMs: 20 });

    const error = await aws.ecs
      .describeServices({ cluster: 'c', services: ['s'] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpsError);
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      message: 'ecs:DescribeServices did not answer in time.',
    });
  });

  it('maps service errors to OpsErrors naming the action', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    const aws = createAwsClients({ region: 'us-west-2', callTimeoutMs: 1000 });

    await expect(aws.ecs.describeServices({ cluster: 'c', services: ['s'] })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
        message: 'ecs:DescribeServices failed (cluster c, us-west-2): Cluster not found.',
      },
    );
  });
});
