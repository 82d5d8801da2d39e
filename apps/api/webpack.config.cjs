const { createRequire, isBuiltin } = require('node:module');
const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { readCachedProjectGraph } = require('@nx/devkit');
const { createLockFile } = require('@nx/js');
const { readFileSync } = require('node:fs');
const TerserPlugin = require('terser-webpack-plugin');
const { Compilation, DefinePlugin, ExternalModule, sources } = require('webpack');

const WORKSPACE_ROOT = join(__dirname, '../..');
/**
 * `nx serve api` builds with NODE_ENV=development into its own directory (tools/dev-server):
 * the workspace's code only, packages left to Node's require, nothing minified. A rebuild then
 * takes a fraction of the production bundle's time, and never touches dist/apps/api.
 */
const DEVELOPMENT = process.env.NODE_ENV === 'development';
const OUTPUT_PATH = process.env.API_BUILD_OUTPUT_PATH ?? join(WORKSPACE_ROOT, 'dist/apps/api');

/**
 * Builds into dist/apps/api:
 * - server.js: the whole API, third-party packages included, tree-shaken and minified with
 *   class and function names kept (stack traces name them; the source map gives lines). One
 *   file starts faster than thousands of node_modules files (no resolution, one compile), a
 *   V8 code cache can cover all of it, and V8 keeps a 5 MiB ASCII source instead of 17 MiB
 *   of two-byte text (docs/performance.md);
 * - main.js: the small loader the container runs (`node main.js`), see src/main.ts;
 * - package.json and package-lock.json for `npm ci --omit=dev` in the image: only the packages
 *   server.js still requires at run time.
 */

/**
 * Packages left to Node's require at run time: pino starts its transport workers from its own
 * files (pino-http stays next to it), swagger-ui-dist serves its assets from disk. Installed in
 * the image.
 */
const RUNTIME_PACKAGES = [/^pino(-http)?$/, /^swagger-ui-dist(\/|$)/];
/** Optional peers Nest requires only when asked for them: external, and never installed. */
const UNUSED_PEERS = [/^@nestjs\/(platform-express|microservices|websockets)(\/|$)/];
const EXTERNAL_PACKAGES = [...RUNTIME_PACKAGES, ...UNUSED_PEERS];

/**
 * External: Node built-ins, the packages above, and whatever is not installed (optional peers
 * such as pg-native or TypeORM's other drivers): their `require` stays as it is and fails at
 * run time exactly as it would unbundled, inside the try/catch their packages put around it.
 */
function isExternal(request, context) {
  if (!/^[@a-z]/.test(request) || request.startsWith('@prod-e/')) return false;
  if (DEVELOPMENT || isBuiltin(request)) return true;
  if (EXTERNAL_PACKAGES.some((pattern) => pattern.test(request))) return true;
  try {
    createRequire(join(context, 'noop.js')).resolve(request);
    return false;
  } catch {
    return true;
  }
}

/**
 * Bundled code that requires a computed name, which webpack cannot follow (such a require always
 * fails at run time): Nest's and Terminus' optional-peer loaders (peers the API does not use) and
 * TypeORM's driver and file loaders. The API hands TypeORM its driver (pg), entities and
 * migrations as objects (services/database/data-source-options.ts), so none of these runs. A
 * new warning from anywhere else fails nothing but shows in the build output: look at it.
 */
const KNOWN_DYNAMIC_REQUIRES = [
  /@nestjs\/common\/utils\/load-package\.util\.js$/,
  /@nestjs\/core\/helpers\/(load-adapter|optional-require)\.js$/,
  /@nestjs\/terminus\/dist\/utils\/checkPackage\.util\.js$/,
  /typeorm\/(connection\/ConnectionOptionsReader|platform\/PlatformTools|util\/ImportUtils)\.js$/,
];

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageNameOf = (request) =>
  request
    .split('/')
    .slice(0, request.startsWith('@') ? 2 : 1)
    .join('/');

const installedVersionOf = (name) =>
  JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'node_modules', name, 'package.json'), 'utf8'))
    .version;

/** NxAppWebpackPlugin sets externals, optimization and the manifests itself; this runs after it. */
class ServerBundle {
  apply(compiler) {
    compiler.options.externals = [
      ({ request, context }, callback) =>
        request && isExternal(request, context)
          ? callback(null, `commonjs ${request}`)
          : callback(),
    ];
    // Packages' own source maps point at sources most do not publish; map into their JS instead.
    for (const rule of compiler.options.module.rules) {
      if (String(rule?.loader).includes('source-map-loader')) rule.exclude = /node_modules/;
    }
    compiler.options.ignoreWarnings = [
      ({ message, module }) =>
        message.startsWith('Critical dependency: the request of a dependency is an expression') &&
        KNOWN_DYNAMIC_REQUIRES.some((pattern) => pattern.test(module?.resource ?? '')),
    ];
    compiler.options.optimization = {
      ...compiler.options.optimization,
      usedExports: true,
      sideEffects: true,
      concatenateModules: true,
      minimize: !DEVELOPMENT,
      minimizer: [
        new TerserPlugin({
          minify: TerserPlugin.swcMinify,
          extractComments: false,
          terserOptions: {
            // Whitespace and comments only. Compressing rewrites `let X = class X {}` (tsc's
            // decorated classes) into an anonymous class, and Nest names loggers and providers
            // after their classes; swc's mangler breaks class static blocks.
            compress: false,
            mangle: false,
            // One byte per character in V8's heap, instead of two for the whole file.
            format: { ascii_only: true, comments: false },
          },
        }),
      ],
    };
    if (DEVELOPMENT) return; // no image is built from a development build
    compiler.hooks.thisCompilation.tap(ServerBundle.name, (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: ServerBundle.name, stage: Compilation.PROCESS_ASSETS_STAGE_PRE_PROCESS },
        () => this.pruneManifests(compilation),
      );
    });
  }

  /** Nx lists every package the sources import; the image needs only what stayed external. */
  pruneManifests(compilation) {
    const runtime = new Set();
    for (const module of compilation.modules) {
      const request = module instanceof ExternalModule ? String(module.request) : '';
      if (RUNTIME_PACKAGES.some((pattern) => pattern.test(request)))
        runtime.add(packageNameOf(request));
    }
    const manifest = JSON.parse(compilation.getAsset('package.json').source.source().toString());
    manifest.dependencies = Object.fromEntries(
      [...runtime].sort().map((name) => [name, installedVersionOf(name)]),
    );
    const lockfile = createLockFile(manifest, readCachedProjectGraph(), 'npm');
    compilation.updateAsset(
      'package.json',
      new sources.RawSource(JSON.stringify(manifest, null, 2)),
    );
    compilation.updateAsset('package-lock.json', new sources.RawSource(lockfile));
  }
}

module.exports = {
  output: { path: OUTPUT_PATH },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc', // emits decorator metadata, which Nest's dependency injection reads
      main: './src/main.ts',
      additionalEntryPoints: [{ entryName: 'server', entryPath: './src/server.ts' }],
      tsConfig: './tsconfig.app.json',
      outputPath: OUTPUT_PATH,
      deleteOutputPath: true,
      generatePackageJson: !DEVELOPMENT,
      externalDependencies: 'none',
      outputHashing: 'none',
      sourceMap: true,
      // Types are checked by the `typecheck` target; the bundle only needs transpiling.
      skipTypeChecking: true,
    }),
    new ServerBundle(),
    // ESM packages (Terminus) read import.meta.dirname, which webpack 5 does not rewrite.
    new DefinePlugin({ 'import.meta.dirname': '__dirname' }),
  ],
};
