import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const COMMANDS = ['streams', 'shards', 'tail', 'export', 'replay', 'demo', 'local'];

/** The codes in the README's "Exit codes" table: `| 0 |`, `| 130 / 143 |`. */
function readmeExitCodes(): string[] {
  const section = README.slice(README.indexOf('## Exit codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
  return [...table.matchAll(/^\| ([\d /]+) \|/gm)].flatMap((m) => m[1]!.split('/').map((code) => code.trim()));
}

describe('--help agrees with the README', () => {
  it('lists every exit code the README lists', async () => {
    const codes = readmeExitCodes();
    expect(codes).toEqual(['0', '1', '2', '130', '143']);
    const { stdout } = await runCli(['--help']);
    const line = /^Exit codes: (.*)$/m.exec(stdout)?.[1] ?? '';
    for (const code of codes) expect(line).toMatch(new RegExp(`\\b${code} `));
  });

  it('shows the global options in every command\'s help, and the AWS options only where the README says', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => runCli([command, '--help'])));
    for (const [i, help] of helps.entries()) {
      const command = COMMANDS[i]!;
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(/Global Options:[\s\S]*--debug[\s\S]*--no-color/);
      const takesAws = !['demo', 'local'].includes(command);
      expect(help.stdout.includes('--endpoint-url'), command).toBe(takesAws);
      expect(help.stdout.includes('--profile'), command).toBe(takesAws);
    }
    expect(README).toContain('`streams`, `shards`, `tail`, `export` and `replay` take:');
    expect(README).toContain('`demo` and `local` start their own DynamoDB Local and take none of these.');
  });

  it('shows demo\'s default interval without quotes', async () => {
    const { stdout } = await runCli(['demo', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain('(default: 700)');
    expect(stdout).not.toContain('"700"');
  });
});
