import {
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';

import { dockerLogin, ecrClient, ecrRegistryLogin, imageTagExists } from './ecr';
import type { Exec } from './exec';

const ecr = mockClient(ECRClient);
const token = (text: string) => Buffer.from(text).toString('base64');

describe('ECR login', () => {
  beforeEach(() => ecr.reset());

  it('decodes the token and names the registry host from proxyEndpoint', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: token('AWS:se:cret'),
          proxyEndpoint: 'https://123456789012.dkr.ecr.us-west-2.amazonaws.com',
        },
      ],
    });

    const login = await ecrRegistryLogin(new ECRClient({ region: 'us-west-2' }));

    expect(login).toEqual({
      registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com',
      username: 'AWS',
      password: 'se:cret',
    });
  });

  it('explains a refused token with the permission it needs', async () => {
    ecr
      .on(GetAuthorizationTokenCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

    await expect(ecrRegistryLogin(new ECRClient({ region: 'us-west-2' }))).rejects.toThrow(
      'ECR refused a registry login (AccessDeniedException: not allowed); the credentials need ecr:GetAuthorizationToken.',
    );
  });

  it('rejects an answer without a token', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });

    await expect(ecrRegistryLogin(new ECRClient({ region: 'us-west-2' }))).rejects.toThrow(
      /without a usable token/,
    );
  });

  it('gives docker the password on stdin, never as an argument', async () => {
    const calls: { args: readonly string[]; input?: string }[] = [];
    const exec: Exec = (_file, args, options) => {
      calls.push({ args, input: options?.input });
      return Promise.resolve({ exitCode: 0, notFound: false, stdout: '', stderr: '' });
    };

    await dockerLogin(exec, { registry: 'r.example', username: 'AWS', password: 'se:cret' });

    expect(calls).toEqual([
      { args: ['login', '--username', 'AWS', '--password-stdin', 'r.example'], input: 'se:cret' },
    ]);
  });

  it('bounds every ECR call: socket timeouts and three attempts', async () => {
    const client = ecrClient('us-west-2');

    expect(await client.config.maxAttempts()).toBe(3);
    expect(await client.config.region()).toBe('us-west-2');
  });

  it('turns a failed tag lookup into one sentence naming the call', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error('User is not authorized\nmore detail'), {
        name: 'AccessDeniedException',
      }),
    );

    await expect(
      imageTagExists(new ECRClient({ region: 'us-west-2' }), 'prod-e-backend', 'abc'),
    ).rejects.toThrow(
      'ecr:DescribeImages on prod-e-backend failed (AccessDeniedException: User is not authorized).',
    );
  });

  it('names the missing repository and how to create it', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'RepositoryNotFoundException' }));

    await expect(
      imageTagExists(new ECRClient({ region: 'us-west-2' }), 'prod-e-backend', 'abc'),
    ).rejects.toThrow(/^ECR repository prod-e-backend does not exist in this account and region/);
  });
});
