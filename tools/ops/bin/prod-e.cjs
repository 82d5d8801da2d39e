#!/usr/bin/env node
// Runs the TypeScript sources through tsx's require hook, so `npx prod-e` needs no build step.
// The SDK warns on every run that releases after January 2027 need Node 22; the workspace
// supports Node >= 20.19 on purpose, and the notice would bury the one-line answers ops prints.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../src/main.ts').cli();
