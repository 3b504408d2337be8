import { describe, expect, it } from 'vitest';
import { credentialValues, redactSecrets } from '../../src/util/redact.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample';

describe('redactSecrets', () => {
  it.each([
    [`aws_access_key_id = ${KEY}`, KEY],
    [`aws_secret_access_key=${SECRET}`, SECRET],
    [`{"secretAccessKey":"${SECRET}","accessKeyId":"${KEY}"}`, SECRET],
    [`{"sessionToken":"${TOKEN}"}`, TOKEN],
    [`x-amz-security-token: ${TOKEN}`, TOKEN],
    [`authorization: AWS4-HMAC-SHA256 Credential=${KEY}/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abcdef0123456789`, 'abcdef0123456789'],
    [`https://x/?X-Amz-Signature=deadbeef00&X-Amz-Credential=${KEY}`, KEY],
  ])('hides the secret in %s', (text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('****');
  });

  it('blanks known credential values wherever they appear, named or not', () => {
    const known = credentialValues({ AWS_ACCESS_KEY_ID: 'my-key-id-1', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN });
    const out = redactSecrets(`token ${TOKEN} of my-key-id-1 (secret ${SECRET}) is invalid`, known);
    expect(out).toBe('token **** of **** (secret ****) is invalid');
  });

  it('ignores known values too short to be secrets (DynamoDB Local\'s "x")', () => {
    expect(credentialValues({ AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'local' })).toEqual([]);
    expect(redactSecrets('next index', ['x'])).toBe('next index');
  });

  it('leaves ordinary text alone', () => {
    const text = 'table "Users" not found at http://localhost:8000';
    expect(redactSecrets(text)).toBe(text);
  });
});
