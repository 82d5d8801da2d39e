import {
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';

import { CliError } from '@prod-e/cli-kit';

import type { Exec } from './exec';

export interface RegistryLogin {
  /** Registry host, e.g. `123456789012.dkr.ecr.us-west-2.amazonaws.com`. */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

/**
 * The ECR client delivery uses: bounded sockets and three attempts, so a network problem fails
 * the step in seconds instead of hanging a CI job until its timeout.
 */
export function ecrClient(region: string): ECRClient {
  return new ECRClient({
    region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
}

/**
 * Whether the repository holds the tag (DescribeImages by tag). A missing repository, or any
 * other AWS failure, becomes one sentence naming the call.
 */
export async function imageTagExists(
  client: ECRClient,
  repositoryName: string,
  imageTag: string,
): Promise<boolean> {
  try {
    const found = await client.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }),
    );
    return (found.imageDetails?.length ?? 0) > 0;
  } catch (cause) {
    const name = cause instanceof Error ? cause.name : '';
    if (name === 'ImageNotFoundException') return false;
    if (name === 'RepositoryNotFoundException') {
      throw new CliError(
        `ECR repository ${repositoryName} does not exist in this account and region: bootstrap the account once ` +
          '(an administrator runs `npx nx run infra:bootstrap`) or check AWS_REGION.',
        { cause },
      );
    }
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new CliError(
      `ecr:DescribeImages on ${repositoryName} failed (${reason.split('\n')[0]}).`,
      { cause },
    );
  }
}

/**
 * Gets a 12-hour registry login from ECR (`GetAuthorizationToken`): the token is base64
 * `user:password`, and `proxyEndpoint` names the account's registry, so no account id is needed.
 */
export async function ecrRegistryLogin(client: ECRClient): Promise<RegistryLogin> {
  let data;
  try {
    data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  } catch (cause) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new CliError(
      `ECR refused a registry login (${reason}); the credentials need ecr:GetAuthorizationToken.`,
      { cause },
    );
  }
  const decoded = data?.authorizationToken
    ? Buffer.from(data.authorizationToken, 'base64').toString('utf8')
    : '';
  const separator = decoded.indexOf(':');
  if (!data?.proxyEndpoint || separator <= 0) {
    throw new CliError('ECR answered GetAuthorizationToken without a usable token or endpoint.');
  }
  return {
    registry: new URL(data.proxyEndpoint).host,
    username: decoded.slice(0, separator),
    password: decoded.slice(separator + 1),
  };
}

/** `docker login` with the password on stdin, never on the command line (visible in `ps`). */
export async function dockerLogin(exec: Exec, login: RegistryLogin): Promise<void> {
  const result = await exec(
    'docker',
    ['login', '--username', login.username, '--password-stdin', login.registry],
    { input: login.password },
  );
  if (result.exitCode !== 0) {
    throw new CliError(
      `docker login to ${login.registry} failed: ${result.stderr.trim() || `exit ${result.exitCode}`}.`,
    );
  }
}
