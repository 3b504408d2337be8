/**
 * Credentials must never reach the terminal, --debug included. These patterns cover AWS access
 * key ids, secret keys and session tokens in key=value or JSON form, and signed request headers.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1****************'],
  [/((?:aws_?)?secret_?access_?key|secretAccessKey|SecretAccessKey)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2****'],
  [/((?:aws_?)?session_?token|sessionToken|SessionToken|x-amz-security-token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2****'],
  [/(authorization|Authorization)(["']?\s*[:=]\s*["']?)[^"'\n}]+/g, '$1$2****'],
  [/(Signature=)[0-9a-f]+/gi, '$1****'],
];

// Shorter values (DynamoDB Local's `x` or `local`) are no secret, and blanking them would
// blank those letters everywhere.
const MIN_KNOWN_LENGTH = 8;

/** The credential values this process was given in its environment. */
export function credentialValues(env: NodeJS.ProcessEnv): string[] {
  return [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.AWS_SECURITY_TOKEN]
    .filter((value): value is string => typeof value === 'string' && value.length >= MIN_KNOWN_LENGTH);
}

/**
 * Blanks credentials in `text`: by pattern, and every `known` value wherever it appears, even
 * with nothing naming it (a server quoting a token back in its error message).
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let result = text;
  for (const value of known) if (value.length >= MIN_KNOWN_LENGTH) result = result.split(value).join('****');
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
