import { DeliveryError } from './errors';
import type { Exec, ExecResult } from './exec';
import { awsCredentials, dockerEngine, requirePrerequisites, terraformCli } from './prerequisites';

const result = (exitCode: number, notFound = false): ExecResult => ({
  exitCode,
  notFound,
  stdout: '',
  stderr: '',
});
const execReturning =
  (byFile: Record<string, ExecResult>): Exec =>
  async (file) =>
    byFile[file];

describe('prerequisites', () => {
  describe('when everything is there', () => {
    it('resolves', async () => {
      const exec = execReturning({ docker: result(0), terraform: result(0) });

      await expect(
        requirePrerequisites('deploy', [
          dockerEngine(exec),
          terraformCli(exec),
          awsCredentials(async () => ({})),
        ]),
      ).resolves.toBeUndefined();
    });
  });

  describe('when things are missing', () => {
    it('tells a missing docker CLI from an engine that is not running', async () => {
      await expect(
        dockerEngine(execReturning({ docker: result(127, true) })).check(),
      ).resolves.toMatch(/^the docker CLI \(not on PATH/);
      await expect(dockerEngine(execReturning({ docker: result(1) })).check()).resolves.toMatch(
        /^a running Docker engine \(`docker info` failed/,
      );
    });

    it('names every missing prerequisite in one sentence', async () => {
      const exec = execReturning({ docker: result(1), terraform: result(127, true) });
      const noCredentials = async () => {
        throw new Error('Could not load credentials from any providers');
      };

      const failure = requirePrerequisites('deploy prod', [
        dockerEngine(exec),
        terraformCli(exec),
        awsCredentials(noCredentials),
      ]);

      await expect(failure).rejects.toThrow(DeliveryError);
      await expect(failure).rejects.toThrow(
        /^Cannot deploy prod: missing a running Docker engine \(.*\), the terraform CLI \(.*\) and AWS credentials \(.*\)\.$/,
      );
    });
  });
});
