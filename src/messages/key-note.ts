/**
 * The note for `--key` conditions on attributes that are not part of the table's key: such a
 * condition matches no record (a record's Keys hold the key attributes only), which would
 * otherwise look like an empty stream. Undefined when every condition names a key attribute, or
 * when the key schema is unknown.
 *
 * @param conditions the `--key` values as given (`attr=value`)
 * @param keyNames the table's key attributes, partition key first
 */
export function keyConditionNote(conditions: readonly string[], keyNames: readonly string[]): string | undefined {
  if (keyNames.length === 0) return undefined;
  const attributes = [...new Set(conditions.map((condition) => condition.slice(0, condition.indexOf('=')).trim()))];
  const strangers = attributes.filter((attribute) => !keyNames.includes(attribute));
  if (strangers.length === 0) return undefined;
  const named = strangers.map((attribute) => `"${attribute}"`).join(', ');
  const isAre = strangers.length === 1 ? 'is not a key attribute' : 'are not key attributes';
  const example = keyNames.map((name) => `--key ${name}=…`).join(' ');
  return `--key ${named} ${isAre} of this table, so no record can match: its key is ${keyNames.join(', ')} (e.g. ${example}). ` +
    'To match other attributes, use --filter.';
}

/** The key attributes of a DescribeStream key schema, partition key first. */
export function keyNamesOf(keySchema: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined): string[] {
  return [...(keySchema ?? [])]
    .sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0))
    .map((key) => key.AttributeName ?? '')
    .filter(Boolean);
}
