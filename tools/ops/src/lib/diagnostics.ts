import { type ResourceNames } from '@prod-e/deployment';

import { type Task } from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { type ProbeResult } from './health-probe';
import { readTaskStream } from './log-events';
import { renderLogLine } from './log-format';
import {
  type DeploymentSummary,
  listServiceTasks,
  type ServiceEvent,
  type TargetSummary,
  taskIdOf,
  tasksOfDeployment,
} from './service-state';
import { nextCommand, type SymptomInput } from './symptoms';
import { parseTaskDefinitionRef } from './task-definitions';

/** Stopped tasks that failed the same way, shown once with a count and the newest one's log. */
export interface StoppedGroup {
  count: number;
  stopCode: string | null;
  stoppedReason: string | null;
  containers: { name: string; exitCode: number | null; reason: string | null }[];
  /** Task ids, newest first. */
  taskIds: string[];
  revision: number | null;
  lastStoppedAt: string | null;
  /** Last lines of the newest task's container log, rendered. */
  logTail: string[];
  /** The log stream does not exist: the container never started (image pull, secrets, ENI). */
  logMissing: boolean;
}

export interface FailureDiagnostics {
  deploymentId: string | null;
  /** The failing deployment's stopped tasks, grouped by how they stopped, largest group first. */
  stoppedGroups: StoppedGroup[];
  /** Stopped tasks of other deployments since this one started (scale-in, the old revision). */
  otherStopped: number;
  /** The deployment's targets that are not healthy, with ELB's reason and description. */
  unhealthyTargets: TargetSummary[];
  /** The latest service events, newest first. */
  events: ServiceEvent[];
  /** The last `/health` answer, when it was asked. */
  health: ProbeResult | null;
  /** One command to run next, from the symptom table docs/ops.md renders. */
  next: { symptom: string; command: string };
}

export const DIAGNOSTIC_LOG_LINES = 20;
export const DIAGNOSTIC_EVENTS = 5;

export interface DiagnosisInput {
  environment: string;
  deployment: DeploymentSummary | undefined;
  events: readonly ServiceEvent[];
  targets: readonly TargetSummary[];
  health: ProbeResult | null;
  now: number;
}

/** Tasks that stopped the same way share a key: stop code, reason, each container's exit. */
function groupKey(task: Task): string {
  const containers = (task.containers ?? []).map((c) => `${c.name}=${c.exitCode}:${c.reason}`);
  return [task.stopCode, task.stoppedReason, ...containers].join('|');
}

const stoppedAt = (task: Task) => task.stoppedAt?.getTime() ?? 0;

