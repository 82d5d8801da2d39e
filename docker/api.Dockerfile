# The prod-e API image: the Nx webpack bundle plus only its production dependencies, run as the
# non-root `node` user on a read-only root filesystem.
#
#   npx nx run api:container                  # tags prod-e-backend:<git sha> and :<environment>
#   docker build -f docker/api.Dockerfile .   # the same build by hand, from the repository root
#
# The build context is the repository root. BuildKit (Docker's default builder) reads the ignore
# file named after this Dockerfile, docker/api.Dockerfile.dockerignore: an allow-list of what the
# build needs, so no .env, node_modules, git history or build output enters the context.
#
# Base image: the official node:24-bookworm-slim (Node 24.19.0, Debian 12), pinned by the digest
# of its multi-platform index as recorded by docker-library/repo-info
# (repos/node/remote/24-bookworm-slim.md at e2e97043fc3e24482c19623a66ea8fc74d2546e0).
# To refresh: `docker buildx imagetools inspect node:24-bookworm-slim` prints the current index
# digest; replace the one below (every stage builds FROM this one line), rebuild, run the tests.
#
# Why slim and not distroless: ECS runs the container health check as CMD-SHELL (`/bin/sh -c`),
# and Docker runs a shell-form HEALTHCHECK the same way; distroless has no /bin/sh.
FROM node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS node

# ---------------------------------------------------------------------------------------------
# manifests: every package.json plus the lockfile and nothing else, so the `npm ci` layer below
# is rebuilt only when dependencies change, not on every source edit.
FROM node AS manifests
WORKDIR /workspace
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -mindepth 1 -type d -empty -delete

# ---------------------------------------------------------------------------------------------
# build: the whole workspace's dependencies (build tools included), then `nx build api`, which
# writes dist/apps/api/server.js (the API and its packages, one minified file), main.js (its
# loader) and, through the webpack config, a pruned package.json and package-lock.json holding
# only the packages the bundle still requires at run time.
FROM node AS build
WORKDIR /workspace
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
COPY --from=manifests /workspace/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx nx build api --outputStyle=static

# ---------------------------------------------------------------------------------------------
# deps: production dependencies of the bundle only, reproducibly from the pruned lockfile;
# install scripts off (nothing the API needs compiles at install time). Then the files Node never
# loads at run time go: type declarations, source maps and docs were over half of node_modules
# (see docs/container.md). tools/delivery's artifact test runs these same RUN lines.
FROM node AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /workspace/dist/apps/api/package.json /workspace/dist/apps/api/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
RUN find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.map' -o -name '*.md' \) -delete

# ---------------------------------------------------------------------------------------------
# runtime: the bundle and its node_modules, owned by root and read-only to the `node` user
# (uid/gid 1000), so the process cannot change its own code. It writes nothing outside /tmp,
# which ECS (a task volume) and compose (a tmpfs) mount writable over the read-only root.
FROM node AS runtime
ENV NODE_ENV=production
# The runtime never installs packages: drop npm, npx, corepack and yarn (less to patch and scan).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /workspace/dist/apps/api/ ./
# The V8 code cache of the warmed-up server (docs/performance.md), written by this stage's
# Node.js so V8 accepts it at start, and as root so the `node` user cannot change it. It warms
# up without a database; a bundle that cannot start fails the build here.
RUN ["node","--max-semi-space-size=8","main.js","write-code-cache"]
# /tmp is the one writable path. ECS on Fargate mounts an empty task volume there, owned by root
# with mode 0755 unless the image declares the path as a VOLUME: then ECS copies the image's
# directory (owner and mode) onto the volume, so the `node` user (1000:1000) can write it.
RUN chown 1000:1000 /tmp && chmod 1777 /tmp
VOLUME ["/tmp"]
USER node:node
# The version /health reports, so a stale task is visible; last, so it never invalidates the layers above.
ARG APP_VERSION=dev
ENV APP_VERSION=${APP_VERSION}
LABEL org.opencontainers.image.title="prod-e-api" \
      org.opencontainers.image.version="${APP_VERSION}"
# No docker-entrypoint.sh (the node base image's): nothing stands between Docker and Node.
ENTRYPOINT []
# The three lines below are generated from @prod-e/health-contract (port, probe, timing) and
# @prod-e/api-config (API_START_COMMAND) by `npx nx run delivery:dockerfile`; change them there.
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD node -e "require('http').get({host:'127.0.0.1',port:3000,path:'/health/live',timeout:2000},(r)=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"
CMD ["node","--max-semi-space-size=8","main.js"]
