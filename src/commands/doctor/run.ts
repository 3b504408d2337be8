import { createRequire } from 'node:module';
import type { CommandContext } from '../../io/command-context.js';
import { RuntimeError } from '../../util/errors.js';
import { doctorPassed, runDoctor } from '../../doctor/run-doctor.js';
import { renderJson, renderReport } from '../../doctor/report.js';
import type { DoctorOptions } from './options.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

export async function runDoctorCommand(stream: string | undefined, options: DoctorOptions, context: CommandContext): Promise<void> {
  const { json, ...aws } = options;
  const results = await runDoctor({
    options: aws,
    env: context.env,
    ...(stream !== undefined ? { stream } : {}),
    nodeVersion: process.versions.node,
    ddbstreamVersion: version,
    now: new Date(),
  });
  const passed = doctorPassed(results);
  const text = json ? renderJson(results, passed) : renderReport(results, Boolean(context.stdout.isTTY)).join('\n');
  context.stdout.write(text + '\n');
  if (!passed) {
    const failed = results.filter((result) => result.required && result.status === 'fail').map((result) => result.name);
    throw new RuntimeError(`reading a stream would fail here: fix ${failed.join(', ')} as said above, then run doctor again.`);
  }
}
