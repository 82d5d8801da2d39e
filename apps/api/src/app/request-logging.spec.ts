import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';

import { requestLoggingHook } from './request-logging';

describe('requestLoggingHook', () => {
  const setup = (route: string | undefined) => {
    const httpLogger = jest.fn() as unknown as HttpLogger & jest.Mock;
    const runInContext = jest.fn((fn: () => void) => fn());
    const hook = requestLoggingHook(httpLogger, { runInContext } as unknown as PinoLogger);
    const request = { id: 'req-1', raw: {}, routeOptions: { url: route } } as FastifyRequest;
    const reply = { raw: {} } as FastifyReply;
    const done = jest.fn();
    hook.call(undefined as never, request, reply, done);
    return { httpLogger, runInContext, request, reply, done };
  };

  it('logs an API request and runs the rest of it in a logging context with its id', () => {
    const { httpLogger, runInContext, request, reply, done } = setup('/api/requests');

    expect(httpLogger).toHaveBeenCalledWith(request.raw, reply.raw);
    expect(request.raw).toEqual({ id: 'req-1' }); // pino-http reads the id from the raw request
    expect(runInContext).toHaveBeenCalledWith(done, { bindings: { reqId: 'req-1' } });
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('logs unmatched requests', () => {
    expect(setup(undefined).httpLogger).toHaveBeenCalledTimes(1);
  });

  it.each(['/health', '/health/live'])('passes %s through untouched', (route) => {
    const { httpLogger, runInContext, done } = setup(route);

    expect(httpLogger).not.toHaveBeenCalled();
    expect(runInContext).not.toHaveBeenCalled();
    expect(done).toHaveBeenCalledTimes(1);
  });
});
