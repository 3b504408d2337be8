import { describe, expect, it } from 'vitest';
import { ScanProgress, type ScanCheckpoint } from '../../src/scan/scan-progress.js';

/** A checkpoint's sections, as the checkpoint store keeps them. */
function memoryStore(initial: Record<string, unknown> = {}) {
  const sections: Record<string, unknown> = { ...initial };
  return { sections, section: (name: string) => sections[name], setSection: (name: string, value: unknown) => (sections[name] = JSON.parse(JSON.stringify(value))) };
}

const NOW = new Date('2026-11-26T12:00:00Z');

describe('ScanProgress', () => {
  it('starts a new scan now, every segment from its start', () => {
    const store = memoryStore();
    const { progress, resumed } = ScanProgress.open(store, 3, NOW);
    expect(resumed).toBe(false);
    expect(progress.startedAt).toEqual(NOW);
    expect(progress.remaining()).toEqual([{ segment: 0 }, { segment: 1 }, { segment: 2 }]);
    expect((store.sections.scan as ScanCheckpoint).totalSegments).toBe(3);
  });

  it('moves a segment past a page only once all of its records are delivered, and marks finished segments done', () => {
    const store = memoryStore();
    const { progress } = ScanProgress.open(store, 2, NOW);
    progress.noteScanned(0, 10n, { pk: { S: 'k10' } });
    progress.noteScanned(0, 20n, { pk: { S: 'k20' } });
    progress.delivered(0, '15', false);
    expect(progress.remaining()[0]).toEqual({ segment: 0, startKey: { pk: { S: 'k10' } } });
    progress.delivered(0, '20', false);
    expect(progress.remaining()[0]).toEqual({ segment: 0, startKey: { pk: { S: 'k20' } } });
    progress.noteScanned(0, 25n, undefined);
    progress.delivered(0, '25', true);
    expect(progress.remaining()).toEqual([{ segment: 1 }]);
    expect(progress.complete).toBe(false);
    progress.delivered(1, undefined, true);
    expect(progress.complete).toBe(true);
    expect(store.sections.scan).toEqual({ startedAt: NOW.toISOString(), totalSegments: 2, next: {}, done: [0, 1] });
  });

  it('resumes a saved scan: its start time, its segment count, and each segment where it stopped', () => {
    const saved: ScanCheckpoint = { startedAt: '2026-11-26T10:00:00.000Z', totalSegments: 3, next: { 1: { pk: { S: 'k7' } } }, done: [0] };
    const { progress, resumed } = ScanProgress.open(memoryStore({ scan: saved }), 8, NOW);
    expect(resumed).toBe(true);
    expect(progress.startedAt.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(progress.totalSegments).toBe(3);
    expect(progress.remaining()).toEqual([{ segment: 1, startKey: { pk: { S: 'k7' } } }, { segment: 2 }]);
  });

  it('keeps binary keys exact through the checkpoint', () => {
    const store = memoryStore();
    const { progress } = ScanProgress.open(store, 1, NOW);
    progress.noteScanned(0, 1n, { id: { B: Uint8Array.from([0, 255]) } });
    progress.delivered(0, '1', false);
    const again = ScanProgress.open(store, 1, NOW).progress;
    expect(again.remaining()).toEqual([{ segment: 0, startKey: { id: { B: Uint8Array.from([0, 255]) } } }]);
  });
});
