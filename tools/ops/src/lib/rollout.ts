import { type ResourceNames } from '@prod-e/deployment';

import { type Task } from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { diagnoseFailure, type FailureDiagnostics } from './diagnostics';
import { OpsError } from './errors';
import { probeHealth, type ProbeResult } from './health-probe';
import { loadBalancerUrl } from './load-balancer';
import { waitWithProgress } from './poll';
import { type Runtime } from './runtime';
import {
  type DeploymentSummary,
  isCircuitBreakerRollback,
  listServiceTasks,
  primaryDeployment,
  readServiceSnapshot,
  type ServiceSnapshot,
  type TargetSummary,
  targetsOfTasks,
  tasksOfDeployment,
} from './service-state';
import { parseTaskDefinitionRef } from './task-definitions';

/** The revision a deploy registered: verify succeeds only for it. */
export interface ExpectedRevision {
  family?: string;
  revision: number;
}

export interface VerifyOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Base URL for `/health`; by default `http://` + the environment's ALB DNS name. */
  url?: string;
  /** Extra CA certificates (PEM) for an https URL. */
  ca?: string;
  /** The deployment to follow; by default the one running `expected`, else the PRIMARY. */
  deploymentId?: string;
  expected?: ExpectedRevision;
  probeTimeoutMs?: number;
}

export type VerifyOutcome =
  'healthy' | 'rollout_failed' | 'rolled_back' | 'superseded' | 'url_rejected' | 'timeout';

export interface VerifyResult {
  ok: boolean;
  outcome: VerifyOutcome;
  message: string;
  deploymentId: string | null;
  url: string;
  elapsedMs: number;
  deployment: DeploymentSummary | null;
  /** The followed deployment's own running and desired counts. */
  running: number;
  desired: number;
  /** The followed deployment's own targets (by task IP), not the old revision's. */
  targets: { healthy: number; total: number };
  probe: ProbeResult | null;
  diagnostics: FailureDiagnostics | null;
}

interface Poll {
  snapshot: ServiceSnapshot;
  mine: DeploymentSummary | undefined;
  ownTargets: TargetSummary[];
  probe: ProbeResult | null;
}

interface Verdict {
  ok: boolean;
  outcome: VerifyOutcome;
  message: string;
}

const label = (e: ExpectedRevision) => `${e.family ? `${e.family}:` : 'revision '}${e.revision}`;

/** The deployment to follow in this snapshot. */
function findTracked(
  snapshot: ServiceSnapshot,
  options: VerifyOptions,
  tracked: string | undefined,
): DeploymentSummary | undefined {
  if (tracked) return snapshot.deployments.find((d) => d.id === tracked);
  const { expected } = options;
  if (!expected) return primaryDeployment(snapshot);
  return snapshot.deployments.find((d) => {
    const ref = parseTaskDefinitionRef(d.taskDefinition);
    return (
      ref?.revision === expected.revision && (!expected.family || ref.family === expected.family)
    );
  });
}

/** Why the followed deployment can no longer succeed, or undefined while it still can. */
function terminalFailure(poll: Poll, tracked: string | undefined, options: VerifyOptions) {
  const primary = primaryDeployment(poll.snapshot);
  const rolledBack =
    primary && primary.id !== tracked && isCircuitBreakerRollback(primary.rolloutStateReason);
  const name = tracked
    ? `Deployment ${tracked}`
    : `No deployment of ${label(options.expected ?? { revision: 0 })}`;
  if (poll.mine?.rolloutState === 'FAILED' || (!poll.mine && rolledBack)) {
    const reason = poll.mine?.rolloutStateReason ?? 'no reason given';
    if (rolledBack) {
      return fail(
        'rolled_back',
        `${name} failed (${reason}); the circuit breaker rolled the service back to revision ${primary.revision ?? '?'}: ${primary.rolloutStateReason}`,
      );
    }
    return fail('rollout_failed', `${name} FAILED: ${reason}`);
  }
  // Waiting for the expected revision's deployment to appear is not a failure by itself.
  if (!poll.mine && tracked) {
    return fail(
      'superseded',
      `${name} was replaced by ${primary?.id ?? 'another deployment'} before it completed.`,
    );
  }
  return undefined;
}

