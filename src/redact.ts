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

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
