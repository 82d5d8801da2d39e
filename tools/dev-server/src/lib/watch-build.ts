import { createRequire } from 'node:module';
import { join } from 'node:path';
import webpack, { type Configuration, type Stats } from 'webpack';

/** What one (re)build produced: success, or the compiler's errors as text. */
export type BuildResult = { ok: true; durationMs: number } | { ok: false; errors: string };

/**
 * Builds the API with its own webpack configuration in development mode (NODE_ENV=development:
 * packages stay external, nothing is minified, source maps on) into `outputPath`, and rebuilds
 * on every change to a file it compiled. Webpack watches the files itself, so this needs no Nx
 * daemon (which Nx turns off in containers and CI).
 */
export function watchBuild(
  workspaceRoot: string,
  outputPath: string,
  onBuild: (result: BuildResult) => void,
): { close(): Promise<void> } {
  process.env.NODE_ENV = 'development';
  process.env.API_BUILD_OUTPUT_PATH = outputPath;
  // NxAppWebpackPlugin reads the project's options from Nx's cached graph for this target.
  process.env.NX_BUILD_TARGET = 'api:build:development';
  const projectRoot = join(workspaceRoot, 'apps/api');
  const config = createRequire(__filename)(
    join(projectRoot, 'webpack.config.cjs'),
  ) as Configuration;
  // `context`: the config's relative paths are the project's, as when webpack-cli runs there.
  const compiler = webpack({
    ...config,
    context: projectRoot,
    mode: 'development',
    devtool: 'source-map',
  });
  const watching = compiler.watch({ aggregateTimeout: 200 }, (error, stats?: Stats) => {
    if (error || !stats) return onBuild({ ok: false, errors: String(error) });
    if (stats.hasErrors()) return onBuild({ ok: false, errors: stats.toString('errors-only') });
    const { startTime = 0, endTime = 0 } = stats;
    onBuild({ ok: true, durationMs: endTime - startTime });
  });
  return {
    close: () => new Promise((resolve) => (watching ? watching.close(() => resolve()) : resolve())),
  };
}
