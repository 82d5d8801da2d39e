import { type ResourceNames } from '@prod-e/config';

import { type AwsClients } from './aws';
import { diagnoseFailure, type FailureDiagnostics } from './diagnostics';
import { OpsError } from './errors';
import { probeHealth, type ProbeResult } from './health-probe';
import { loadBalancerUrl } from './load-balancer';
import { type Runtime } from './runtime';
import {
  type DeploymentSummary,
  isCircuitBreakerRollback,
  liveTargets,
  primaryDeployment,
  readServiceSnapshot,
  type ServiceSnapshot,
} from './service-state';

export interface VerifyOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Base URL for `/health`; by default the environment's ALB. */
  url?: string;
  /** The deployment to follow; by default the service's PRIMARY deployment when we start. */
  deploymentId?: string;
  probeTimeoutMs?: number;
}

export type VerifyOutcome = 'healthy' | 'rollout_failed' | 'rolled_back' | 'superseded' | 'timeout';

export interface VerifyResult {
  ok: boolean;
  outcome: VerifyOutcome;
  message: string;
  deploymentId: string | null;
  url: string;
  elapsedMs: number;
  deployment: DeploymentSummary | null;
  running: number;
  desired: number;
  targets: { healthy: number; total: number };
  probe: ProbeResult | null;
  diagnostics: FailureDiagnostics | null;
}

interface Poll {
  snapshot: ServiceSnapshot;
  mine: DeploymentSummary | undefined;
  healthyTargets: number;
  liveTargets: number;
  probe: ProbeResult | null;
}

/** Why a followed deployment can no longer succeed, or undefined while it still can. */
function terminalFailure(
  poll: Poll,
  tracked: string,
): { outcome: VerifyOutcome; message: string } | undefined {
  const primary = primaryDeployment(poll.snapshot);
  const rolledBack =
    primary && primary.id !== tracked && isCircuitBreakerRollback(primary.rolloutStateReason);
  if (poll.mine?.rolloutState === 'FAILED' || (!poll.mine && rolledBack)) {
    const reason = poll.mine?.rolloutStateReason ?? 'no reason given';
    if (rolledBack) {
      return {
        outcome: 'rolled_back',
        message:
          `Deployment ${tracked} failed (${reason}); the circuit breaker rolled the service back ` +
          `to revision ${primary.revision ?? '?'}: ${primary.rolloutStateReason}`,
      };
    }
    return { outcome: 'rollout_failed', message: `Deployment ${tracked} FAILED: ${reason}` };
  }
  if (!poll.mine) {
    return {
      outcome: 'superseded',
      message: `Deployment ${tracked} was replaced by ${primary?.id ?? 'another deployment'} before it completed.`,
    };
  }
  return undefined;
}

function progressLine(poll: Poll): string {
  const rollout = poll.mine?.rolloutState ?? 'UNKNOWN';
  const parts = [
    `rollout ${rollout}`,
    `tasks ${poll.snapshot.running}/${poll.snapshot.desired} running`,
    `targets ${poll.healthyTargets}/${poll.liveTargets} healthy`,
  ];
  if (poll.snapshot.deployments.length > 1)
    parts.push(`${poll.snapshot.deployments.length} deployments`);
  if (poll.probe) parts.push(`/health ${poll.probe.ok ? 'ok' : poll.probe.problems.join(', ')}`);
  return parts.join(' · ');
}

/**
 * Waits until the followed deployment is COMPLETED and alone, running = desired, every live
 * target is healthy, and `/health` through the load balancer is 200 with a contract-valid body.
 * Fails fast when the rollout FAILED or the circuit breaker rolled it back; on any failure the
 * stopped tasks, "unable to" events and log tails are gathered for the report.
 */
export async function verifyDeployment(
  aws: AwsClients,
  names: ResourceNames,
  runtime: Runtime,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { clock, io, signal } = runtime;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const url = options.url ?? (await loadBalancerUrl(aws.elb, names));
  let tracked = options.deploymentId;
  const progress = io.progress(`Verifying ${names.service} in ${names.cluster}...`);

  for (;;) {
    const snapshot = await readServiceSnapshot(aws, names, { events: 20, images: true });
    const firstPoll = tracked === undefined;
    tracked ??= primaryDeployment(snapshot)?.id ?? '(none)';
    const live = liveTargets(snapshot.targets);
    const poll: Poll = {
      snapshot,
      mine: snapshot.deployments.find((d) => d.id === tracked),
      healthyTargets: live.filter((t) => t.state === 'healthy').length,
      liveTargets: live.length,
      probe: null,
    };
    const result = (
      ok: boolean,
      outcome: VerifyOutcome,
      message: string,
      diagnostics: FailureDiagnostics | null,
    ) => ({
      ok,
      outcome,
      message,
      deploymentId: tracked ?? null,
      url,
      elapsedMs: clock.now() - started,
      deployment: poll.mine ?? null,
      running: snapshot.running,
      desired: snapshot.desired,
      targets: { healthy: poll.healthyTargets, total: poll.liveTargets },
      probe: poll.probe,
      diagnostics,
    });

    // Started after the circuit breaker already replaced the deploy: the deploy did not work.
    const failure =
      firstPoll && isCircuitBreakerRollback(poll.mine?.rolloutStateReason)
        ? {
            outcome: 'rolled_back' as const,
            message: `The newest deployment ${tracked} is a circuit-breaker rollback: ${poll.mine?.rolloutStateReason}`,
          }
        : terminalFailure(poll, tracked);
    if (failure) {
      progress.fail(failure.message);
      const diagnostics = await diagnoseFailure(aws, names, snapshot.events);
      return result(false, failure.outcome, failure.message, diagnostics);
    }

    // Running = desired for the followed PRIMARY deployment itself, and for the service: the
    // service's counts alone also count tasks of a deployment on its way out.
    const steady =
      poll.mine?.status === 'PRIMARY' &&
      (poll.mine.rolloutState ?? 'COMPLETED') === 'COMPLETED' &&
      snapshot.deployments.length === 1 &&
      poll.mine.desired > 0 &&
      poll.mine.running === poll.mine.desired &&
      snapshot.running === snapshot.desired;
    const targetsOk =
      snapshot.targetGroups.length === 0 ||
      (poll.healthyTargets === poll.liveTargets && poll.healthyTargets >= snapshot.desired);
    // /health is only meaningful once old tasks are gone: before that they answer it.
    if (steady && targetsOk) poll.probe = await probeHealth(url, options.probeTimeoutMs);
    progress.update(progressLine(poll));
    if (steady && targetsOk && poll.probe?.ok) {
      const message = `Deployment ${tracked} is healthy: revision ${poll.mine?.revision ?? '?'}, ${snapshot.running}/${snapshot.desired} tasks, ${poll.healthyTargets} healthy targets, /health ok in ${poll.probe.latencyMs} ms.`;
      progress.succeed(message);
      return result(true, 'healthy', message, null);
    }

    if (signal.aborted) {
      progress.fail('Interrupted.');
      throw new OpsError('INTERRUPTED', 'Interrupted while verifying; the deployment continues.');
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const message = `Timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for deployment ${tracked}: ${progressLine(poll)}.`;
      progress.fail(message);
      const diagnostics = await diagnoseFailure(aws, names, snapshot.events);
      return result(false, 'timeout', message, diagnostics);
    }
    await clock.sleep(Math.min(options.intervalMs, remaining), signal);
  }
}
