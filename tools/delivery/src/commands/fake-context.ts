import { ECRClient } from '@aws-sdk/client-ecr';
import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

import type { DeliveryContext } from '../lib/context';
import type { ExecOptions, ExecResult } from '../lib/exec';

export interface RecordedCall {
  readonly command: string;
  readonly options?: ExecOptions;
}

/**
 * A delivery context whose programs are scripted: every call is recorded as "file arg…", and
 * `answer` decides each result (exit 0 by default; `terraform version` answers the minimum the
 * stacks require). AWS calls go to aws-sdk-client-mock.
 */
export function fakeContext(
  root: string,
  answer: (
    command: string,
    options?: ExecOptions,
  ) => Partial<ExecResult> | void | Promise<Partial<ExecResult> | void> = () => undefined,
  env: NodeJS.ProcessEnv = {},
): { context: DeliveryContext; calls: RecordedCall[]; logs: string[] } {
  const calls: RecordedCall[] = [];
  const logs: string[] = [];
  const context: DeliveryContext = {
    env,
    root,
    log: (line) => logs.push(line),
    ecrClient: (region) =>
      new ECRClient({ region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } }),
    exec: async (file, args, options) => {
      const command = [file, ...args].join(' ');
      calls.push({ command, options });
      return {
        exitCode: 0,
        notFound: false,
        stdout: command.startsWith('terraform version')
          ? JSON.stringify({ terraform_version: MINIMUM_TERRAFORM_VERSION })
          : '',
        stderr: '',
        ...((await answer(command, options)) ?? {}),
      };
    },
  };
  return { context, calls, logs };
}
