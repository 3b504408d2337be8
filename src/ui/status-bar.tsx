import { Box, Text } from 'ink';
import { Chalk, type ChalkInstance } from 'chalk';
import type { StreamViewType } from '../records/record.js';
import { terminalSafe } from '../render/terminal-text.js';
import { plural } from '../util/plural.js';
import { lagText, mostBehindText } from '../render/lag-text.js';
import type { TableColors } from '../render/table-colors.js';
import type { FeedStream } from './tail-feed.js';

export interface StatusBarProps {
  stream: string;
  viewType?: StreamViewType;
  /** The active filters as the user wrote them, e.g. `--event MODIFY --key pk=alice`. */
  filters?: string;
  /** Where reading starts and stops (`from trim horizon`): positions, not filters, so labelled apart. */
  positions?: string;
  mode: 'diff' | 'full';
  seen: number;
  perSecond: number;
  shards?: { total: number; open: number; closed: number };
  shardsReading: number;
  caughtUp: boolean;
  /** The reader's lag behind the stream, when known: `behind 2h 14m` or `caught up` instead of `catching up`. */
  lagMs?: number;
  paused: boolean;
  buffered: number;
  dropped: number;
  maxBuffered: number;
  /** How far behind the reader the log is, when noticeably so (0: keeping up). */
  behindMs: number;
  /** Records received and not yet shown. */
  queued: number;
  /** Records dropped since the start because the terminal could not keep up. */
  droppedBehind: number;
  backoff?: { reason: string; delayMs: number; attempt: number };
  done: boolean;
  color: boolean;
  width: number;
  /** Several streams: each one's name, shards, records and lag, in the order they were given. */
  streams?: readonly FeedStream[];
  /** Several tables: each name in the colour its records' headers use. */
  tableColors?: TableColors;
}

/** More streams than this share one combined line instead of a line each, so the live area stays short. */
export const MAX_STREAM_LINES = 4;

const count = (n: number): string => n.toLocaleString('en-US');

function formatRate(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function shardsText(shards: StatusBarProps['shards'], reading: number): string {
  return shards ? `shards ${shards.open} open, ${shards.closed} closed` + (reading ? ` (reading ${reading})` : '') : 'shards …';
}

/** `behind 2h 14m` in yellow, `caught up` plain, nothing before it is known. */
function lagPart(c: ChalkInstance, lagMs: number | undefined): string[] {
  const lag = lagText(lagMs);
  return lag ? [lag === 'caught up' ? lag : c.yellow(lag)] : [];
}

/**
 * Several streams: a line for each (name in its table's colour, shards, records, lag), or past
 * MAX_STREAM_LINES one line for all of them that says how many there are and which is most behind.
 */
function severalStreamsLines(props: StatusBarProps, streams: readonly FeedStream[], c: ChalkInstance, sep: string): string[] {
  const rate = `${formatRate(props.perSecond)}/s`;
  if (streams.length > MAX_STREAM_LINES) {
    const sum = (pick: (s: FeedStream) => number): number => streams.reduce((total, s) => total + pick(s), 0);
    const listed = streams.every((s) => s.shards);
    const shards = listed ? { total: sum((s) => s.shards!.total), open: sum((s) => s.shards!.open), closed: sum((s) => s.shards!.closed) } : undefined;
    const lag = mostBehindText(streams);
    return [[
      c.bold(`${streams.length} streams`), shardsText(shards, sum((s) => s.shardsReading)), plural(props.seen, 'record'), rate,
      ...(lag ? [lag === 'all caught up' ? lag : c.yellow(lag)] : []),
    ].join(sep)];
  }
  const name = (stream: FeedStream): string => {
    const color = props.tableColors?.get(stream.name);
    return (color ? c.bold[color] : c.bold)(terminalSafe(stream.name));
  };
  return [
    [c.bold(`${streams.length} streams`), plural(props.seen, 'record'), rate].join(sep),
    ...streams.map((stream) => [name(stream), shardsText(stream.shards, stream.shardsReading), plural(stream.records, 'record'), ...lagPart(c, stream.lagMs)].join(sep)),
  ];
}

/** The live area's text, line by line. Pure, so the view's wording is tested without a terminal. */
export function statusLines(props: StatusBarProps): string[] {
  const c = new Chalk({ level: props.color ? 1 : 0 });
  const sep = c.dim(' · ');
  const several = props.streams && props.streams.length > 1 ? props.streams : undefined;
  const summary = several
    ? severalStreamsLines(props, several, c, sep)
    : [[
      c.bold(terminalSafe(props.stream)),
      ...(props.viewType ? [props.viewType] : []),
      shardsText(props.shards, props.shardsReading),
      plural(props.seen, 'record'),
      `${formatRate(props.perSecond)}/s`,
    ].join(sep)];

  const state: string[] = [];
  // A tail follows until -n or --until says stop (a stream that fails is an error, not this): the run is over.
  if (props.done) state.push(c.bold('done'));
  else if (props.paused) {
    state.push(c.yellow.bold('paused') + ` ${props.buffered} buffered`);
    if (props.dropped) state.push(c.red(`${props.dropped} dropped (only the latest ${props.maxBuffered} are kept)`));
  } else {
    // Several streams: each one's lag is on its own line, or the most behind on the combined one.
    const lag = several ? [] : lagPart(c, props.lagMs);
    if (several || lag.length) state.push(c.green.bold('live'), ...lag);
    else state.push(c.green.bold('live') + (props.caughtUp ? '' : c.dim(' catching up')));
    if (props.behindMs) state.push(c.yellow(`showing ${Math.floor(props.behindMs / 1000)} s behind, ${count(props.queued)} queued`));
  }
  if (props.droppedBehind) state.push(c.red(`${count(props.droppedBehind)} dropped (terminal too slow)`));
  if (props.backoff) {
    state.push(c.red(`backing off ${formatDelay(props.backoff.delayMs)} (attempt ${props.backoff.attempt}): ${terminalSafe(props.backoff.reason)}`));
  }
  state.push(props.mode === 'diff' ? 'showing diffs' : 'showing full images');

  const keys = c.dim(
    `space ${props.paused ? 'resume' : 'pause'}  d ${props.mode === 'diff' ? 'full images' : 'diffs'}  c clear  q quit`,
  );
  return [
    c.dim('─'.repeat(Math.max(props.width, 1))),
    ...summary,
    ...(props.filters ? [`filters ${terminalSafe(props.filters)}`] : []),
    ...(props.positions ? [`reading ${terminalSafe(props.positions)}`] : []),
    state.join(sep),
    keys,
  ];
}

export function StatusBar(props: StatusBarProps) {
  return (
    <Box flexDirection="column">
      {statusLines(props).map((line, i) => (
        // Truncated, never wrapped: a wrapping status line would make the live area jump.
        <Text key={i} wrap="truncate-end">{line}</Text>
      ))}
    </Box>
  );
}
