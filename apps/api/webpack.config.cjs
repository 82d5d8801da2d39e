const { join } = require('node:path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');

/**
 * Bundles the API into dist/apps/api/main.js (+ a pruned package.json). Third-party packages
 * stay external: the image installs them with `npm ci --omit=dev` from the generated
 * package.json. Workspace libraries (@prod-e/*) export TypeScript source, so they are compiled
 * into the bundle. `externalDependencies: 'all'` cannot say that (node_modules/@prod-e holds
 * the workspace symlinks), so the plugin below sets the externals after NxAppWebpackPlugin.
 */
const isExternal = (request) => /^[@a-z]/.test(request) && !request.startsWith('@prod-e/');

class ExternalsExceptWorkspaceLibs {
  apply(compiler) {
    compiler.options.externals = [
      ({ request }, callback) =>
        request && isExternal(request) ? callback(null, `commonjs ${request}`) : callback(),
    ];
  }
}

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/api') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc', // emits decorator metadata, which Nest's dependency injection reads
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      outputPath: '../../dist/apps/api',
      generatePackageJson: true,
      externalDependencies: 'none',
      optimization: false,
      outputHashing: 'none',
      sourceMap: true,
      // Types are checked by the `typecheck` target; the bundle only needs transpiling.
      skipTypeChecking: true,
    }),
    new ExternalsExceptWorkspaceLibs(),
  ],
};
