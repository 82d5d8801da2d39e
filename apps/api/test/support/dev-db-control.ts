/**
 * What tools/dev-db's Jest environment (named in jest.config.cjs) puts on globalThis: a private
 * PostgreSQL server a spec may stop and start. Declared here because apps may not import tools.
 */
export interface FaultServer {
  readonly url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function startFaultServer(): Promise<FaultServer> {
  const control = (globalThis as { devDb?: { startServer(): Promise<FaultServer> } }).devDb;
  if (!control)
    throw new Error('run through apps/api/jest.config.cjs (tools/dev-db test environment)');
  return control.startServer();
}
