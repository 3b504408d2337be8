import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSupportedNode, supportedNodeRange, unsupportedNodeMessage } from '../../src/util/node-support.js';

describe('the supported Node.js versions', () => {
  it('accepts the tested majors and every one from 24 on', () => {
    for (const version of ['20.0.0', '20.20.2', 'v22.12.0', '24.0.0', '25.1.0', '26.3.1']) {
      expect(isSupportedNode(version), version).toBe(true);
    }
  });

  it('refuses older and odd, untested majors', () => {
    for (const version of ['18.20.4', '19.9.0', '21.7.3', '23.11.0', 'v16.0.0', 'not a version']) {
      expect(isSupportedNode(version), version).toBe(false);
    }
  });

  it('says in one line which versions it needs and which one it found', () => {
    const message = unsupportedNodeMessage('18.20.4');
    expect(message).toBe(
      'ddbstream needs Node.js 20, 22, or 24 and newer; this is Node.js 18.20.4. Install a supported version (https://nodejs.org) and run it again.',
    );
    expect(unsupportedNodeMessage('22.1.0')).toBeUndefined();
  });

  it('is what package.json tells npm', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(supportedNodeRange());
  });
});
