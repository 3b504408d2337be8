import { UsageError } from '../util/errors.js';

/** `localhost:8000`, `127.0.0.1:8000`, `[::1]:8000`: a host and a port, nothing else. */
const HOST_PORT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

/**
 * An endpoint as the SDK needs it: an http(s) URL. A bare `host:port` is taken as
 * `http://host:port` (the usual way to name DynamoDB Local); anything else that is not an
 * http(s) URL with a host is a usage error. Never guessed: `new URL('localhost:8000')` parses,
 * as a URL of scheme "localhost:", and would send the requests somewhere else entirely.
 *
 * @param source how the user gave it, for the message: `--endpoint-url` or an environment variable
 */
export function normalizeEndpointUrl(value: string, source: string): string {
  const text = value.trim();
  if (HOST_PORT.test(text)) return `http://${text}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || !/^https?:\/\/[^/]/i.test(text)) {
    throw new UsageError(
      `${source} "${value}" is not an endpoint URL: use http://HOST:PORT or https://HOST (e.g. http://localhost:8000; a bare HOST:PORT means http://HOST:PORT).`,
    );
  }
  return text;
}