const fail = (outcome: VerifyOutcome, message: string): Verdict => ({
  ok: false,
  outcome,
  message,
});

function progressLine(poll: Poll, options: VerifyOptions): string {
  if (!poll.mine && options.expected) {
    return `waiting for a deployment of ${label(options.expected)} (PRIMARY runs revision ${primaryDeployment(poll.snapshot)?.revision ?? '?'})`;
  }
  const healthy = poll.ownTargets.filter((t) => t.state === 'healthy').length;
  const parts = [
    `rollout ${poll.mine?.rolloutState ?? 'UNKNOWN'}`,
    `tasks ${poll.mine?.running ?? 0}/${poll.mine?.desired ?? 0} running`,
  ];
  if (poll.snapshot.targetGroups.length) {
    parts.push(`targets ${healthy}/${poll.ownTargets.length} healthy`);
    const unhealthy = poll.ownTargets.find((t) => t.state !== 'healthy' && t.reason);
    if (unhealthy) parts.push(`${unhealthy.state}: ${unhealthy.reason}`);
  }
  if (poll.snapshot.deployments.length > 1)
    parts.push(`${poll.snapshot.deployments.length} deployments`);
  if (poll.probe) parts.push(`/health ${poll.probe.ok ? 'ok' : poll.probe.problems.join(', ')}`);
  return parts.join(' · ');
}

/** COMPLETED, PRIMARY, running = desired, and every one of its own targets healthy. */
function isSteady(poll: Poll): boolean {
  const { mine, snapshot, ownTargets } = poll;
  if (!mine || mine.status !== 'PRIMARY') return false;
  if ((mine.rolloutState ?? 'COMPLETED') !== 'COMPLETED') return false;
  if (mine.desired === 0 || mine.running !== mine.desired) return false;
  if (!snapshot.targetGroups.length) return true;
  const healthy = ownTargets.filter((t) => t.state === 'healthy').length;
  return healthy === ownTargets.length && healthy >= mine.desired;
}

async function readPoll(
  aws: AwsClients,
  names: ResourceNames,
  options: VerifyOptions,
  tracked: string | undefined,
): Promise<Poll & { running: Task[] }> {
  const [snapshot, running] = await Promise.all([
    readServiceSnapshot(aws, names, { events: 20, images: true }),
    listServiceTasks(aws.ecs, names, 'RUNNING'),
  ]);
  const mine = findTracked(snapshot, options, tracked);
  const ownTargets = mine ? targetsOfTasks(snapshot.targets, tasksOfDeployment(running, mine)) : [];
  return { snapshot, mine, ownTargets, probe: null, running };
}

/**
 * Waits until the followed deployment (the one running `expected`, or the PRIMARY) is PRIMARY and
 * COMPLETED, runs its desired count, every one of its own targets is healthy, and `/health` is 200
 * with a contract-valid body. Fails fast when the rollout FAILED, the circuit breaker rolled it
 * back, or the URL redirects or presents a certificate we reject; transient AWS errors back off
 * until the deadline. On failure, diagnostics explain what happened.
 */
