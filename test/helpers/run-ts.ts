import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs a TypeScript snippet (imports relative to the project root) in a separate Node process,
 * without a build step: esbuild bundles the project's own modules and leaves packages to be
 * resolved from the project's node_modules.
 */
export async function spawnTsSnippet(source: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildProcess> {
  const result = await build({
    stdin: { contents: source, resolveDir: projectRoot, loader: 'ts', sourcefile: 'snippet.ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  return spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
}

/** Resolves with the first stdout line matching `pattern` (rejects if the process ends first). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let errors = '';
    const timer = setTimeout(() => fail(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms; stderr: ${errors}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        const match = pattern.exec(line);
        if (match) {
          cleanup();
          resolve(match);
          return;
        }
      }
    };
    const onErr = (chunk: Buffer): void => {
      errors += chunk.toString('utf8');
    };
    const onExit = (code: number | null): void => fail(new Error(`exited (${String(code)}) before printing ${String(pattern)}; stdout: ${buffered} stderr: ${errors}`));
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
    }
    function fail(error: Error): void {
      cleanup();
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
