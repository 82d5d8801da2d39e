import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Names the folder that holds an offline provider mirror (`<dir>/registry.terraform.io/…`). */
export const PROVIDER_MIRROR_VARIABLE = 'PROD_E_TF_PROVIDER_MIRROR';

const AWS_PROVIDER = ['registry.terraform.io', 'hashicorp', 'aws'] as const;

export interface ProviderMirror {
  /** The mirror folder (the parent of `registry.terraform.io`). */
  readonly dir: string;
  /** The newest AWS provider version the mirror holds, e.g. `5.100.0`. */
  readonly awsVersion: string;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/** The `filesystem_mirror { path = "…" }` of a Terraform CLI config file, when it has one. */
export function mirrorPathOf(cliConfig: string): string | undefined {
  const block = /filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/s.exec(cliConfig);
  return block?.[1];
}

/**
 * Finds the offline mirror: PROD_E_TF_PROVIDER_MIRROR first, else the filesystem mirror named in
 * TF_CLI_CONFIG_FILE. Undefined when neither points at a folder holding the AWS provider.
 */
export function findProviderMirror(
  env: Record<string, string | undefined> = process.env,
): ProviderMirror | undefined {
  const configFile = env.TF_CLI_CONFIG_FILE;
  const candidates = [
    env[PROVIDER_MIRROR_VARIABLE],
    configFile && existsSync(configFile)
      ? mirrorPathOf(readFileSync(configFile, 'utf8'))
      : undefined,
  ];
  for (const dir of candidates) {
    if (!dir) continue;
    const providerDir = path.join(dir, ...AWS_PROVIDER);
    if (!existsSync(providerDir)) continue;
    const versions = readdirSync(providerDir)
      .filter((name) => /^\d+\.\d+\.\d+$/.test(name))
      .sort(compareVersions);
    if (versions.length) return { dir, awsVersion: versions[versions.length - 1] };
  }
  return undefined;
}

/** Writes a CLI config that installs every registry provider from the mirror and nothing else. */
export function writeMirrorCliConfig(mirror: ProviderMirror, file: string): string {
  writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror.dir)}`,
      '    include = ["registry.terraform.io/*/*"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/*/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

export { compareVersions };
