import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account the offline plan runs as: AWS's documentation example. */
export const FAKE_ACCOUNT_ID = '123456789012';

/**
 * The only AWS calls `terraform plan -refresh=false` still makes: the provider checks its
 * credentials and reads `aws_caller_identity` through STS, the ephemeral
 * `aws_secretsmanager_random_password` opens during the plan, and CloudFront mode reads the
 * origin-facing managed prefix list from EC2. Everything else is planned without asking AWS. This
 * answers those on 127.0.0.1, so the plan needs no network and no account.
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
  const ec2 = ec2Answer(new URLSearchParams(body));
  if (ec2) {
    calls.push(`ec2:${ec2.action}`);
    res.setHeader('content-type', 'text/xml');
    res.end(ec2.xml);
    return;
  }
  calls.push(`unexpected:${String(target ?? body.slice(0, 60))}`);
  res.statusCode = 400;
  res.end('offline plan: this call is not served');
}

/** A made-up id for the AWS-managed list the CloudFront mode's security group admits. */
export const FAKE_PREFIX_LIST_ID = 'pl-0offline0000000';

const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2's two prefix-list reads (query protocol, XML answers), or undefined for any other call. */
function ec2Answer(params: URLSearchParams): { action: string; xml: string } | undefined {
  const action = params.get('Action');
  const wrap = (inner: string) =>
    `<${action}Response xmlns="${EC2_XMLNS}"><requestId>offline</requestId>${inner}</${action}Response>`;
  if (action === 'DescribeManagedPrefixLists') {
    const name = 'com.amazonaws.global.cloudfront.origin-facing';
    return {
      action,
      xml: wrap(
        `<prefixListSet><item><prefixListId>${FAKE_PREFIX_LIST_ID}</prefixListId>` +
          `<addressFamily>IPv4</addressFamily><state>create-complete</state>` +
          `<prefixListArn>arn:aws:ec2:us-west-2:aws:prefix-list/${FAKE_PREFIX_LIST_ID}</prefixListArn>` +
          `<prefixListName>${name}</prefixListName><maxEntries>55</maxEntries><version>1</version>` +
          `<ownerId>AWS</ownerId></item></prefixListSet>`,
      ),
    };
  }
  if (action === 'GetManagedPrefixListEntries') {
    return {
      action,
      xml: wrap(
        '<entrySet><item><cidr>192.0.2.0/24</cidr><description>offline</description></item></entrySet>',
      ),
    };
  }
  return undefined;
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
      AWS_ENDPOINT_URL_EC2: url,
      AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
      AWS_SECRET_ACCESS_KEY: 'offline-plan-fake-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