function groupStopped(tasks: readonly Task[]): Task[][] {
  const groups = new Map<string, Task[]>();
  for (const task of [...tasks].sort((a, b) => stoppedAt(b) - stoppedAt(a))) {
    const key = groupKey(task);
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

async function describeGroup(
  aws: AwsClients,
  names: ResourceNames,
  tasks: Task[],
): Promise<StoppedGroup> {
  const newest = tasks[0];
  const id = taskIdOf(newest.taskArn ?? '');
  const log = await readTaskStream(aws.logs, names, id, {
    tail: true,
    limit: DIAGNOSTIC_LOG_LINES,
  });
  return {
    count: tasks.length,
    stopCode: newest.stopCode ?? null,
    stoppedReason: newest.stoppedReason ?? null,
    containers: (newest.containers ?? []).map((c) => ({
      name: c.name ?? '(unnamed)',
      exitCode: c.exitCode ?? null,
      reason: c.reason ?? null,
    })),
    taskIds: tasks.map((t) => taskIdOf(t.taskArn ?? '')),
    revision: parseTaskDefinitionRef(newest.taskDefinitionArn ?? '')?.revision ?? null,
    lastStoppedAt: newest.stoppedAt?.toISOString() ?? null,
    logTail: log.lines.map((line) => renderLogLine(line)),
    logMissing: log.missing,
  };
}

/** `--since` for a task's whole log: from its start (or creation) to now, in whole minutes. */
function sinceFor(task: Task, now: number): string {
  const from = (task.startedAt ?? task.createdAt ?? task.stoppedAt)?.getTime() ?? now;
  return `${Math.max(1, Math.ceil((now - from) / 60_000) + 1)}m`;
}

/**
 * What went wrong, gathered the way an on-call engineer would by hand: the failing deployment's
 * stopped tasks grouped by how they stopped (other deployments' scale-in is only counted), the
 * deployment's unhealthy targets with ELB's reasons, the last service events, the `/health`
 * answer, and the next command from the symptom table.
 */
export async function diagnoseFailure(
  aws: AwsClients,
  names: ResourceNames,
  input: DiagnosisInput,
): Promise<FailureDiagnostics> {
  const stopped = await listServiceTasks(aws.ecs, names, 'STOPPED');
  const mine = input.deployment ? tasksOfDeployment(stopped, input.deployment) : [];
  const since = Date.parse(input.deployment?.createdAt ?? '') || 0;
  const others = stopped.filter((t) => !mine.includes(t) && stoppedAt(t) >= since);
  const groups = await Promise.all(groupStopped(mine).map((g) => describeGroup(aws, names, g)));
  const unhealthyTargets = input.targets.filter((t) => t.state !== 'healthy');
  const newest = [...mine].sort((a, b) => stoppedAt(b) - stoppedAt(a))[0];
  const symptoms: SymptomInput = {
    environment: names.environment,
    stopReasons: mine.flatMap((t) => [
      `${t.stopCode ?? ''}: ${t.stoppedReason ?? ''}`,
      ...(t.containers ?? []).map((c) => c.reason ?? ''),
    ]),
    exitCodes: mine.flatMap((t) =>
      (t.containers ?? []).flatMap((c) => (c.exitCode ? [c.exitCode] : [])),
    ),
    targetReasons: unhealthyTargets.flatMap((t) => (t.reason ? [t.reason] : [])),
    health: input.health && { status: input.health.status, database: input.health.database },
    task: newest
      ? { id: taskIdOf(newest.taskArn ?? ''), since: sinceFor(newest, input.now) }
      : null,
    taskDefinition: taskDefinitionOf(input.deployment),
  };
  return {
    deploymentId: input.deployment?.id ?? null,
    stoppedGroups: groups,
    otherStopped: others.length,
    unhealthyTargets,
    events: input.events.slice(0, DIAGNOSTIC_EVENTS),
    health: input.health,
    next: nextCommand(symptoms),
  };
}

function taskDefinitionOf(deployment: DeploymentSummary | undefined): string | null {
  const ref = parseTaskDefinitionRef(deployment?.taskDefinition ?? '');
  return ref ? `${ref.family}:${ref.revision}` : null;
}

function renderGroup(group: StoppedGroup): string[] {
  const ids = group.taskIds.slice(0, 3).join(', ') + (group.count > 3 ? ', …' : '');
  const lines = [
    `${group.count}× stopped (revision ${group.revision ?? '?'}, last ${group.lastStoppedAt ?? 'time unknown'}; ${ids}):`,
    `  ${group.stopCode ?? 'no stop code'}: ${group.stoppedReason ?? 'no reason given'}`,
  ];
  for (const c of group.containers) {
    lines.push(
      `  container ${c.name}: exit code ${c.exitCode ?? 'none'}${c.reason ? `, ${c.reason}` : ''}`,
    );
  }
  if (group.logMissing) lines.push('  no log stream: the container never started');
  else if (!group.logTail.length) lines.push('  log stream is empty');
  else
    lines.push(`  last log lines of ${group.taskIds[0]}:`, ...group.logTail.map((l) => `    ${l}`));
  return lines;
}

/** The diagnostics as text for people. */
export function renderDiagnostics(d: FailureDiagnostics): string[] {
  const lines: string[] = [];
  const scope = d.deploymentId ? `of deployment ${d.deploymentId}` : 'of the service';
  if (!d.stoppedGroups.length) lines.push(`No stopped tasks ${scope}.`);
  else lines.push(`Stopped tasks ${scope}:`);
  for (const group of d.stoppedGroups) lines.push(...renderGroup(group).map((l) => `  ${l}`));
  if (d.otherStopped) {
    lines.push(`  (${d.otherStopped} task(s) of other deployments stopped meanwhile, not shown)`);
  }
  if (d.unhealthyTargets.length) {
    lines.push('Targets not healthy:');
    for (const t of d.unhealthyTargets) {
      const why = t.reason ? `: ${t.reason}${t.description ? `: ${t.description}` : ''}` : '';
      lines.push(`  ${t.id}:${t.port ?? '?'} ${t.state}${why}`);
    }
  }
  if (d.health) {
    const status = d.health.status ?? 'no answer';
    const body = typeof d.health.body === 'string' ? d.health.body : JSON.stringify(d.health.body);
    lines.push(`GET ${d.health.url}: ${status}${body && body !== 'null' ? ` ${body}` : ''}`);
  }
  if (d.events.length) {
    lines.push('Latest service events:');
    for (const e of d.events) lines.push(`  ${e.at ?? ''} ${e.message}`);
  }
  lines.push(`Next: ${d.next.command}    (${d.next.symptom})`);
  return lines;
}
