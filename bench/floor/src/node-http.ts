/** The floor on bare node:http: route by path, JSON.stringify, nothing else. */
import { createServer } from 'node:http';

import { type Answer, floorEnv, floorRoutes } from './routes';

const env = floorEnv();
const routes = floorRoutes(env);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const answer: Answer | Promise<Answer> =
    url.pathname === env.livePath
      ? routes.live()
      : url.pathname === env.healthPath
        ? routes.health()
        : url.pathname === env.requestsPath
          ? routes.requests(url.searchParams.get('limit'))
          : { status: 404, body: { message: 'not found' } };
  const failed = { status: 500, body: { message: 'internal error' } };
  void Promise.resolve(answer)
    .catch(() => failed)
    .then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    });
});
process.once('SIGTERM', () => server.close(() => void routes.close()));
server.listen(env.port, env.host);
