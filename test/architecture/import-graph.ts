import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/**
 * The layers of `src/`, lowest first. A file may import files of its own room and of lower
 * layers only; rooms that share a layer do not import each other. ARCHITECTURE.md explains
 * each layer; keep the two in step.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['aws', 'io'],
  ['records'],
  ['stream'],
  ['options', 'render', 'lease', 'scan'],
  ['messages', 'session', 'replay', 'ui', 'demo', 'local', 'completion'],
  ['doctor'],
  ['commands'],
  ['program'],
  ['main'],
];

export interface ImportEdge {
  from: string;
  to: string;
}

/** The room of a file under src/: its top folder, or the file's own name for top-level files. */
export function roomOf(file: string): string {
  const [first] = file.split('/');
  return first!.replace(/\.tsx?$/, '');
}

/** Every relative import of every TypeScript file under `srcDir`, type-only and dynamic ones included. */
export function importEdges(srcDir: string): ImportEdge[] {
  const files = (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => file.split('\\').join('/'));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    // preProcessFile sees `import type`, `export … from` and `import()` alike.
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = normalize(join(dirname(file), imported.fileName)).split('\\').join('/');
      if (target.startsWith('..')) continue; // package.json and the like
      const base = target.replace(/\.js$/, '');
      const resolved = files.find((candidate) => candidate === `${base}.ts` || candidate === `${base}.tsx`);
      edges.push({ from: file, to: resolved ?? target });
    }
  }
  return edges;
}

/** Imports that go up a layer, or sideways into another room of the same layer. */
export function layerViolations(edges: readonly ImportEdge[], layers = LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach((rooms, index) => rooms.forEach((room) => rank.set(room, index)));
  const problems: string[] = [];
  for (const { from, to } of edges) {
    const fromRoom = roomOf(from);
    const toRoom = roomOf(to);
    if (fromRoom === toRoom) continue;
    const fromRank = rank.get(fromRoom);
    const toRank = rank.get(toRoom);
    if (fromRank === undefined) problems.push(`${from}: room "${fromRoom}" has no layer`);
    else if (toRank === undefined) problems.push(`${from} imports ${to}: room "${toRoom}" has no layer`);
    else if (toRank >= fromRank) problems.push(`${from} (${fromRoom}) imports ${to} (${toRoom}), which is not below it`);
  }
  return problems;
}

/** Every import cycle between files, as lists of files (Tarjan's strongly connected components). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (next.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Files of `srcDir` (relative paths) that import `specifier` (a package name). */
export function filesImporting(srcDir: string, specifier: string): string[] {
  const files = (readdirSync(srcDir, { recursive: true }) as string[]).filter((file) => /\.tsx?$/.test(file));
  return files
    .filter((file) =>
      ts.preProcessFile(readFileSync(join(srcDir, file), 'utf8'), true, true).importedFiles.some(
        (imported) => imported.fileName === specifier || imported.fileName.startsWith(`${specifier}/`),
      ),
    )
    .map((file) => relative('.', file).split('\\').join('/'));
}
