/** The floor on bare Fastify: no plugins, no hooks, the default JSON serializer. */
import Fastify from 'fastify';

import { type Answer, floorEnv, floorRoutes } from './routes';

const env = floorEnv();
const routes = floorRoutes(env);
const app = Fastify();
const send = (reply: { code(n: number): { send(b: unknown): unknown } }, answer: Answer) =>
  reply.code(answer.status).send(answer.body);

app.get(env.livePath, (_req, reply) => send(reply, routes.live()));
app.get(env.healthPath, async (_req, reply) => send(reply, await routes.health()));
app.get<{ Querystring: { limit?: string } }>(env.requestsPath, async (req, reply) =>
  send(reply, await routes.requests(req.query.limit ?? null)),
);
process.once('SIGTERM', () => void app.close().then(routes.close));
void app.listen({ port: env.port, host: env.host });
