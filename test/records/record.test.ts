import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, isEventName } from '../../src/records/record.js';

describe('EVENT_NAMES', () => {
  it('lists the three stream events in the order DynamoDB documents them', () => {
    expect(EVENT_NAMES).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
  });
});

describe('isEventName', () => {
  it('accepts each event name as DynamoDB spells it', () => {
    for (const name of EVENT_NAMES) expect(isEventName(name)).toBe(true);
  });

  it('rejects other spellings, other words and other types', () => {
    for (const value of ['insert', 'Modify', ' REMOVE', 'PUT', 'DELETE', '', undefined, null, 0, ['INSERT'], { INSERT: true }]) {
      expect(isEventName(value)).toBe(false);
    }
  });
});