export async function verifyDeployment(
  aws: AwsClients,
  names: ResourceNames,
  runtime: Runtime,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { clock, io } = runtime;
  const started = clock.now();
  const url = options.url ?? (await loadBalancerUrl(aws.elb, names));
  const progress = io.progress(`Verifying ${names.service} in ${names.cluster}...`);
  let tracked = options.deploymentId;
  let last: Poll | undefined;
  // The followed deployment as last seen: after a rollback it is gone from the service.
  let lastMine: DeploymentSummary | undefined;
  let firstPoll = true;

  const finish = async (verdict: Verdict, poll: Poll): Promise<VerifyResult> => {
    if (verdict.ok) progress.succeed(verdict.message);
    else progress.fail(verdict.message);
    const context = { url, started, tracked, deployment: poll.mine ?? lastMine };
    return toResult(aws, names, clock, context, verdict, poll);
  };

  const attempt = async (): Promise<Verdict | undefined> => {
    const poll = await readPoll(aws, names, options, tracked);
    last = poll;
    lastMine = poll.mine ?? lastMine;
    tracked ??= poll.mine?.id;
    const verdict =
      judgeFirstPoll(poll, options, firstPoll) ?? terminalFailure(poll, tracked, options);
    firstPoll = false;
    if (verdict) return verdict;
    const health = await judgeHealth(poll, url, options);
    progress.update(progressLine(poll, options));
    return health;
  };

  const outcome = await waitWithProgress(
    runtime,
    progress,
    {
      deadline: started + options.timeoutMs,
      intervalMs: options.intervalMs,
      interrupted: new OpsError(
        'INTERRUPTED',
        'Interrupted while verifying; the deployment continues.',
      ),
    },
    attempt,
  );
  if (!last)
    throw outcome.kind === 'timeout' && outcome.lastError
      ? outcome.lastError
      : new OpsError('TIMEOUT', 'verify got no answer from AWS.');
  if (outcome.kind === 'done') return finish(outcome.value, last);
  const poll: Poll = last;
  const since = outcome.lastError ? ` (last error: ${outcome.lastError.message})` : '';
  const message = `Timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${tracked ? `deployment ${tracked}` : label(options.expected ?? { revision: 0 })}: ${progressLine(poll, options)}${since}.`;
  return finish(fail('timeout', message), poll);
}

/** Once the deployment is steady, probes `/health` (until then old tasks answer it too). */
async function judgeHealth(
  poll: Poll,
  url: string,
  options: VerifyOptions,
): Promise<Verdict | undefined> {
  if (!isSteady(poll)) return undefined;
  const probe = await probeHealth(url, { timeoutMs: options.probeTimeoutMs, ca: options.ca });
  poll.probe = probe;
  if (probe.permanent) {
    return fail('url_rejected', `GET ${probe.url} cannot succeed: ${probe.problems.join('; ')}.`);
  }
  if (!probe.ok) return undefined;
  const m = poll.mine as DeploymentSummary;
  const database = probe.database ? ` (database ${probe.database})` : '';
  const message = `Deployment ${m.id} is healthy: revision ${m.revision ?? '?'}, ${m.running}/${m.desired} tasks, ${poll.ownTargets.length} healthy targets, /health ok in ${probe.latencyMs} ms${database}.`;
  return { ok: true, outcome: 'healthy', message };
}

/** The verdict with the counts it was reached on, and on failure the diagnostics. */
async function toResult(
  aws: AwsClients,
  names: ResourceNames,
  clock: Runtime['clock'],
  context: { url: string; started: number; tracked?: string; deployment?: DeploymentSummary },
  verdict: Verdict,
  poll: Poll,
): Promise<VerifyResult> {
  const diagnostics = verdict.ok
    ? null
    : await diagnoseFailure(aws, names, {
        environment: names.environment,
        deployment: context.deployment,
        events: poll.snapshot.events,
        targets: poll.ownTargets,
        health: poll.probe,
        now: clock.now(),
      });
  return {
    ...verdict,
    deploymentId: poll.mine?.id ?? context.tracked ?? null,
    url: context.url,
    elapsedMs: clock.now() - context.started,
    deployment: poll.mine ?? null,
    running: poll.mine?.running ?? 0,
    desired: poll.mine?.desired ?? 0,
    targets: {
      healthy: poll.ownTargets.filter((t) => t.state === 'healthy').length,
      total: poll.ownTargets.length,
    },
    probe: poll.probe,
    diagnostics,
  };
}

/**
 * Started after the circuit breaker already replaced the deploy: the deploy did not work. With an
 * expected revision the rollback's reason is history, not a verdict: that revision is judged.
 */
function judgeFirstPoll(poll: Poll, options: VerifyOptions, first: boolean): Verdict | undefined {
  if (!first || options.expected || options.deploymentId) return undefined;
  if (!isCircuitBreakerRollback(poll.mine?.rolloutStateReason)) return undefined;
  return fail(
    'rolled_back',
    `The newest deployment ${poll.mine?.id} is a circuit-breaker rollback: ${poll.mine?.rolloutStateReason}`,
  );
}
