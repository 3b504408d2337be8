import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeMap } from '../../src/records/record.js';

// util-dynamodb names @aws-sdk/client-dynamodb's AttributeValue; the streams client's type is the
// same union under another package.
type UtilAttributeMap = Parameters<typeof unmarshall>[0];

/**
 * util-dynamodb's `unmarshall` with number wrapping, so no number is ever rounded: numbers come
 * back as NumberValue with their exact digits in `.value`. The reference the export's own
 * writer (`imageToExactJson`) is checked against.
 */
export function unmarshallExact(image: AttributeMap): Record<string, unknown> {
  return unmarshall(image as UtilAttributeMap, { wrapNumbers: true });
}
