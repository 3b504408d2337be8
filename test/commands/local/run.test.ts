import { describe, expect, it } from 'vitest';
import { renderLocalBanner } from '../../../src/commands/local/run.js';

describe('renderLocalBanner', () => {
  it('says next to the endpoint that DynamoDB Local is open to the network, and what to do about it', () => {
    const banner = renderLocalBanner({ endpoint: 'http://localhost:8000', dbPath: undefined, recentOutput: () => 'Version: 3.3.0' });
    const lines = banner.split('\n');
    expect(lines[0]).toBe('DynamoDB Local 3.3.0 is running at http://localhost:8000 (in memory: data is gone when it stops).');
    expect(lines[1]).toBe('It listens on every network interface and takes any credentials: on a shared network, firewall port 8000.');
  });
});
