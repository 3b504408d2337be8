import { RETENTION_MS, shardCreatedAt, type ShardNode, type ShardTree } from '../stream/shard-tree.js';
import { formatDuration, formatTable, formatTsv } from './table.js';
import { plural } from '../util/plural.js';

export interface ShardJson {
  shardId: string;
  parentShardId: string | null;
  state: 'open' | 'closed';
  depth: number;
  startingSequenceNumber: string | null;
  endingSequenceNumber: string | null;
  createdAt: string | null;
  /** When this shard's oldest records pass the 24-hour retention and may be trimmed. */
  trimAt: string | null;
  children: string[];
}

function flatten(tree: ShardTree): ShardNode[] {
  const out: ShardNode[] = [];
  const walk = (nodes: ShardNode[]): void => {
    for (const node of nodes) {
      out.push(node);
      walk(node.children);
    }
  };
  walk(tree.roots);
  return out;
}

export function shardJson(node: ShardNode): ShardJson {
  const created = shardCreatedAt(node.shardId);
  return {
    shardId: node.shardId,
    parentShardId: node.parentShardId ?? null,
    state: node.open ? 'open' : 'closed',
    depth: node.depth,
    startingSequenceNumber: node.shard.SequenceNumberRange?.StartingSequenceNumber ?? null,
    endingSequenceNumber: node.shard.SequenceNumberRange?.EndingSequenceNumber ?? null,
    createdAt: created?.toISOString() ?? null,
    trimAt: created ? new Date(created.getTime() + RETENTION_MS).toISOString() : null,
    children: node.children.map((c) => c.shardId),
  };
}

export function summarizeTree(tree: ShardTree): { shards: number; open: number; closed: number; depth: number } {
  const nodes = [...tree.byId.values()];
  const open = nodes.filter((n) => n.open).length;
  return { shards: nodes.length, open, closed: nodes.length - open, depth: tree.depth };
}

const HEADER = ['SHARD', 'STATE', 'AGE', 'TRIM IN', 'START SEQ', 'END SEQ'];

/** The tree for people (indented, table) or for scripts (TSV with a parent column, or NDJSON). */
export function renderShards(tree: ShardTree, format: 'table' | 'tsv' | 'json', now: Date): string[] {
  const nodes = flatten(tree);
  if (format === 'json') return nodes.map((n) => JSON.stringify(shardJson(n)));
  if (format === 'tsv') {
    return formatTsv(
      ['shardId', 'parentShardId', 'state', 'depth', 'startingSequenceNumber', 'endingSequenceNumber', 'createdAt', 'trimAt'],
      nodes.map((n) => {
        const j = shardJson(n);
        return [j.shardId, j.parentShardId ?? '', j.state, String(j.depth), j.startingSequenceNumber ?? '',
          j.endingSequenceNumber ?? '', j.createdAt ?? '', j.trimAt ?? ''];
      }),
    );
  }
  const rows = nodes.map((n) => {
    const created = shardCreatedAt(n.shardId);
    const age = created ? formatDuration(now.getTime() - created.getTime()) : '?';
    const left = created ? created.getTime() + RETENTION_MS - now.getTime() : undefined;
    const trimIn = left === undefined ? '?' : left <= 0 ? 'trimming' : formatDuration(left);
    const indent = n.depth ? '  '.repeat(n.depth - 1) + '└─ ' : '';
    return [indent + n.shardId, n.open ? 'open' : 'closed', age, trimIn,
      n.shard.SequenceNumberRange?.StartingSequenceNumber ?? '-', n.shard.SequenceNumberRange?.EndingSequenceNumber ?? '-'];
  });
  const s = summarizeTree(tree);
  return [...formatTable(HEADER, rows), '', `${plural(s.shards, 'shard')}: ${s.open} open, ${s.closed} closed, lineage depth ${s.depth}`];
}
