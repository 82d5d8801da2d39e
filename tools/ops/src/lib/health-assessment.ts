import { type AlarmSummary } from './alarms';
import {
  isCircuitBreakerRollback,
  liveTargets,
  primaryDeployment,
  type ServiceSnapshot,
  type TaskSummary,
} from './service-state';

export interface Assessment {
  healthy: boolean;
  /** Each reason the service is not healthy right now. */
  problems: string[];
  /** Worth a look, but not unhealthy (a past rollback, tasks still starting). */
  warnings: string[];
}

/** Judges a snapshot the way `verify` does, without waiting: any problem means degraded. */
export function assessService(
  snapshot: ServiceSnapshot,
  tasks: readonly TaskSummary[],
  alarms: readonly AlarmSummary[],
  /** False when target health could not be read: then no target count is held against it. */
  targetsKnown = true,
): Assessment {
  const problems: string[] = [];
  const warnings: string[] = [];
  const primary = primaryDeployment(snapshot);

  if (snapshot.serviceStatus !== 'ACTIVE')
    problems.push(`service status is ${snapshot.serviceStatus}`);
  if (snapshot.desired === 0) problems.push('desired count is 0');
  if (snapshot.running < snapshot.desired) {
    problems.push(`${snapshot.running}/${snapshot.desired} tasks running`);
  } else if (primary && primary.running < primary.desired) {
    // The service's count includes tasks of an older deployment still serving.
    problems.push(
      `${primary.running}/${primary.desired} tasks of the PRIMARY deployment ${primary.id} running`,
    );
  }
  for (const d of snapshot.deployments) {
    if (d.rolloutState === 'FAILED') {
      problems.push(
        `deployment ${d.id} rollout FAILED: ${d.rolloutStateReason ?? 'no reason given'}`,
      );
    }
  }
  if (primary && primary.rolloutState === 'IN_PROGRESS') {
    problems.push(
      `deployment ${primary.id} is still rolling out (revision ${primary.revision ?? '?'})`,
    );
  }
  if (primary && isCircuitBreakerRollback(primary.rolloutStateReason)) {
    warnings.push(`the circuit breaker rolled back a deployment: ${primary.rolloutStateReason}`);
  }
  if (primary && primary.failedTasks > 0) {
    warnings.push(
      `${primary.failedTasks} task(s) of deployment ${primary.id} failed to start or stay healthy`,
    );
  }

  for (const task of tasks) {
    if (task.healthStatus === 'UNHEALTHY') problems.push(`task ${task.id} is UNHEALTHY`);
    else if (task.healthStatus === 'UNKNOWN' && task.lastStatus === 'RUNNING') {
      warnings.push(`task ${task.id} health is UNKNOWN (still in its start period?)`);
    }
  }

  const live = liveTargets(snapshot.targets);
  for (const target of live) {
    if (target.state !== 'healthy') {
      problems.push(
        `target ${target.id}:${target.port ?? '?'} is ${target.state}` +
          (target.reason ? ` (${target.reason}: ${target.description ?? ''})` : ''),
      );
    }
  }
  const healthy = live.filter((t) => t.state === 'healthy').length;
  if (targetsKnown && snapshot.targetGroups.length && healthy < snapshot.desired) {
    problems.push(`${healthy} healthy target(s) for ${snapshot.desired} desired task(s)`);
  }

  for (const alarm of alarms) {
    if (alarm.state === 'ALARM')
      problems.push(`alarm ${alarm.name} is in ALARM: ${alarm.reason ?? ''}`.trim());
  }
  return { healthy: problems.length === 0, problems, warnings };
}
