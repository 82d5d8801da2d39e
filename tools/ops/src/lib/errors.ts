import { CliError, ExitCode as CliExitCode } from '@prod-e/cli-kit';

/**
 * Exit codes, one per kind of outcome, so scripts (and Terraform's local-exec) can branch on them.
 * `status` reads them as: 0 healthy, 1 degraded, 2 and above "cannot tell". OK, FAILED, USAGE and
 * INTERRUPTED are the toolkit's, shared by every CLI of the workspace.
 */
export const ExitCode = {
  OK: CliExitCode.OK,
  /** A check failed: degraded service, failed deploy, contract mismatch, missing resource. */
  FAILED: CliExitCode.FAILED,
  /** No usable AWS credentials (missing, expired or invalid). */
  CREDENTIALS: 2,
  /** Credentials work but lack a permission; the message names the API action. */
  ACCESS_DENIED: 3,
  /** The cluster, service, load balancer, task definition or log stream does not exist. */
  NOT_FOUND: 4,
  /** AWS could not be reached, throttled us or answered with an error we do not classify. */
  AWS_ERROR: 5,
  /** Bad command-line options or settings (every bad one is named). */
  USAGE: CliExitCode.USAGE,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: CliExitCode.INTERRUPTED,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type OpsErrorCode =
  | 'CHECK_FAILED'
  | 'CREDENTIALS'
  | 'ACCESS_DENIED'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'AWS_ERROR'
  | 'USAGE'
  | 'INTERRUPTED';

const EXIT_BY_CODE: Record<OpsErrorCode, ExitCodeValue> = {
  CHECK_FAILED: ExitCode.FAILED,
  CREDENTIALS: ExitCode.CREDENTIALS,
  ACCESS_DENIED: ExitCode.ACCESS_DENIED,
  NOT_FOUND: ExitCode.NOT_FOUND,
  TIMEOUT: ExitCode.AWS_ERROR,
  AWS_ERROR: ExitCode.AWS_ERROR,
  USAGE: ExitCode.USAGE,
  INTERRUPTED: ExitCode.INTERRUPTED,
};

/**
 * The toolkit's CliError with what ops needs beyond message, hint and exit code: a stable `code`
 * for scripts (the exit code follows from it), `context` (what we were doing, shown with
 * --verbose) and `transient`, which the waits read to retry. The original error is the `cause`.
 */
export class OpsError extends CliError {
  override readonly name = 'OpsError';
  readonly code: OpsErrorCode;
  readonly context: Readonly<Record<string, unknown>>;
  /** Worth another try after a pause (throttling, 5xx, a dropped connection); waits retry these. */
  readonly transient: boolean;

  constructor(
    code: OpsErrorCode,
    message: string,
    options: {
      suggestion?: string;
      context?: Record<string, unknown>;
      cause?: unknown;
      transient?: boolean;
    } = {},
  ) {
    super(message, {
      hint: options.suggestion,
      exitCode: EXIT_BY_CODE[code],
      cause: options.cause,
    });
    this.code = code;
    this.context = options.context ?? {};
    this.transient = options.transient ?? false;
  }

  override details(): readonly string[] {
    return Object.keys(this.context).length ? [`Context: ${JSON.stringify(this.context)}`] : [];
  }
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Where a call went, so messages can name the region and the profile. */
export interface CallContext {
  region?: string;
  profile?: string;
  /** The ECS cluster the call was about, when it names one. */
  cluster?: string;
}

const THROTTLING_ERRORS = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Socket-level failures worth another attempt: the network, not the request, went wrong. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

const ACCESS_ERRORS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
]);

const NOT_FOUND_ERRORS = new Set([
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'LoadBalancerNotFoundException',
  'TargetGroupNotFoundException',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'ResourceNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
]);

const firstLine = (text: string) => text.split('\n')[0].trim();

