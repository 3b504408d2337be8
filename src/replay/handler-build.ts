import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../util/errors.js';
import type { HandlerSpec } from './handler-spec.js';

/** A module the worker can import, and how to clean up after it. */
export interface BuiltHandler {
  modulePath: string;
  dispose(): Promise<void>;
}

const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * JavaScript handlers are imported as they are. TypeScript handlers are bundled with esbuild into
 * one temporary module: types stripped, sibling .ts imports included, no tsconfig needed. Packages
 * stay external but are pinned to absolute paths, so the bundle imports the handler's own
 * node_modules from wherever it is written; `import.meta.url` and `__dirname` keep naming each
 * source file, as they would when the handler runs from its folder.
 */
export async function buildHandler(spec: HandlerSpec): Promise<BuiltHandler> {
  if (!spec.typescript) return { modulePath: spec.file, dispose: async () => {} };
  const esbuild = await import('esbuild');
  const cjs = path.extname(spec.file) === '.cts';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ddbstream-handler-'));
  const outfile = path.join(dir, `${spec.functionName}${cjs ? '.cjs' : '.mjs'}`);
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: [spec.file],
      outfile,
      bundle: true,
      platform: 'node',
      format: cjs ? 'cjs' : 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'inline',
      logLevel: 'silent',
      // esbuild's ESM output cannot `require` packages by itself; give it Node's.
      ...(cjs ? {} : {
        banner: {
          js: `import { createRequire as __ddbstreamCreateRequire } from 'node:module'; ` +
            `const require = __ddbstreamCreateRequire(${JSON.stringify(pathToFileURL(spec.file).href)});`,
        },
      }),
      plugins: [{
        name: 'ddbstream-handler',
        setup(build) {
          build.onResolve({ filter: /^[^./]|^\.[^./]|^\.\.[^/]/ }, async (args) => {
            if (args.pluginData === 'ddbstream-inner' || /^node:/.test(args.path)) return undefined;
            const resolved = await build.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: 'ddbstream-inner',
            });
            if (resolved.errors.length > 0) return { errors: resolved.errors };
            if (resolved.external || !resolved.path.split(path.sep).includes('node_modules')) return undefined;
            return { path: pathToFileURL(resolved.path).href, external: true };
          });
          build.onLoad({ filter: CODE_FILE }, async (args) => {
            if (args.path.split(path.sep).includes('node_modules')) return undefined;
            const source = await readFile(args.path, 'utf8');
            const ext = path.extname(args.path).slice(1);
            const loader = ext.endsWith('x') ? (ext as 'tsx' | 'jsx') : ext.endsWith('ts') ? 'ts' : 'js';
            return { contents: pinLocation(source, args.path), loader };
          });
        },
      }],
    });
  } catch (error) {
    await dispose();
    throw new UsageError(`handler ${spec.display} does not compile: ${describeBuildError(error)}`);
  }
  return { modulePath: outfile, dispose };
}

/** The file's own location in place of the bundle's. */
function pinLocation(source: string, file: string): string {
  const url = JSON.stringify(pathToFileURL(file).href);
  let out = source
    .replace(/\bimport\.meta\.url\b/g, url)
    .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file))
    .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(path.dirname(file)));
  // CommonJS names, unless the file declares its own (the ESM idiom `const __dirname = ...`).
  for (const [name, value] of [['__filename', file], ['__dirname', path.dirname(file)]] as const) {
    if (new RegExp(`(?:const|let|var|function|import)\\b[^;=]*\\b${name}\\b`).test(out)) continue;
    out = out.replace(new RegExp(`(?<![\\w$.])${name}\\b`, 'g'), JSON.stringify(value));
  }
  return out;
}

interface BuildMessage {
  text: string;
  location?: { file: string; line: number; column: number } | null;
}

function describeBuildError(error: unknown): string {
  const errors = (error as { errors?: BuildMessage[] }).errors;
  const first = errors?.[0];
  if (!first) return error instanceof Error ? error.message : String(error);
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${where}${first.text}${more}`;
}

/**
 * Node does not say where an ES module's syntax error is. esbuild parses the handler and the
 * files it imports and does: `src/util.mjs:3:10: Expected "}" but found ";"`.
 */
export async function locateSyntaxError(file: string, cwd: string): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      absWorkingDir: cwd,
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    return undefined;
  } catch (error) {
    return describeBuildError(error);
  }
}
