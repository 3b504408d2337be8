import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/doctor/check.js';
import { renderJson, renderReport } from '../../src/doctor/report.js';

const RESULTS: CheckResult[] = [
  { name: 'node', status: 'ok', detail: 'Node.js 22.12.0, ddbstream 0.1.0', required: true },
  { name: 'region', status: 'fail', detail: 'no region', advice: 'pass --region', required: true },
  { name: 'list-streams', status: 'skip', detail: 'not tried', required: true },
  { name: 'local-database', status: 'note', detail: 'no streams', advice: 'use -sharedDb', required: false },
];

describe('the doctor report', () => {
  it('marks each check on a terminal, with what to do after an arrow', () => {
    expect(renderReport(RESULTS, true)).toEqual([
      '✔ node: Node.js 22.12.0, ddbstream 0.1.0',
      '✖ region: no region → pass --region',
      '- list-streams: not tried',
      '! local-database: no streams → use -sharedDb',
    ]);
  });

  it('uses words in a pipe', () => {
    expect(renderReport(RESULTS, false).map((line) => line.split(':')[0])).toEqual(['ok   node', 'FAIL region', 'skip list-streams', 'note local-database']);
  });

  it('is one JSON object with the verdict and every check', () => {
    expect(JSON.parse(renderJson(RESULTS, false))).toEqual({ ok: false, checks: RESULTS });
  });
});
