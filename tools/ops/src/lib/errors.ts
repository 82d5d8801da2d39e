/**
 * Exit codes, one per kind of outcome, so scripts (and Terraform's local-exec) can branch on them.
 * `status` reads them as: 0 healthy, 1 degraded, 2 and above "cannot tell".
 */
export const ExitCode = {
  OK: 0,
  /** A check failed: degraded service, failed deploy, contract mismatch, missing resource. */
  FAILED: 1,
  /** No usable AWS credentials (missing, expired or invalid). */
  CREDENTIALS: 2,
  /** Credentials work but lack a permission; the message names the API action. */
  ACCESS_DENIED: 3,
  /** The cluster, service, load balancer, task definition or log stream does not exist. */
  NOT_FOUND: 4,
  /** AWS could not be reached, throttled us or answered with an error we do not classify. */
  AWS_ERROR: 5,
  /** Bad command-line options or settings (every bad one is named). */
  USAGE: 64,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
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
 * The one error type commands throw: a one-sentence `message` for people, a stable `code` for
 * scripts, a `suggestion` (the next thing to try) and `context` (what we were doing), the
 * original error kept as `cause` for `--verbose`.
 */
export class OpsError extends Error {
  override readonly name = 'OpsError';
  readonly code: OpsErrorCode;
  readonly suggestion?: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: OpsErrorCode,
    message: string,
    options: { suggestion?: string; context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.suggestion = options.suggestion;
    this.context = options.context ?? {};
  }

  get exitCode(): ExitCodeValue {
    return EXIT_BY_CODE[this.code];
  }
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  // An SSO profile whose cached token is missing or expired (`aws sso login` fixes it).
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
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
  'ResourceNotFoundException',
]);

/**
 * Turns whatever an AWS SDK call threw into an OpsError naming the action (`ecs:DescribeServices`),
 * so every failure reads as one sentence with a next step instead of a stack trace.
 */
export function fromAwsError(error: unknown, action: string): OpsError {
  if (error instanceof OpsError) return error;
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? e.Code ?? 'Error';
  const detail = (e.message ?? String(error)).split('\n')[0].trim();
  const context = { action, awsError: name };
  if (CREDENTIAL_ERRORS.has(name) || /credential|security token/i.test(detail)) {
    const expired = /expired/i.test(name + detail);
    return new OpsError(
      'CREDENTIALS',
      expired
        ? `AWS credentials have expired (while calling ${action}).`
        : `No usable AWS credentials were found (while calling ${action}).`,
      {
        suggestion: expired
          ? 'Refresh them (for example `aws sso login --profile <name>`) and retry.'
          : 'Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
        context,
        cause: error,
      },
    );
  }
  if (ACCESS_ERRORS.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new OpsError('ACCESS_DENIED', `Access denied: this identity may not call ${action}.`, {
      suggestion: `Grant ${action} to the role you use (or pass --profile for one that has it).`,
      context,
      cause: error,
    });
  }
  if (NOT_FOUND_ERRORS.has(name)) {
    return new OpsError('NOT_FOUND', `${action} failed: ${detail}`, {
      suggestion: 'Check --env and --region: the stack may not be deployed there.',
      context,
      cause: error,
    });
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(detail)) {
    return new OpsError('TIMEOUT', `${action} did not answer in time.`, {
      suggestion: 'Check network access to AWS and retry (or raise --call-timeout).',
      context,
      cause: error,
    });
  }
  if (name === 'InvalidParameterException' && /not found|does not exist/i.test(detail)) {
    return new OpsError('NOT_FOUND', `${action} failed: ${detail}`, {
      suggestion: 'Check --env and --region: the stack may not be deployed there.',
      context,
      cause: error,
    });
  }
  return new OpsError('AWS_ERROR', `${action} failed: ${name}: ${detail}`, {
    suggestion: 'Retry with --verbose for details.',
    context,
    cause: error,
  });
}
