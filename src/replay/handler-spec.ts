import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../util/errors.js';

/** Where the handler lives and which export to call. */
export interface HandlerSpec {
  /** Absolute path of the module file. */
  file: string;
  /** What the user typed, for messages. */
  display: string;
  /**
   * The export to call, possibly nested (`obj.fn`, as Lambda allows). Undefined: `handler`, or a
   * default-exported function.
   */
  exportName?: string;
  /** Lambda's function name for the context and ARNs: the file name without its extension. */
  functionName: string;
  typescript: boolean;
}

export const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
const EXPORT_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function functionNameOf(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'handler';
}

function spec(file: string, display: string, exportName: string | undefined): HandlerSpec {
  return {
    file,
    display,
    ...(exportName ? { exportName } : {}),
    functionName: functionNameOf(file),
    typescript: TYPESCRIPT.has(path.extname(file)),
  };
}

/**
 * Accepts a module file (`./handler.mjs`, `src/handler.ts`) or Lambda's handler setting
 * (`src/index.handler`: the file `src/index.*` and its export `handler`), as Lambda resolves it.
 */
export function resolveHandlerSpec(handler: string, handlerExport: string | undefined, cwd: string): HandlerSpec {
  const display = handler.trim();
  if (!display) throw new UsageError('--handler is empty. Give a file such as ./handler.mjs, or Lambda\'s form src/index.handler.');
  if (handlerExport !== undefined && !EXPORT_PATH.test(handlerExport)) {
    throw new UsageError(`--handler-export "${handlerExport}" is not an export name (letters, digits, _ and $, dots for nesting).`);
  }
  const direct = path.resolve(cwd, display);
  if (isFile(direct)) return spec(direct, display, handlerExport);

  const extension = path.extname(display);
  if ((MODULE_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new UsageError(`handler file ${display} not found (looked in ${path.dirname(direct)}).`);
  }

  // Lambda's form: everything up to the first dot of the last path segment names the module.
  const base = path.basename(display);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) {
    throw new UsageError(
      `handler ${display} not found. Give a file (./handler.mjs, ./handler.ts) or Lambda's form FILE.EXPORT (src/index.handler).`,
    );
  }
  const exportPath = base.slice(dot + 1);
  if (!EXPORT_PATH.test(exportPath)) {
    throw new UsageError(`handler ${display}: "${exportPath}" is not an export name; Lambda's form is FILE.EXPORT, e.g. src/index.handler.`);
  }
  if (handlerExport !== undefined && handlerExport !== exportPath) {
    throw new UsageError(
      `handler ${display} already names the export "${exportPath}"; drop --handler-export ${handlerExport} or name the file alone.`,
    );
  }
  const moduleBase = path.resolve(cwd, path.dirname(display), base.slice(0, dot));
  for (const ext of MODULE_EXTENSIONS) {
    if (isFile(moduleBase + ext)) return spec(moduleBase + ext, display, exportPath);
  }
  const shown = path.join(path.dirname(display), base.slice(0, dot));
  throw new UsageError(
    `handler ${display}: no module file ${shown}.{${MODULE_EXTENSIONS.map((e) => e.slice(1)).join(',')}} (looked in ${path.dirname(moduleBase)}).`,
  );
}
