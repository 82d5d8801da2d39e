/**
 * `nx run bench:profile-summary -- <file.cpuprofile>…`: the heaviest functions and packages
 * (self time) of CPU profiles that `nx run bench:run -- --cpu-prof` wrote.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { type CpuProfile, type FrameCost, summarizeProfile } from './lib/cpu-profile';

const line = (cost: FrameCost) =>
  `  ${cost.percent.toFixed(1).padStart(5)} %  ${cost.selfMs.toFixed(0).padStart(7)} ms  ${cost.name}`;

async function main(files: string[]): Promise<void> {
  if (files.length === 0)
    throw new Error('usage: nx run bench:profile-summary -- <file.cpuprofile>…');
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile, 25);
    console.log(
      `\n${basename(file)}: ${(summary.totalMs / 1000).toFixed(1)} s busy, ` +
        `${(summary.idleMs / 1000).toFixed(1)} s idle (percentages are of busy time)`,
    );
    console.log(' by package (self time):');
    summary.packages.slice(0, 12).forEach((cost) => console.log(line(cost)));
    console.log(' by function (self time):');
    summary.functions.forEach((cost) => console.log(line(cost)));
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
