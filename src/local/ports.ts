import { createServer } from 'node:net';
import { InvalidArgumentError } from 'commander';

const HIGHEST_PORT = 65_535;

/** A whole number from 0 to 65535; 0 asks for a free port. */
export function isPortNumber(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= HIGHEST_PORT;
}

/**
 * The `--port` value of `local` and `demo`, as commander's argument parser: commander reports a
 * bad value as a usage error that names the option. Digits only: `Number()` alone would also take
 * ` 80`, `8e3` or `0x1F90`, which no one means as a port.
 */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !isPortNumber(port)) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

/**
 * A port the OS says is free right now. Another process may take it before DynamoDB Local binds
 * it; the launcher retries with a new port when that happens.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    // No host: the same wildcard (IPv6 and IPv4) address DynamoDB Local's Jetty binds.
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('the OS gave no port'))));
    });
  });
}

/** False when something already listens on `port` (so probing it would talk to the wrong server). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    });
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
