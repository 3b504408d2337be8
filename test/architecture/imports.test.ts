import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesImporting, importCycles, importEdges, layerViolations, roomOf } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('the layers of src/', () => {
  const edges = importEdges(SRC);

  it('finds the imports it checks', () => {
    // Guards the check itself: a parser that found nothing would pass everything.
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'main.ts', to: 'program.ts' });
  });

  it('has no import that points up a layer or sideways into another room', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('loads ink and React only in the interactive view', () => {
    for (const library of ['ink', 'react']) {
      expect(filesImporting(SRC, library).filter((file) => roomOf(file) !== 'ui')).toEqual([]);
    }
  });

  it('has one folder per command, each with its definition and its work', () => {
    const commands = readdirSync(`${SRC}/commands`);
    expect(commands.sort()).toEqual(expect.arrayContaining(['demo', 'export', 'local', 'replay', 'shards', 'streams', 'tail']));
    for (const name of commands) {
      expect(readdirSync(`${SRC}/commands/${name}`)).toEqual(expect.arrayContaining(['command.ts', 'run.ts']));
    }
  });

  it('keeps every file under 400 lines', () => {
    const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((file) => /\.tsx?$/.test(file));
    const long = files.filter((file) => readFileSync(`${SRC}/${file}`, 'utf8').split('\n').length > 400);
    expect(long).toEqual([]);
  });
});

describe('the import check', () => {
  it('reports an import from a lower layer into a higher one', () => {
    expect(layerViolations([{ from: 'stream/reader.ts', to: 'commands/tail/run.ts' }])).toEqual([
      'stream/reader.ts (stream) imports commands/tail/run.ts (commands), which is not below it',
    ]);
  });

  it('reports an import between two rooms of one layer', () => {
    expect(layerViolations([{ from: 'ui/tail-app.tsx', to: 'replay/engine.ts' }])).toHaveLength(1);
  });

  it('accepts imports within a room and downwards', () => {
    expect(layerViolations([
      { from: 'commands/tail/run.ts', to: 'commands/tail/options.ts' },
      { from: 'commands/tail/run.ts', to: 'stream/reader.ts' },
    ])).toEqual([]);
  });

  it('reports a cycle through type-only imports as a cycle', () => {
    const cycles = importCycles([
      { from: 'commands/x/command.ts', to: 'commands/x/run.ts' },
      { from: 'commands/x/run.ts', to: 'commands/x/command.ts' },
      { from: 'commands/x/run.ts', to: 'util/errors.ts' },
    ]);
    expect(cycles).toEqual([['commands/x/command.ts', 'commands/x/run.ts']]);
  });
});