/** The credential failures people can fix, each told apart (a wrong secret is not a missing key). */
function credentialError(
  e: AwsErrorShape,
  name: string,
  detail: string,
  action: string,
  where: CallContext,
): { message: string; suggestion: string } | undefined {
  const calling = `(while calling ${action})`;
  if (name === 'InvalidSignatureException' || name === 'SignatureDoesNotMatch') {
    return {
      message: `AWS rejected the request signature ${calling}: the secret access key does not belong to the access key id.`,
      suggestion:
        'Check AWS_SECRET_ACCESS_KEY (or the profile’s aws_secret_access_key) for a typo or a rotated key.',
    };
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId') {
    return {
      message: `AWS does not know the access key id ${calling}: it was deleted, deactivated or belongs to another partition.`,
      suggestion: 'Check AWS_ACCESS_KEY_ID (or the profile’s key), or create a new access key.',
    };
  }
  if (
    /expired/i.test(name + detail) &&
    (name.includes('Token') || /credential|token/i.test(detail))
  ) {
    return {
      message: `AWS credentials have expired ${calling}.`,
      suggestion: 'Refresh them (for example `aws sso login --profile <name>`) and retry.',
    };
  }
  const profile = /profile:? \[?([^\]\s]+)\]?/i.exec(detail)?.[1] ?? where.profile;
  if (
    profile &&
    /could not (be found|resolve credentials using profile)|profile .* not found/i.test(detail)
  ) {
    return {
      message: `AWS profile "${profile}" was not found in ~/.aws/config or ~/.aws/credentials ${calling}.`,
      suggestion: 'List the profiles with `aws configure list-profiles`, or drop --profile.',
    };
  }
  if (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    name === 'TokenRefreshRequired' ||
    (e.$metadata === undefined && /credential/i.test(detail))
  ) {
    return {
      message: `No usable AWS credentials were found ${calling}.`,
      suggestion:
        'Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
    };
  }
  return undefined;
}

/** Worth retrying inside a wait: throttling, a 5xx, a reset or timed-out connection. */
function isTransient(e: AwsErrorShape, name: string, status: number | undefined): boolean {
  return (
    THROTTLING_ERRORS.has(name) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    NETWORK_CODES.has(e.code ?? '') ||
    name === 'TimeoutError' ||
    (e.$retryable !== undefined && e.$retryable !== null)
  );
}

/**
 * Turns whatever an AWS SDK call threw into an OpsError naming the action (`ecs:DescribeServices`),
 * so every failure reads as one sentence with a next step instead of a stack trace. Throttling,
 * 5xx answers and network failures are marked `transient`: waits retry them until their deadline.
 */
export function fromAwsError(error: unknown, action: string, where: CallContext = {}): OpsError {
  if (error instanceof OpsError) return error;
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? e.Code ?? 'Error';
  const detail = firstLine(e.message ?? String(error));
  const status = e.$metadata?.httpStatusCode;
  // The SDK re-wraps errors from another realm (a test VM) as text, code lost: `socket hang up`
  // is Node's wording for a reset HTTP connection.
  const code = e.code ?? (/socket hang up|ECONNRESET/.test(detail) ? 'ECONNRESET' : undefined);
  const context = { action, awsError: name };
  const options = (suggestion: string) => ({
    suggestion,
    context,
    cause: error,
    transient: isTransient({ ...e, code }, name, status),
  });
  const credentials = credentialError(e, name, detail, action, where);
  if (credentials)
    return new OpsError('CREDENTIALS', credentials.message, options(credentials.suggestion));
  if (ACCESS_ERRORS.has(name) || status === 403) {
    return new OpsError(
      'ACCESS_DENIED',
      `Access denied: this identity may not call ${action}.`,
      options(`Grant ${action} to the role you use (or pass --profile for one that has it).`),
    );
  }
  const region = where.region ? ` in ${where.region}` : '';
  const place = [where.cluster && `cluster ${where.cluster}`, where.region]
    .filter(Boolean)
    .join(', ');
  if (
    NOT_FOUND_ERRORS.has(name) ||
    (name === 'InvalidParameterException' && /not found|does not exist/i.test(detail))
  ) {
    return new OpsError(
      'NOT_FOUND',
      `${action} failed${place ? ` (${place})` : ''}: ${detail}`,
      options('Check --env and --region: the stack may not be deployed there.'),
    );
  }
  if (NETWORK_CODES.has(code ?? '')) {
    return new OpsError(
      'AWS_ERROR',
      `${action} failed: the connection to AWS${region} was lost (${code}).`,
      options('Check network access to AWS (proxy, VPN, firewall) and retry.'),
    );
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(detail)) {
    return new OpsError(
      'TIMEOUT',
      `${action} did not answer in time.`,
      options('Check network access to AWS and retry (or raise --call-timeout).'),
    );
  }
  if (name === 'SyntaxError' || /Deserialization error/i.test(e.message ?? '')) {
    return new OpsError(
      'AWS_ERROR',
      `${action} failed: the endpoint answered HTTP ${status ?? '?'} with a body that is not an AWS response.`,
      options('A proxy or load balancer between you and AWS may be failing; retry with --verbose.'),
    );
  }
  // A 4xx is explained by its error name; a 5xx often comes from something in between.
  const http = status && status >= 500 ? ` (HTTP ${status})` : '';
  return new OpsError(
    'AWS_ERROR',
    `${action} failed${http}: ${name}: ${detail}`,
    options('Retry with --verbose for details.'),
  );
}
