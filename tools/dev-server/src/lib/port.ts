import { createServer } from 'node:net';

/**
 * Fails with a sentence naming the port when something already listens on it, so `nx serve
 * api` stops at once instead of building and then watching a server that could never start.
 */
export async function assertPortFree(port: number, host: string, envKey: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} is in use (another \`nx serve api\`?). Stop it, or ` +
                `choose another port: ${envKey}=3001 npx nx serve api`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
