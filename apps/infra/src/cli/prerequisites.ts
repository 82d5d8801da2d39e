import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  awsCredentials,
  findOnPath,
  requirePrerequisites,
  terraformCli,
  toolRunner,
} from '@prod-e/cli-kit';
import { DEFAULT_REGION, MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

export interface PrerequisiteOptions {
  readonly env?: Record<string, string | undefined>;
  /** Where the stack lives: STS is asked there. @default DEFAULT_REGION */
  readonly region?: string;
  /** Resolves the caller's identity; swapped in tests. @default STS GetCallerIdentity */
  readonly callerIdentity?: () => Promise<{ Account?: string; Arn?: string }>;
}

/**
 * The toolkit's checks for a terraform run, all at once: terraform at the minimum version every
 * stack requires, and AWS credentials through the default provider chain (STS GetCallerIdentity,
 * whose account is reported).
 * @throws CliError naming everything that is missing
 */
export async function checkPrerequisites(
  action: string,
  options: PrerequisiteOptions = {},
): Promise<{ terraform: string; account?: string }> {
  const env = options.env ?? process.env;
  const callerIdentity =
    options.callerIdentity ??
    (() =>
      new STSClient({ region: options.region ?? DEFAULT_REGION, maxAttempts: 1 }).send(
        new GetCallerIdentityCommand({}),
      ));
  let account: string | undefined;
  await requirePrerequisites(action, [
    terraformCli(MINIMUM_TERRAFORM_VERSION, toolRunner(env)),
    awsCredentials(async () => {
      account = (await callerIdentity()).Account;
    }),
  ]);
  return { terraform: findOnPath('terraform', env) ?? 'terraform', account };
}
