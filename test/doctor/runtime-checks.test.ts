import { describe, expect, it } from 'vitest';
import { javaCheck, nodeCheck } from '../../src/doctor/runtime-checks.js';

describe('the runtime checks', () => {
  it('passes a supported Node and names both versions', () => {
    expect(nodeCheck('v24.1.0', '1.2.3')).toEqual({ name: 'node', status: 'ok', detail: 'Node.js 24.1.0, ddbstream 1.2.3', required: true });
  });

  it('fails an unsupported Node with the versions to install', () => {
    expect(nodeCheck('21.7.3', '1.2.3')).toMatchObject({ status: 'fail', advice: 'install Node.js 20, 22, or 24 and newer' });
  });

  it('finds the machine\'s Java, and reports a missing one without failing doctor', async () => {
    expect(await javaCheck(process.env)).toMatchObject({ status: 'ok', required: false });
    const missing = await javaCheck({ ...process.env, PATH: '/nonexistent' });
    expect(missing).toMatchObject({ status: 'fail', required: false });
    expect(missing.advice).toMatch(/no `java` was found on PATH/);
  });
});
