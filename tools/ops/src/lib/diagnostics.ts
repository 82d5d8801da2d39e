import { type ResourceNames } from '@prod-e/config';

import { type Task } from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { readTaskStream } from './log-events';
import { renderLogLine } from './log-format';
import { listServiceTasks, type ServiceEvent, taskIdOf } from './service-state';
import { parseTaskDefinitionRef } from './task-definitions';

export interface StoppedTaskReport {
  id: string;
  revision: number | null;
  stoppedAt: string | null;
  stopCode: string | null;
  stoppedReason: string | null;
  containers: { name: string; exitCode: number | null; reason: string | null }[];
  /** Last lines of the task's container log, rendered. */
  logTail: string[];
  /** The log stream does not exist: the container never started (image pull, secrets, ENI). */
  logMissing: boolean;
}

export interface FailureDiagnostics {
  stoppedTasks: StoppedTaskReport[];
  /** Service events saying ECS was "unable to" do something (place, pull, register). */
  unableEvents: ServiceEvent[];
}

export const DIAGNOSTIC_TASKS = 3;
export const DIAGNOSTIC_LOG_LINES = 20;

/**
 * What went wrong, gathered the way an on-call engineer would by hand: the most recently stopped
 * tasks with their stop reasons and container exit codes, the service's "unable to" events, and
 * the tail of each stopped task's log.
 */
export async function diagnoseFailure(
  aws: AwsClients,
  names: ResourceNames,
  events: readonly ServiceEvent[],
  options: { tasks?: number; logLines?: number } = {},
): Promise<FailureDiagnostics> {
  const stopped = (await listServiceTasks(aws.ecs, names, 'STOPPED'))
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, options.tasks ?? DIAGNOSTIC_TASKS);
  const stoppedTasks = await Promise.all(
    stopped.map((task) =>
      reportStoppedTask(aws, names, task, options.logLines ?? DIAGNOSTIC_LOG_LINES),
    ),
  );
  return {
    stoppedTasks,
    unableEvents: events.filter((e) => /unable to/i.test(e.message)),
  };
}

async function reportStoppedTask(
  aws: AwsClients,
  names: ResourceNames,
  task: Task,
  logLines: number,
): Promise<StoppedTaskReport> {
  const id = taskIdOf(task.taskArn ?? '');
  const log = await readTaskStream(aws.logs, names, id, { tail: true, limit: logLines });
  return {
    id,
    revision: parseTaskDefinitionRef(task.taskDefinitionArn ?? '')?.revision ?? null,
    stoppedAt: task.stoppedAt?.toISOString() ?? null,
    stopCode: task.stopCode ?? null,
    stoppedReason: task.stoppedReason ?? null,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '(unnamed)',
      exitCode: c.exitCode ?? null,
      reason: c.reason ?? null,
    })),
    logTail: log.lines.map(renderLogLine),
    logMissing: log.missing,
  };
}

/** The diagnostics as text for people. */
export function renderDiagnostics(diagnostics: FailureDiagnostics): string[] {
  const lines: string[] = [];
  if (diagnostics.unableEvents.length) {
    lines.push('Service events:');
    for (const e of diagnostics.unableEvents) lines.push(`  ${e.at ?? ''} ${e.message}`);
  }
  if (!diagnostics.stoppedTasks.length) lines.push('No stopped tasks recorded for the service.');
  for (const task of diagnostics.stoppedTasks) {
    lines.push(
      `Stopped task ${task.id} (revision ${task.revision ?? '?'}, ${task.stoppedAt ?? 'time unknown'}):`,
      `  ${task.stopCode ?? 'no stop code'}: ${task.stoppedReason ?? 'no reason given'}`,
    );
    for (const c of task.containers) {
      lines.push(
        `  container ${c.name}: exit code ${c.exitCode ?? 'none'}${c.reason ? `, ${c.reason}` : ''}`,
      );
    }
    if (task.logMissing) lines.push('  no log stream: the container never started');
    else if (!task.logTail.length) lines.push('  log stream is empty');
    else lines.push('  last log lines:', ...task.logTail.map((l) => `    ${l}`));
  }
  return lines;
}
