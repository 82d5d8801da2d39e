import {
  DEFAULT_HEALTH_CHECK_WIRING,
  HEALTH_CHECK_WIRINGS,
  RENAMED_HEALTH_CHECK_WIRINGS,
} from '@prod-e/health-contract';
import { z } from 'zod';

import { ConfigError, DEFAULT_DB_PORT } from '@prod-e/api-config';
import { ENVIRONMENT_NAME_PATTERN, PRIMARY_ENVIRONMENT } from './resource-names';
import { DEFAULT_TLS_MODE, plainHttpRefusal, tlsSettingsSchema } from './tls-settings';

export const DEFAULT_REGION = 'us-west-2';
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
export const DEFAULT_ALB_INGRESS_CIDRS = ['0.0.0.0/0'] as const;
export const DEFAULT_PUBLIC_SUBNET_CIDRS = ['10.0.0.0/24', '10.0.1.0/24'] as const;
export const DEFAULT_PRIVATE_SUBNET_CIDRS = ['10.0.10.0/24', '10.0.11.0/24'] as const;
/** The smallest Fargate task size (0.25 vCPU, 512 MiB). */
export const DEFAULT_TASK_CPU = 256;
export const DEFAULT_TASK_MEMORY_MIB = 512;
/**
 * Target tracking for a task of the default size, measured rather than guessed: the bench's
 * capacity scenario finds the highest rate one such task carries on the request-logged route
 * within its latency objective; the request target is 60 % of it per minute, the CPU target at
 * most the task's CPU at that rate (docs/performance.md). A bench test keeps these in line with
 * the committed result in bench/results/. Memory stays flat under load (about a fifth of the
 * task), so its target only catches a leak.
 */
export const DEFAULT_SCALING_TARGETS = {
  /** ALBRequestCountPerTarget: requests per task per minute. */
  requestsPerTargetPerMinute: 18_000,
  cpuPercent: 50,
  memoryPercent: 70,
} as const;
export const DEFAULT_DESIRED_COUNT = 1;
export const DEFAULT_DATABASE_ENGINE_VERSION = '17';
export const DEFAULT_DATABASE_INSTANCE_CLASS = 'db.t4g.micro';
export const DEFAULT_DATABASE_STORAGE_GIB = 20;
export const DEFAULT_LOG_RETENTION_DAYS = 14;
/**
 * The oldest Terraform every stack accepts (`required_version`) and every prerequisite check asks
 * for: write-only arguments and ephemeral resources (the API token) arrived in 1.11.
 */
export const MINIMUM_TERRAFORM_VERSION = '1.11.0';
/** `PROD_E_*` variables that are not deployment settings (the settings readers skip them). */
export const NON_SETTING_VARIABLES: readonly string[] = ['PROD_E_TF_PROVIDER_MIRROR'];
/** Prod keeps a year of logs (CKV_AWS_338); other environments save the cost. */
export const PRIMARY_LOG_RETENTION_DAYS = 365;

/** The values CloudWatch Logs accepts for `retention_in_days`. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Fargate's valid memory sizes (MiB) for each CPU size (units). */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

const ipv4Cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/, {
    error: 'must be an IPv4 CIDR block such as 10.0.0.0/16',
  })
  .refine(
    (cidr) =>
      cidr
        .split('/')[0]
        .split('.')
        .every((octet) => Number(octet) <= 255),
    {
      error: 'has an octet above 255',
    },
  );

function healthCheckWiringError(input: unknown): string {
  const renamed = typeof input === 'string' ? RENAMED_HEALTH_CHECK_WIRINGS.get(input) : undefined;
  const allowed = `must be ${HEALTH_CHECK_WIRINGS.join(' or ')}`;
  return renamed ? `${allowed}: '${String(input)}' is now called '${renamed}'` : allowed;
}

const count = (max: number) => z.coerce.number().int().min(0).max(max);
const bool = () => z.union([z.boolean(), z.stringbool()]);

