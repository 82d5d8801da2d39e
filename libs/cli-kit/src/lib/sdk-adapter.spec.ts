import { DescribeServicesCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

import { type SdkCall, sdkAdapter } from './sdk-adapter';

const ecsMock = mockClient(ECSClient);
const stsMock = mockClient(STSClient);
const config = { region: 'us-west-2', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } };

afterEach(() => {
  ecsMock.reset();
  stsMock.reset();
});

describe('sdkAdapter', () => {
  it('sends each command through the call wrapper, named as its IAM action', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'api' }] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['arn:task/1'] });
    const seen: { action: string; input: object; signal: boolean }[] = [];
    const call: SdkCall = (action, send, input) => {
      const controller = new AbortController();
      seen.push({ action, input, signal: controller.signal instanceof AbortSignal });
      return send(controller.signal);
    };
    const ecs = sdkAdapter(
      new ECSClient(config),
      'ecs',
      { describeServices: DescribeServicesCommand, listTasks: ListTasksCommand },
      call,
    );

    const services = await ecs.describeServices({ cluster: 'c', services: ['api'] });
    const tasks = await ecs.listTasks({ cluster: 'c' });

    expect(services.services?.[0].serviceName).toBe('api');
    expect(tasks.taskArns).toEqual(['arn:task/1']);
    expect(seen).toEqual([
      { action: 'ecs:DescribeServices', input: { cluster: 'c', services: ['api'] }, signal: true },
      { action: 'ecs:ListTasks', input: { cluster: 'c' }, signal: true },
    ]);
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({
      cluster: 'c',
      services: ['api'],
    });
  });

  it('lets a command without required input be called bare, and passes errors to the wrapper', async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(new Error('expired'));
    const wrapped: SdkCall = (action, send) =>
      send(new AbortController().signal).catch((error: Error) => {
        throw new Error(`${action}: ${error.message}`);
      });
    const sts = sdkAdapter(
      new STSClient(config),
      'sts',
      { getCallerIdentity: GetCallerIdentityCommand },
      wrapped,
    );

    await expect(sts.getCallerIdentity()).rejects.toThrow('sts:GetCallerIdentity: expired');
  });
});
