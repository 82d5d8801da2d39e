import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account the offline plan runs as: AWS's documentation example. */
export const FAKE_ACCOUNT_ID = '123456789012';

/**
 * The only AWS calls `terraform plan -refresh=false` still makes: the provider checks its
 * credentials and reads `aws_caller_identity` through STS, and the ephemeral
 * `aws_secretsmanager_random_password` opens during the plan. Everything else is planned without
 * asking AWS. This answers those two on 127.0.0.1, so the plan needs no network and no account.
 */
export interface FakeAws {
  /** `AWS_ENDPOINT_URL_*` variables pointing the provider here. */
  readonly env: Record<string, string>;
  readonly calls: string[];
  close(): Promise<void>;
}

function answer(req: IncomingMessage, body: string, res: ServerResponse, calls: string[]): void {
  const target = req.headers['x-amz-target'];
  if (target === 'secretsmanager.GetRandomPassword') {
    calls.push('secretsmanager:GetRandomPassword');
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    res.end(JSON.stringify({ RandomPassword: 'offline-plan-placeholder-'.padEnd(48, 'x') }));
    return;
  }
  if (new URLSearchParams(body).get('Action') === 'GetCallerIdentity') {
    calls.push('sts:GetCallerIdentity');
    res.setHeader('content-type', 'text/xml');
    res.end(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::${FAKE_ACCOUNT_ID}:user/offline-plan</Arn><UserId>AIDAOFFLINEPLAN</UserId>` +
        `<Account>${FAKE_ACCOUNT_ID}</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
    return;
  }
  calls.push(`unexpected:${String(target ?? body.slice(0, 60))}`);
  res.statusCode = 400;
  res.end('offline plan: this call is not served');
}

export async function startFakeAws(): Promise<FakeAws> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => answer(req, body, res, calls));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: {
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
      AWS_SECRET_ACCESS_KEY: 'offline-plan-fake-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
