/**
 * Binary DynamoDB values (B, BS) travel as base64 text in JSON: Lambda events, `--raw` lines,
 * exports, and the text views. One encoder and one decoder keep every place agreeing on it.
 */

/** Standard base64 with padding, as DynamoDB and Lambda write it. */
export function bytesToBase64(bytes: Uint8Array): string {
  // A view over the same memory: no copy, and correct for a Uint8Array that is a slice of a
  // larger buffer (byteOffset > 0), which `Buffer.from(bytes.buffer)` alone would get wrong.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * The bytes of base64 text, as a plain Uint8Array of their own: the SDK's type for binary
 * values, not a Buffer that may share Node's pooled memory with unrelated data.
 */
export function base64ToBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
