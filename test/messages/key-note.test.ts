import { describe, expect, it } from 'vitest';
import { keyConditionNote } from '../../src/messages/key-note.js';

describe('keyConditionNote', () => {
  it('names the table\'s key attributes when a --key names another attribute', () => {
    expect(keyConditionNote(['id=u-42'], ['pk', 'sk'])).toBe(
      '--key "id" is not a key attribute of this table, so no record can match: its key is pk, sk (e.g. --key pk=… --key sk=…). To match other attributes, use --filter.',
    );
    expect(keyConditionNote(['id=1', 'pk=a', 'name=x=y'], ['pk'])).toMatch(/^--key "id", "name" are not key attributes of this table.*its key is pk /);
  });

  it('says nothing when every condition is on a key attribute, or the key schema is unknown', () => {
    expect(keyConditionNote(['pk=alice', 'sk=profile'], ['pk', 'sk'])).toBeUndefined();
    expect(keyConditionNote(['id=u-42'], [])).toBeUndefined();
  });
});