/**
 * Deployment settings for one environment. Keys are alphabetical; defaults that differ for `prod`
 * (the primary environment) are filled in by {@link loadDeploymentSettings}.
 */
export const deploymentSettingsSchema = z
  .object({
    /** Only needed for the state bucket name, which S3 makes global. */
    accountId: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
      .optional(),
    /** S3 bucket for ALB access logs (ELB.5); off when unset. */
    accessLogsBucket: z.string().min(3).optional(),
    alarmEmail: z.email({ error: 'must be an e-mail address' }).optional(),
    /** Who reaches an internet-facing ALB (the ALB TLS modes; behind CloudFront only CloudFront does). */
    albIngressCidrs: z
      .array(ipv4Cidr)
      .min(1)
      .default([...DEFAULT_ALB_INGRESS_CIDRS]),
    availabilityZones: z.tuple([z.string(), z.string()]).optional(),
    blueGreen: bool().default(false),
    containerInsights: bool().default(true),
    cpu: z.coerce
      .number()
      .refine((cpu) => cpu in FARGATE_MEMORY_BY_CPU, {
        error: `must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`,
      })
      .default(DEFAULT_TASK_CPU),
    databaseAllocatedStorageGib: z.coerce
      .number()
      .int()
      .min(20)
      .max(65_536)
      .default(DEFAULT_DATABASE_STORAGE_GIB),
    databaseEngineVersion: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .default(DEFAULT_DATABASE_ENGINE_VERSION),
    databaseInstanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {
        error: 'must be an RDS instance class such as db.t4g.micro',
      })
      .default(DEFAULT_DATABASE_INSTANCE_CLASS),
    databaseMultiAz: bool().optional(),
    databasePort: z.coerce.number().int().min(1150).max(65_535).default(DEFAULT_DB_PORT),
    deletionProtection: bool().optional(),
    desiredCount: count(100).default(DEFAULT_DESIRED_COUNT),
    /**
     * ECS Exec. Off by default: a shell into production is an incident tool, turned on on purpose
     * (the agent's writable paths are mounted then, beside the read-only root filesystem).
     */
    enableExecuteCommand: bool().default(false),
    environment: z
      .string()
      .regex(ENVIRONMENT_NAME_PATTERN, {
        error: 'must be 2-10 lowercase letters or digits, starting with a letter',
      })
      .default(PRIMARY_ENVIRONMENT),
    /**
     * `owner/repo` allowed to assume the deploy role through GitHub OIDC, as its OIDC subject
     * spells it: `owner@<id>/repo@<id>` for a repository with immutable subject claims.
     */
    githubRepository: z
      .string()
      .regex(/^[\w.-]+(@\d+)?\/[\w.-]+(@\d+)?$/, {
        error: 'must be owner/repo (or owner@<id>/repo@<id>)',
      })
      .optional(),
    githubBranch: z.string().default('main'),
    healthCheckWiring: z
      .enum(HEALTH_CHECK_WIRINGS, { error: (issue) => healthCheckWiringError(issue.input) })
      .default(DEFAULT_HEALTH_CHECK_WIRING),
    imageTag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, { error: 'must be a Docker image tag' })
      .optional(),
    logRetentionDays: z.coerce
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `must be one of CloudWatch's retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .optional(),
    maxCount: count(100).optional(),
    /**
     * Where a Prometheus scraper runs, inside the VPC: the task security group admits the metrics
     * port from these CIDRs only. @default none (no listener forwards it; scrape through ECS Exec)
     */
    metricsScrapeCidrs: z.array(ipv4Cidr).default([]),
    memory: z.coerce.number().int().default(DEFAULT_TASK_MEMORY_MIB),
    minCount: count(100).default(DEFAULT_DESIRED_COUNT),
    /** One NAT gateway per zone (on for prod), so losing a zone never cuts the other off. */
    natGatewayPerAz: bool().optional(),
    /**
     * The account's existing GitHub OIDC provider, when something other than this project's
     * bootstrap created it (IAM allows one per URL per account). @default the bootstrap creates it
     */
    oidcProviderArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
        error: "must be the ARN of the account's token.actions.githubusercontent.com OIDC provider",
      })
      .optional(),
    privateSubnetCidrs: z.tuple([ipv4Cidr, ipv4Cidr]).default([...DEFAULT_PRIVATE_SUBNET_CIDRS]),
    publicSubnetCidrs: z.tuple([ipv4Cidr, ipv4Cidr]).default([...DEFAULT_PUBLIC_SUBNET_CIDRS]),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region such as us-west-2' })
      .default(DEFAULT_REGION),
    /**
     * Run pending database migrations as a one-off ECS task before the service moves to a new task
     * definition (the deploy's `terraform_data` step). Turn off only when trying things out.
     */
    runMigrations: bool().default(true),
    stateBackend: z.enum(['s3', 'local'], { error: 'must be s3 or local' }).default('s3'),
    /** How the internet reaches the service (tls-settings.ts); plain HTTP only where set so. */
    tls: tlsSettingsSchema.default({ mode: DEFAULT_TLS_MODE }),
    vpcCidr: ipv4Cidr.default(DEFAULT_VPC_CIDR),
    wafEnabled: bool().optional(),
  })
  .strict();

export type DeploymentSettingsInput = z.input<typeof deploymentSettingsSchema>;

type Parsed = z.output<typeof deploymentSettingsSchema>;

/** Validated settings with every per-environment default resolved. */
export type DeploymentSettings = Readonly<
  Omit<
    Parsed,
    | 'availabilityZones'
    | 'databaseMultiAz'
    | 'deletionProtection'
    | 'imageTag'
    | 'logRetentionDays'
    | 'maxCount'
    | 'natGatewayPerAz'
    | 'wafEnabled'
  > & {
    availabilityZones: readonly [string, string];
    databaseMultiAz: boolean;
    deletionProtection: boolean;
    imageTag: string;
    logRetentionDays: number;
    maxCount: number;
    natGatewayPerAz: boolean;
    wafEnabled: boolean;
  }
>;

function cidrRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split('/');
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const start = base - (base % size);
  return [start, start + size - 1];
}

function withinCidr(inner: string, outer: string): boolean {
  const [innerStart, innerEnd] = cidrRange(inner);
  const [outerStart, outerEnd] = cidrRange(outer);
  return innerStart >= outerStart && innerEnd <= outerEnd;
}

function resolveDefaults(parsed: Parsed): DeploymentSettings {
  const primary = parsed.environment === PRIMARY_ENVIRONMENT;
  return {
    ...parsed,
    availabilityZones: parsed.availabilityZones ?? [`${parsed.region}a`, `${parsed.region}b`],
    // Cost trade-offs that are settings per environment, on for prod (docs/policy-checks.md).
    databaseMultiAz: parsed.databaseMultiAz ?? primary,
    deletionProtection: parsed.deletionProtection ?? primary,
    wafEnabled: parsed.wafEnabled ?? primary,
    natGatewayPerAz: parsed.natGatewayPerAz ?? primary,
    logRetentionDays:
      parsed.logRetentionDays ??
      (primary ? PRIMARY_LOG_RETENTION_DAYS : DEFAULT_LOG_RETENTION_DAYS),
    imageTag: parsed.imageTag ?? 'latest',
    maxCount: parsed.maxCount ?? Math.max(primary ? 4 : 2, parsed.desiredCount),
  };
}

function problemsOf(settings: DeploymentSettings): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const validMemory = FARGATE_MEMORY_BY_CPU[settings.cpu];
  if (validMemory && !validMemory.includes(settings.memory)) {
    problems.push({
      key: 'memory',
      message: `must be one of ${validMemory.join(', ')} MiB for cpu ${settings.cpu}`,
    });
  }
  if (settings.minCount > settings.desiredCount) {
    problems.push({ key: 'minCount', message: 'must not exceed desiredCount' });
  }
  if (settings.desiredCount > settings.maxCount) {
    problems.push({ key: 'maxCount', message: 'must be at least desiredCount' });
  }
  if (settings.environment === PRIMARY_ENVIRONMENT && settings.imageTag === 'latest') {
    problems.push({
      key: 'imageTag',
      message: 'must name an immutable tag (the git SHA) for prod; latest is refused',
    });
  }
  settings.availabilityZones.forEach((zone, i) => {
    if (!zone.startsWith(settings.region)) {
      problems.push({
        key: `availabilityZones.${i}`,
        message: `must be in region ${settings.region}`,
      });
    }
  });
  if (settings.availabilityZones[0] === settings.availabilityZones[1]) {
    problems.push({ key: 'availabilityZones', message: 'must name two different zones' });
  }
  const subnets = [
    ...settings.publicSubnetCidrs.map((cidr, i) => [`publicSubnetCidrs.${i}`, cidr] as const),
    ...settings.privateSubnetCidrs.map((cidr, i) => [`privateSubnetCidrs.${i}`, cidr] as const),
  ];
  if (settings.environment === PRIMARY_ENVIRONMENT && settings.tls.mode === 'http') {
    problems.push({ key: 'tls', message: plainHttpRefusal(settings.environment) });
  }
  const defaultIngress = settings.albIngressCidrs.join() === DEFAULT_ALB_INGRESS_CIDRS.join();
  if (settings.tls.mode === 'cloudfront' && !defaultIngress) {
    problems.push({
      key: 'albIngressCidrs',
      message:
        "does not apply with tls mode 'cloudfront' (the ALB is internal and admits only CloudFront); restrict clients with a WAF IP set, or use mode 'domain' or 'certificate'",
    });
  }
  settings.metricsScrapeCidrs.forEach((cidr, i) => {
    if (!withinCidr(cidr, settings.vpcCidr)) {
      problems.push({
        key: `metricsScrapeCidrs.${i}`,
        message: `must lie inside vpcCidr ${settings.vpcCidr}: metrics are never scraped from outside the VPC`,
      });
    }
  });
  for (const [key, cidr] of subnets) {
    if (!withinCidr(cidr, settings.vpcCidr))
      problems.push({ key, message: `must lie inside vpcCidr ${settings.vpcCidr}` });
  }
  subnets.forEach(([key, cidr], i) => {
    const clash = subnets
      .slice(0, i)
      .find(([, other]) => withinCidr(cidr, other) || withinCidr(other, cidr));
    if (clash) problems.push({ key, message: `overlaps ${clash[0]}` });
  });
  return problems;
}

/**
 * Validates deployment settings and fills in per-environment defaults.
 * @throws ConfigError listing every bad key at once
 */
export function loadDeploymentSettings(input: DeploymentSettingsInput = {}): DeploymentSettings {
  const { certificateArn, ...rest } = input as DeploymentSettingsInput & {
    certificateArn?: unknown;
  };
  // The key an older settings file has: said once, with where it went, beside any other problem.
  const moved =
    certificateArn === undefined
      ? []
      : [
          {
            key: 'certificateArn',
            message:
              "moved into the TLS setting: tls: { mode: 'certificate', certificateArn: '…' }",
          },
        ];
  const result = deploymentSettingsSchema.safeParse(rest);
  if (!result.success) {
    const parsed = ConfigError.fromZod('deployment settings', result.error);
    throw new ConfigError('deployment settings', [...moved, ...parsed.problems]);
  }
  const settings = resolveDefaults(result.data);
  const problems = [...moved, ...problemsOf(settings)];
  if (problems.length) throw new ConfigError('deployment settings', problems);
  return Object.freeze(settings);
}
