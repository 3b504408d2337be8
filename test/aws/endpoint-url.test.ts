import { describe, expect, it } from 'vitest';
import { normalizeEndpointUrl } from '../../src/aws/endpoint-url.js';
import { UsageError } from '../../src/util/errors.js';

describe('normalizeEndpointUrl', () => {
  it('keeps http and https URLs as they are', () => {
    expect(normalizeEndpointUrl('http://localhost:8000', '--endpoint-url')).toBe('http://localhost:8000');
    expect(normalizeEndpointUrl('https://streams.dynamodb.eu-west-1.amazonaws.com', '--endpoint-url'))
      .toBe('https://streams.dynamodb.eu-west-1.amazonaws.com');
    expect(normalizeEndpointUrl('http://[::1]:8000/', '--endpoint-url')).toBe('http://[::1]:8000/');
  });

  it('reads a bare host:port as http://host:port', () => {
    expect(normalizeEndpointUrl('localhost:8000', '--endpoint-url')).toBe('http://localhost:8000');
    expect(normalizeEndpointUrl('127.0.0.1:8000', '--endpoint-url')).toBe('http://127.0.0.1:8000');
    expect(normalizeEndpointUrl('dynamodb-local:8000', '--endpoint-url')).toBe('http://dynamodb-local:8000');
    expect(normalizeEndpointUrl('[::1]:8000', '--endpoint-url')).toBe('http://[::1]:8000');
  });

  it.each(['http//host:1', 'localhost', 'ftp://host:21', 'http:/host:1', 'http:host:1', ' ', 'host:port'])(
    'refuses %j as a usage error naming where it came from and the accepted form', (value) => {
      const attempt = (): string => normalizeEndpointUrl(value, 'AWS_ENDPOINT_URL');
      expect(attempt).toThrow(UsageError);
      expect(attempt).toThrow(`AWS_ENDPOINT_URL "${value}" is not an endpoint URL: use http://HOST:PORT or https://HOST`);
    },
  );
});
