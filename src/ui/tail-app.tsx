import { useEffect, useState } from 'react';
import { useInput, useStdout } from 'ink';
import type { StreamViewType } from '../records/record.js';
import type { TableColors } from '../render/table-colors.js';
import { DEFAULT_MAX_QUEUED, type FeedSource } from './tail-feed.js';
import { useTailFeed } from './use-tail-feed.js';
import { StatusBar } from './status-bar.js';
import { terminalBacklog } from './terminal-writes.js';
import { keyActions } from './key-actions.js';

/**
 * Output the terminal has not taken yet, beyond which no more records are written: they wait in
 * the view's queue, where the wait shows and the bound holds, rather than in the stream's buffer.
 */
const MAX_TERMINAL_BACKLOG = 256 * 1024;

/** Clears the screen and the scrollback, cursor home: what `c` does. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[3J\u001b[H';

export interface TailAppProps {
  source: FeedSource;
  stream: string;
  viewType?: StreamViewType;
  /** The stream's key attributes, partition key first. */
  keyNames?: readonly string[];
  filters?: string;
  /** Where reading starts and stops, e.g. `from trim horizon, at most 5 records`. */
  positions?: string;
  initialMode: 'diff' | 'full';
  /** Show whole values (`--wide`) instead of cutting them to the terminal width. */
  wide: boolean;
  color: boolean;
  /** Records of several tables: each header keeps its table's name, shown in the table's colour. */
  keepTable?: boolean;
  tableColors?: TableColors;
  /** Records kept while paused or while the terminal is behind. */
  maxBuffered?: number;
  now?: () => number;
  /** `q` or Ctrl-C. */
  onQuit: () => void;
  /** The reader finished (`-n`, `--until`) or failed. */
  onEnd?: (error?: unknown) => void;
}

/**
 * The interactive tail: finished records are written once above the live area and not kept
 * (ink's `write` puts them there without remembering them, unlike <Static>); the status area
 * below is redrawn in place.
 */
export function TailApp(props: TailAppProps) {
  const [mode, setMode] = useState(props.initialMode);
  const { stdout, write } = useStdout();
  const columns = stdout.columns || 80;
  const { status, togglePause } = useTailFeed(props.source, {
    maxQueued: props.maxBuffered,
    now: props.now,
    render: () => ({
      mode,
      color: props.color,
      // Read when the records are written, so a resized terminal gets lines of its new width.
      width: props.wide ? undefined : stdout.columns || 80,
      viewType: props.viewType,
      keyNames: props.keyNames,
      keepTable: props.keepTable,
      tableColors: props.tableColors,
    }),
    write,
    terminalReady: () => terminalBacklog(stdout) < MAX_TERMINAL_BACKLOG,
  });

  useInput((input, key) => {
    for (const action of keyActions(input, key.ctrl)) {
      if (action === 'quit') {
        props.onQuit();
        return;
      }
      if (action === 'pause') togglePause();
      else if (action === 'mode') setMode((m) => (m === 'diff' ? 'full' : 'diff'));
      else write(CLEAR_SCREEN);
    }
  });

  const { done, error } = status;
  const { onEnd } = props;
  useEffect(() => {
    if (done) onEnd?.(error);
  }, [done, error, onEnd]);

  return (
    <StatusBar
      stream={props.stream}
      viewType={props.viewType}
      filters={props.filters}
      positions={props.positions}
      mode={mode}
      seen={status.seen}
      perSecond={status.perSecond}
      shards={status.shards}
      shardsReading={status.shardsReading}
      caughtUp={status.caughtUp}
      lagMs={status.lagMs}
      paused={status.paused}
      buffered={status.queued}
      dropped={status.droppedWhilePaused}
      maxBuffered={props.maxBuffered ?? DEFAULT_MAX_QUEUED}
      behindMs={status.behindMs}
      queued={status.queued}
      droppedBehind={status.droppedBehind}
      backoff={status.backoff}
      done={status.done}
      color={props.color}
      width={columns}
      streams={status.streams}
      tableColors={props.tableColors}
    />
  );
}
