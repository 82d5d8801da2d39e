import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

import { compareVersions } from '../validate/provider-mirror';

/** The executable's full path when it is on PATH (no shell involved), else undefined. */
export function findOnPath(
  name: string,
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/** `terraform version -json`'s version, or undefined when it does not answer. */
export function terraformVersion(terraform: string): string | undefined {
  try {
    const out = execFileSync(terraform, ['version', '-json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return (JSON.parse(out) as { terraform_version?: string }).terraform_version;
  } catch {
    return undefined;
  }
}

/** Something the command needs that is missing, said in one sentence. */
export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
}

export interface PrerequisiteOptions {
  readonly env?: Record<string, string | undefined>;
  /** Resolves the caller's identity; swapped in tests. @default STS GetCallerIdentity */
  readonly callerIdentity?: () => Promise<{ Account?: string; Arn?: string }>;
}

/** Checks terraform first (cheap, local), then AWS credentials through the default provider chain. */
export async function checkPrerequisites(
  options: PrerequisiteOptions = {},
): Promise<{ terraform: string; account?: string }> {
  const env = options.env ?? process.env;
  const terraform = findOnPath('terraform', env);
  if (!terraform) {
    throw new PrerequisiteError(
      `terraform was not found on PATH: install Terraform ≥ ${MINIMUM_TERRAFORM_VERSION} (https://developer.hashicorp.com/terraform/install) and try again.`,
    );
  }
  const version = terraformVersion(terraform);
  if (!version || compareVersions(version, MINIMUM_TERRAFORM_VERSION) < 0) {
    throw new PrerequisiteError(
      `terraform ${version ?? '(unknown version)'} at ${terraform} is older than ${MINIMUM_TERRAFORM_VERSION}, which every stack requires (write-only arguments, S3-native locking): upgrade it and try again.`,
    );
  }
  const callerIdentity =
    options.callerIdentity ??
    (() =>
      new STSClient({ region: env.AWS_REGION ?? 'us-west-2', maxAttempts: 1 }).send(
        new GetCallerIdentityCommand({}),
      ));
  try {
    const identity = await callerIdentity();
    return { terraform, account: identity.Account };
  } catch (error) {
    throw new PrerequisiteError(
      `No usable AWS credentials (${(error as Error).name}: ${(error as Error).message}): set AWS_PROFILE or run \`aws sso login\`/\`aws configure\`, then try again.`,
      { cause: error },
    );
  }
}
