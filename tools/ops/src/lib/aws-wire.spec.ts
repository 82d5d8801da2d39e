import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { createAwsClients } from './aws';
import { type OpsError } from './errors';

/**
 * The real SDK against a local HTTP endpoint (AWS_ENDPOINT_URL) that misbehaves the way proxies
 * and overloaded endpoints do: no aws-sdk-client-mock in this file, the wire is real.
 */
describe('AWS calls over a misbehaving wire', () => {
  let server: Server;
  let reply: (req: IncomingMessage, res: ServerResponse) => void;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => reply(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
  });
  afterAll(async () => {
    process.env = saved;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const describeServices = () =>
    createAwsClients({ region: 'us-west-2', callTimeoutMs: 10_000 })
      .ecs.describeServices({ cluster: 'prod-e-cluster', services: ['prod-e-service'] })
      .then(
        () => {
          throw new Error('the call succeeded');
        },
        (error: unknown) => error as OpsError,
      );

  it('names the HTTP status of an HTML 502 from something in between, and marks it transient', async () => {
    reply = (_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');

    const error = await describeServices();

    expect(error).toMatchObject({
      code: 'AWS_ERROR',
      transient: true,
      message:
        'ecs:DescribeServices failed: the endpoint answered HTTP 502 with a body that is not an AWS response.',
    });
  });

  it('reports a reset connection as lost, not as a timeout', async () => {
    reply = (req) => req.socket.destroy();

    const error = await describeServices();

    expect(error).toMatchObject({
      code: 'AWS_ERROR',
      transient: true,
      message:
        'ecs:DescribeServices failed: the connection to AWS in us-west-2 was lost (ECONNRESET).',
    });
  });

  it.each([
    [
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided.',
      'Error: AWS rejected the request signature (while calling ecs:DescribeServices): the secret access key does not belong to the access key id.',
    ],
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      'Error: AWS does not know the access key id (while calling ecs:DescribeServices): it was deleted, deactivated or belongs to another partition.',
    ],
  ])('tells %s apart from missing credentials', async (type, message, expected) => {
    reply = (_req, res) =>
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type })
        .end(JSON.stringify({ __type: type, message }));

    const error = await describeServices();

    expect(error.code).toBe('CREDENTIALS');
    expect(`Error: ${error.message}`).toBe(expected);
  });

  it('blames an answer of the wrong shape on the endpoint, not on prod-e (exit 5, not 70)', async () => {
    reply = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ services: 'nope' }));

    const error = await describeServices();

    expect(error).toMatchObject({
      code: 'AWS_ERROR',
      exitCode: 5,
      message: 'ecs:DescribeServices answered with an unexpected response: services is not a list.',
    });
  });
});
