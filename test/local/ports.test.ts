import { createServer } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { findFreePort, isPortFree, isPortNumber, parsePort } from '../../src/local/ports.js';

describe('parsePort', () => {
  it.each([
    ['0', 0],
    ['8000', 8000],
    ['65535', 65535],
    ['08000', 8000],
  ])('takes %s as port %i', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each(['65536', '80a', '', ' 80', '8e3', '0x1F90', '-1', '80.0', '+80'])('refuses "%s" as a usage error of the option', (text) => {
    expect(() => parsePort(text)).toThrow(InvalidArgumentError);
    expect(() => parsePort(text)).toThrow('expected a port number from 0 to 65535 (0 picks a free port).');
  });
});

describe('isPortNumber', () => {
  it('accepts whole numbers from 0 to 65535 only', () => {
    expect([0, 1, 8000, 65535].map(isPortNumber)).toEqual([true, true, true, true]);
    expect([-1, 65536, 80.5, Number.NaN, Number.POSITIVE_INFINITY].map(isPortNumber)).toEqual([false, false, false, false, false]);
  });
});

describe('free ports', () => {
  it('finds a port nothing listens on, and tells a taken port from a free one', async () => {
    const port = await findFreePort();
    expect(isPortNumber(port) && port > 0).toBe(true);
    expect(await isPortFree(port)).toBe(true);

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
