import { useEffect, useLayoutEffect, useState } from 'react';
import { Static, useInput, useStdout } from 'ink';
import type { StreamViewType } from '../records/record.js';
import { renderRecord } from '../render/record-text.js';
import { useStreamFeed, type FeedSource } from './use-stream-feed.js';
import { StatusBar } from './status-bar.js';
import { NoticeLine, RecordBlock } from './feed-item-view.js';

/** Clears the screen and the scrollback, cursor home: what `c` does. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[3J\u001b[H';

export interface TailAppProps {
  source: FeedSource;
  stream: string;
  viewType?: StreamViewType;
  /** The stream's key attributes, partition key first. */
  keyNames?: readonly string[];
  filters?: string;
  initialMode: 'diff' | 'full';
  /** Show whole values (`--wide`) instead of cutting them to the terminal width. */
  wide: boolean;
  color: boolean;
  maxBuffered?: number;
  now?: () => number;
  /** `q` or Ctrl-C. */
  onQuit: () => void;
  /** The reader finished (`-n`, `--until`) or failed. */
  onEnd?: (error?: unknown) => void;
}

/**
 * The interactive tail: finished records go to <Static> (written once, above), the status area
 * below is redrawn in place.
 */
export function TailApp(props: TailAppProps) {
  const { state, togglePause, markPrinted } = useStreamFeed(props.source, { maxBuffered: props.maxBuffered, now: props.now });
  const [mode, setMode] = useState(props.initialMode);
  const { stdout, write } = useStdout();
  const columns = stdout.columns || 80;
  const width = props.wide ? undefined : columns;

  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) props.onQuit();
    else if (input === ' ') togglePause();
    else if (input === 'd') setMode((m) => (m === 'diff' ? 'full' : 'diff'));
    else if (input === 'c') write(CLEAR_SCREEN);
  });

  // <Static> wrote these at this commit; holding on to them would grow memory for as long as the tail runs.
  useLayoutEffect(() => {
    if (state.pending.length) markPrinted(state.pending.length);
  }, [state.pending, markPrinted]);

  const { done, error } = state;
  const { onEnd } = props;
  useEffect(() => {
    if (done) onEnd?.(error);
  }, [done, error, onEnd]);

  return (
    <>
      <Static key={state.generation} items={state.pending}>
        {(item) => item.kind === 'record'
          ? <RecordBlock key={item.id} lines={renderRecord(item.record, { mode, color: props.color, width, viewType: props.viewType, keyNames: props.keyNames })} />
          : <NoticeLine key={item.id} text={item.text} color={props.color} />}
      </Static>
      <StatusBar
        stream={props.stream}
        viewType={props.viewType}
        filters={props.filters}
        mode={mode}
        seen={state.seen}
        perSecond={state.perSecond}
        shards={state.shards}
        shardsReading={state.shardsReading}
        caughtUp={state.caughtUp}
        paused={state.paused}
        buffered={state.buffer.filter((item) => item.kind === 'record').length}
        dropped={state.dropped}
        maxBuffered={state.maxBuffered}
        backoff={state.backoff}
        done={state.done}
        color={props.color}
        width={columns}
      />
    </>
  );
}
