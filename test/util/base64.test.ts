import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/util/base64.js';

describe('bytesToBase64', () => {
  it('writes standard padded base64', () => {
    expect(bytesToBase64(new Uint8Array([]))).toBe('');
    expect(bytesToBase64(new Uint8Array([0]))).toBe('AA==');
    expect(bytesToBase64(new Uint8Array([0, 1]))).toBe('AAE=');
    expect(bytesToBase64(new Uint8Array([0, 1, 2, 250, 255]))).toBe('AAEC+v8=');
    expect(bytesToBase64(new TextEncoder().encode('hello'))).toBe('aGVsbG8=');
  });

  it('encodes only the bytes of a view, not the whole buffer behind it', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(bytesToBase64(whole.subarray(2, 4))).toBe(bytesToBase64(new Uint8Array([3, 4])));
  });
});

describe('base64ToBytes', () => {
  it('reads what bytesToBase64 writes', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 128, 64]);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes('')).toEqual(new Uint8Array([]));
  });

  it('returns a plain Uint8Array that owns its memory', () => {
    const bytes = base64ToBytes('aGVsbG8=');
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(5);
    expect(new TextDecoder().decode(bytes)).toBe('hello');
  });
});
