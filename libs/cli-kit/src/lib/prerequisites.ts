import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

import { CliError } from './cli-error';

type Env = Record<string, string | undefined>;

/** What a prerequisite check needs of running a program. */
export interface ToolRun {
  readonly exitCode: number;
  /** The program is not on PATH (spawn ENOENT). */
  readonly notFound: boolean;
  readonly stdout: string;
}

/** Runs a program without a shell; injected so tests (and the delivery scripts' fakes) can swap it. */
export type RunTool = (file: string, args: readonly string[]) => Promise<ToolRun>;

/** The real {@link RunTool}, resolving programs on `env.PATH`. */
export function toolRunner(env: Env = process.env): RunTool {
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { env, encoding: 'utf8' }, (error, stdout) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        resolve({
          exitCode: error ? (typeof code === 'number' ? code : 1) : 0,
          notFound: code === 'ENOENT',
          stdout,
        });
      });
    });
}

/** The executable's full path when it is on PATH (no shell involved), else undefined. */
export function findOnPath(
  name: string,
  env: Env = process.env,
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

/** The first `x.y.z` in a tool's version output (`terraform version -json`, `Terraform v1.11.4`). */
export function parseToolVersion(output: string): string | undefined {
  return /(\d+\.\d+\.\d+)/.exec(output)?.[1];
}

/** Whether `version` is `minimum` or newer, comparing numerically part by part. */
export function meetsMinimum(version: string, minimum: string): boolean {
  return version.localeCompare(minimum, 'en', { numeric: true }) >= 0;
}

const TERRAFORM_VERSION_ARGS = ['version', '-json'] as const;

/** `terraform version`'s answer, for callers that cannot wait (the offline plan's setup). */
export function terraformVersionSync(terraform: string): string | undefined {
  try {
    return parseToolVersion(
      execFileSync(terraform, TERRAFORM_VERSION_ARGS, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
  } catch {
    return undefined;
  }
}

/** Something a command needs before it starts. */
export interface Prerequisite {
  /** Resolves to undefined when present, else to a phrase: "<what is missing> (<why>: <fix>)". */
  check(): Promise<string | undefined>;
}

/** The terraform CLI at `minimum` or newer (what every synthesized stack's required_version asks). */
export function terraformCli(minimum: string, run: RunTool = toolRunner()): Prerequisite {
  return {
    async check() {
      const answer = await run('terraform', TERRAFORM_VERSION_ARGS);
      if (answer.notFound)
        return `the terraform CLI (not on PATH: install Terraform ${minimum} or newer)`;
      if (answer.exitCode !== 0) return 'a working terraform CLI (`terraform version` failed)';
      const version = parseToolVersion(answer.stdout);
      if (!version || !meetsMinimum(version, minimum)) {
        return `Terraform ${minimum} or newer (found ${version ?? 'an unknown version'}: upgrade it)`;
      }
      return undefined;
    },
  };
}

/** The docker CLI and a running engine: `docker info` talks to the daemon, `docker --version` does not. */
export function dockerEngine(run: RunTool = toolRunner()): Prerequisite {
  return {
    async check() {
      const info = await run('docker', ['info', '--format', '{{.ServerVersion}}']);
      if (info.notFound)
        return 'the docker CLI (not on PATH: install Docker Engine or Docker Desktop)';
      if (info.exitCode !== 0) {
        return 'a running Docker engine (`docker info` failed: start Docker, or point DOCKER_HOST at an engine)';
      }
      return undefined;
    },
  };
}

/**
 * AWS credentials from the SDK's default provider chain (environment, SSO/profile files, web
 * identity as in GitHub OIDC, container and instance roles). `resolve` is what the command's
 * own AWS calls use (a client's `config.credentials`, or sts:GetCallerIdentity).
 */
export function awsCredentials(resolve: () => Promise<unknown>): Prerequisite {
  return {
    async check() {
      try {
        await resolve();
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return (
          `AWS credentials (none found by the SDK provider chain, ${reason.split('\n')[0]}: ` +
          'set AWS_PROFILE, run `aws sso login`, or assume the deploy role through GitHub OIDC in CI)'
        );
      }
    },
  };
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Runs every check, then fails once with a CliError naming everything that is missing in one
 * sentence, so a fresh machine learns all it needs in one run.
 */
export async function requirePrerequisites(
  action: string,
  prerequisites: readonly Prerequisite[],
): Promise<void> {
  const results = await Promise.all(prerequisites.map((prerequisite) => prerequisite.check()));
  const missing = results.filter((problem): problem is string => problem !== undefined);
  if (missing.length > 0) throw new CliError(`Cannot ${action}: missing ${joinList(missing)}.`);
}
