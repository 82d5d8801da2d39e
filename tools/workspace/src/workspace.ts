import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '..', '..', '..');

export function readJson<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFileSync(join(workspaceRoot, relativePath), 'utf8')) as T;
}

/** Runs the workspace's own Nx CLI (no daemon, so tests never share state with a running one). */
export function nx(args: string[]): string {
  return execFileSync(
    process.execPath,
    [join(workspaceRoot, 'node_modules/nx/dist/bin/nx.js'), ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    },
  );
}

export interface ProjectSummary {
  name: string;
  root: string;
  tags: string[];
}

interface GraphFile {
  graph: { nodes: Record<string, { name: string; data: { root: string; tags?: string[] } }> };
}

/** Every project, as `nx graph --file=…` writes the project graph. */
export function listProjects(): ProjectSummary[] {
  const file = join(mkdtempSync(join(tmpdir(), 'prod-e-graph-')), 'graph.json');
  nx(['graph', `--file=${file}`]);
  const { graph } = JSON.parse(readFileSync(file, 'utf8')) as GraphFile;
  return Object.values(graph.nodes).map(({ name, data }) => ({
    name,
    root: data.root,
    tags: data.tags ?? [],
  }));
}
