/**
 * JSON-quoted strings, remembered: attribute names, table names and shard ids repeat on millions
 * of lines, and quoting each once saves the escaping scan. Bounded, because some sets are not
 * (maps keyed by ids, the shards of a follow run that lives for weeks): when full it starts over,
 * so what repeats now is quickly remembered again.
 */
export class QuotedStrings {
  private readonly quoted = new Map<string, string>();

  constructor(private readonly max: number) {}

  quote(text: string): string {
    let json = this.quoted.get(text);
    if (json === undefined) {
      json = JSON.stringify(text);
      if (this.quoted.size >= this.max) this.quoted.clear();
      this.quoted.set(text, json);
    }
    return json;
  }
}
