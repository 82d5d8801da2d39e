import { CliError } from '@prod-e/cli-kit';
import { API_START_COMMAND } from '@prod-e/api-config';
import { API_PORT, containerHealthCheck } from '@prod-e/health-contract';
import { DockerfileParser, type ImageTemplate } from 'dockerfile-ast';

/** Runtime-stage instructions whose values come from the shared libraries, never typed by hand. */
export const CONTRACT_KEYWORDS = ['EXPOSE', 'HEALTHCHECK', 'CMD'] as const;
export type ContractKeyword = (typeof CONTRACT_KEYWORDS)[number];

/**
 * The contract lines of the runtime stage:
 * - EXPOSE: API_PORT;
 * - HEALTHCHECK: the ECS task definition's probe (`containerHealthCheck()`, default wiring), as a
 *   shell-form command, which Docker runs with `/bin/sh -c` exactly as ECS runs `CMD-SHELL`;
 * - CMD: API_START_COMMAND in exec form, so Node is the process that receives SIGTERM.
 */
export function contractInstructions(): Record<ContractKeyword, string> {
  const check = containerHealthCheck();
  const flags = [
    `--interval=${check.interval}s`,
    `--timeout=${check.timeout}s`,
    `--start-period=${check.startPeriod}s`,
    `--retries=${check.retries}`,
  ];
  return {
    EXPOSE: `EXPOSE ${API_PORT}`,
    HEALTHCHECK: `HEALTHCHECK ${flags.join(' ')} CMD ${check.command[1]}`,
    CMD: `CMD ${JSON.stringify(API_START_COMMAND)}`,
  };
}

/** The last stage (the image that ships). */
export function runtimeStage(dockerfileText: string): ImageTemplate {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const last = dockerfile.getFROMs().at(-1);
  const stage = last && dockerfile.getContainingImage(last.getRange().start);
  if (!stage) throw new CliError('The Dockerfile has no FROM instruction.');
  return stage;
}

/**
 * Rewrites the contract lines of the runtime stage from the shared libraries and returns the new
 * text (unchanged when already in sync). Each keyword must appear exactly once in that stage: the
 * generator replaces lines, it does not decide where they go.
 */
export function syncDockerfile(dockerfileText: string): string {
  const stage = runtimeStage(dockerfileText);
  const rendered = contractInstructions();
  const lines = dockerfileText.split('\n');
  const replacements = CONTRACT_KEYWORDS.map((keyword) => {
    const found = stage.getInstructions().filter((i) => i.getKeyword() === keyword);
    if (found.length !== 1) {
      throw new CliError(
        `The Dockerfile's runtime stage needs exactly one ${keyword} instruction (found ${found.length}); ` +
          'add a placeholder line and run the sync again.',
      );
    }
    const range = found[0].getRange();
    return { start: range.start.line, end: range.end.line, text: rendered[keyword] };
  });
  // Bottom-up, so earlier line numbers stay valid while later instructions change length.
  for (const { start, end, text } of replacements.sort((a, b) => b.start - a.start)) {
    lines.splice(start, end - start + 1, text);
  }
  return lines.join('\n');
}
