import { readFile } from 'node:fs/promises';

import { API_START_COMMAND, CODE_CACHE_BUILD_COMMAND } from '@prod-e/api-config';
import { containerHealthCheck } from '@prod-e/health-contract';
import { DockerfileParser, type ImageTemplate } from 'dockerfile-ast';

import { CONTAINER_PLATFORM } from '../src/commands/container';
import { stageRunScripts } from '../src/lib/artifact';
import { runtimeStage, syncDockerfile } from '../src/lib/dockerfile';
import { DOCKERFILE } from '../src/lib/paths';
import { synthesizedProdTaskDefinition } from './synthesized';

const PINNED_IMAGE = /^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/;
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL/i;

describe('docker/api.Dockerfile', () => {
  let text: string;
  let stages: Map<string, ImageTemplate>;
  let runtime: ImageTemplate;

  beforeAll(async () => {
    text = await readFile(DOCKERFILE, 'utf8');
    const dockerfile = DockerfileParser.parse(text);
    stages = new Map();
    for (const from of dockerfile.getFROMs()) {
      const image = dockerfile.getContainingImage(from.getRange().start);
      if (image) stages.set(from.getBuildStage() ?? '', image);
    }
    runtime = runtimeStage(text);
  });

  const stage = (name: string): ImageTemplate => {
    const found = stages.get(name);
    if (!found) throw new Error(`docker/api.Dockerfile has no stage ${name}`);
    return found;
  };
  const keywordsOf = (stage: ImageTemplate) => stage.getInstructions().map((i) => i.getKeyword());
  const envOf = (stage: ImageTemplate) =>
    new Map(
      stage
        .getENVs()
        .flatMap((env) => env.getProperties().map((p) => [p.getName(), p.getValue()] as const)),
    );

  it('is in sync with the shared contracts (npx nx run delivery:dockerfile)', () => {
    expect(syncDockerfile(text)).toBe(text);
  });

  describe('base images', () => {
    it('pins every external base image by tag and digest; other stages build on earlier ones', () => {
      const known = new Set<string>();
      for (const from of DockerfileParser.parse(text).getFROMs()) {
        const image = from.getImage() ?? '';
        if (!known.has(image)) {
          expect(image).toMatch(PINNED_IMAGE);
          expect(from.getImageTag()).toMatch(/^24-/); // the Node.js major the API targets
        }
        known.add(from.getBuildStage() ?? '');
      }
    });
  });

  describe('build stage', () => {
    it('installs from the lockfile before the sources arrive, then builds the API with Nx', () => {
      const build = stage('build');
      const lines = build.getInstructions().map((i) => i.getTextContent());
      const install = lines.findIndex((line) => /^RUN (--\S+ )*npm ci\b/.test(line));
      const manifests = lines.findIndex((line) => line === 'COPY --from=manifests /workspace/ ./');
      const sources = lines.indexOf('COPY . .');

      expect(manifests).toBeGreaterThanOrEqual(0);
      expect(manifests).toBeLessThan(install);
      expect(install).toBeLessThan(sources);
      expect(lines[sources + 1]).toMatch(/^RUN npx nx build api\b/);
    });

    it('feeds the install only package manifests and the lockfile', () => {
      const scripts = stageRunScripts(text, 'manifests');
      const script = scripts.join('\n');

      expect(script).toContain('! -name package.json ! -name package-lock.json -delete');
    });
  });

  describe('deps stage', () => {
    it('installs production dependencies only, from the pruned package.json and lockfile', () => {
      const deps = stage('deps');
      const copies = deps.getCOPYs().map((copy) => copy.getArgumentsContent());

      expect(copies).toEqual([
        '/workspace/dist/apps/api/package.json /workspace/dist/apps/api/package-lock.json ./',
      ]);
      expect(
        deps
          .getInstructions()
          .some(
            (i) =>
              i.getKeyword() === 'RUN' &&
              /^npm ci --omit=dev\b/.test(i.getArgumentsContent() ?? ''),
          ),
      ).toBe(true);
      expect(envOf(deps).get('NODE_ENV')).toBe('production');
    });
  });

  describe('runtime stage', () => {
    it('runs as the non-root node user', () => {
      const users = runtime.getInstructions().filter((i) => i.getKeyword() === 'USER');

      expect(users.map((user) => user.getArgumentsContent())).toEqual(['node:node']);
    });

    it('sets NODE_ENV=production', () => {
      expect(envOf(runtime).get('NODE_ENV')).toBe('production');
    });

    it('copies only the build output and the pruned node_modules from earlier stages', () => {
      const copies = runtime.getCOPYs().map((copy) => ({
        from: copy.getFromFlag()?.getValue(),
        args: copy.getArgumentsContent(),
      }));

      expect(copies).toEqual([
        { from: 'deps', args: '/app/node_modules ./node_modules' },
        { from: 'build', args: '/workspace/dist/apps/api/ ./' },
      ]);
      expect(keywordsOf(runtime)).not.toContain('ADD');
    });

    it('writes the code cache with CODE_CACHE_BUILD_COMMAND after the bundle arrives, as root', () => {
      const instructions = runtime.getInstructions();
      const at = (predicate: (args: string) => boolean, keyword: string) =>
        instructions.findIndex(
          (i) => i.getKeyword() === keyword && predicate(i.getArgumentsContent() ?? ''),
        );
      const cacheStep = at((args) => args.startsWith('['), 'RUN');

      expect(JSON.parse(instructions[cacheStep].getArgumentsContent() ?? '')).toEqual(
        CODE_CACHE_BUILD_COMMAND,
      );
      expect(cacheStep).toBeGreaterThan(at((args) => args.includes('dist/apps/api'), 'COPY'));
      expect(cacheStep).toBeLessThan(at(() => true, 'USER'));
    });

    it('starts API_START_COMMAND in exec form with no entrypoint in between', () => {
      const [cmd] = runtime.getCMDs();
      const [entrypoint] = runtime.getENTRYPOINTs();

      expect(JSON.parse(cmd.getArgumentsContent() ?? '')).toEqual(API_START_COMMAND);
      expect(JSON.parse(entrypoint.getArgumentsContent() ?? '')).toEqual([]);
    });

    it('health-checks with the exact node probe and timing of the synthesized task definition', async () => {
      const { container } = await synthesizedProdTaskDefinition();
      const [healthcheck] = runtime.getHEALTHCHECKs();
      const flags = Object.fromEntries(
        healthcheck.getFlags().map((flag) => [flag.getName(), flag.getValue()]),
      );
      const timing = containerHealthCheck();

      expect(container.healthCheck?.command[0]).toBe('CMD-SHELL');
      expect(healthcheck.getSubcommand()?.getValue()).toBe('CMD');
      expect(healthcheck.getArgumentsContent()).toBe(`CMD ${container.healthCheck?.command[1]}`);
      expect(container.healthCheck?.command[1]).toMatch(/^node -e "/);
      expect(flags).toEqual({
        interval: `${timing.interval}s`,
        timeout: `${timing.timeout}s`,
        'start-period': `${timing.startPeriod}s`,
        retries: `${timing.retries}`,
      });
    });

    it('runs as the uid the task definition sets, on its CPU architecture', async () => {
      const { container, cpuArchitecture } = await synthesizedProdTaskDefinition();

      expect(container.user).toBe('1000:1000'); // the node image's node:node
      expect(container.readonlyRootFilesystem).toBe(true);
      expect({ X86_64: 'linux/amd64', ARM64: 'linux/arm64' }[cpuArchitecture]).toBe(
        CONTAINER_PLATFORM,
      );
    });
  });

  it('uses neither curl nor wget anywhere', () => {
    const instructions = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));

    expect(instructions.join('\n')).not.toMatch(/\b(curl|wget)\b/i);
  });

  it('bakes no secret into ENV or ARG', () => {
    const dockerfile = DockerfileParser.parse(text);
    const names = [
      ...dockerfile.getInitialARGs(),
      ...[...stages.values()].flatMap((stage) => [...stage.getARGs(), ...stage.getENVs()]),
    ]
      .flatMap((instruction) => instruction.getProperties())
      .map((property) => property.getName());

    expect(names).toEqual(expect.arrayContaining(['NODE_ENV', 'APP_VERSION']));
    expect(names.filter((name) => SECRET_NAME.test(name))).toEqual([]);
  });
});
