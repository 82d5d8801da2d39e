import { awsError } from '../../test/mock-aws';
import { ExitCode, fromAwsError, OpsError } from './errors';

describe('fromAwsError', () => {
  it.each([
    [
      'CredentialsProviderError',
      'Could not load credentials from any providers',
      'CREDENTIALS',
      ExitCode.CREDENTIALS,
    ],
    [
      'ExpiredTokenException',
      'The security token included in the request is expired',
      'CREDENTIALS',
      ExitCode.CREDENTIALS,
    ],
    [
      'TokenProviderError',
      'The SSO session associated with this profile has expired or is otherwise invalid.',
      'CREDENTIALS',
      ExitCode.CREDENTIALS,
    ],
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      'CREDENTIALS',
      ExitCode.CREDENTIALS,
    ],
    [
      'AccessDeniedException',
      'User: x is not authorized to perform: ecs:ListTasks',
      'ACCESS_DENIED',
      ExitCode.ACCESS_DENIED,
    ],
    ['ServiceNotFoundException', 'Service not found.', 'NOT_FOUND', ExitCode.NOT_FOUND],
    ['TimeoutError', 'The operation was aborted due to timeout', 'TIMEOUT', ExitCode.AWS_ERROR],
    ['ThrottlingException', 'Rate exceeded', 'AWS_ERROR', ExitCode.AWS_ERROR],
  ])('maps %s to %s', (name, message, code, exitCode) => {
    const error = fromAwsError(awsError(name, message), 'ecs:ListTasks');

    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exitCode);
    expect(error.message).not.toContain('\n');
    expect(error.context).toEqual({ action: 'ecs:ListTasks', awsError: name });
  });

  it('says "expired" when the credentials have expired', () => {
    const error = fromAwsError(awsError('ExpiredToken', 'expired'), 'sts:GetCallerIdentity');

    expect(error.message).toBe(
      'AWS credentials have expired (while calling sts:GetCallerIdentity).',
    );
  });

  it('treats any 403 as access denied', () => {
    expect(fromAwsError(awsError('Forbidden', 'nope', 403), 'ecr:DescribeImages').code).toBe(
      'ACCESS_DENIED',
    );
  });

  it('keeps an OpsError as it is, and the original error as cause', () => {
    const ops = new OpsError('USAGE', 'bad');
    const original = awsError('ThrottlingException', 'Rate exceeded');

    expect(fromAwsError(ops, 'x')).toBe(ops);
    expect(fromAwsError(original, 'x').cause).toBe(original);
  });
});
