import { describe, expect, it } from 'vitest';
import { networkExposureNotice } from '../../src/local/exposure-notice.js';

describe('networkExposureNotice', () => {
  it('names the port the instance really got', () => {
    expect(networkExposureNotice('http://localhost:41234')).toMatch(/firewall port 41234\.$/);
  });
});
