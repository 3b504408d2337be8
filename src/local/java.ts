import { execFile } from 'node:child_process';
import { RuntimeError } from '../util/errors.js';

/** DynamoDB Local 2.3 and later is built for Java 17. */
export const MINIMUM_JAVA_MAJOR = 17;

export interface JavaVersion {
  /** As `java -version` prints it, e.g. "17.0.15" or "1.8.0_292". */
  version: string;
  major: number;
}

const INSTALL_HINT =
  'install Java 17 or newer (e.g. `sudo apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`, ' +
  'or a JDK for your platform from https://adoptium.net) and make sure `java` is on PATH';

/**
 * Reads the version from `java -version` output (which goes to stderr and may be preceded by
 * lines such as "Picked up JAVA_TOOL_OPTIONS"). Java 8 and older call themselves "1.x".
 */
export function parseJavaVersion(output: string): JavaVersion | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts?.[1]) return undefined;
  const first = Number(parts[1]);
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { version, major };
}

let cachedCheck: Promise<JavaVersion> | undefined;

/**
 * Fails with one actionable line unless `java` on PATH is Java 17+. The answer is cached for the
 * default environment because demo and tests start DynamoDB Local repeatedly in one process.
 */
export function ensureJava(options: { env?: NodeJS.ProcessEnv } = {}): Promise<JavaVersion> {
  if (options.env) return checkJava(options.env);
  cachedCheck ??= checkJava(process.env).catch((error: unknown) => {
    cachedCheck = undefined;
    throw error;
  });
  return cachedCheck;
}

function checkJava(env: NodeJS.ProcessEnv): Promise<JavaVersion> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-version'], { env, timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new RuntimeError(`DynamoDB Local needs Java, and no \`java\` was found on PATH: ${INSTALL_HINT}.`));
        return;
      }
      const output = `${stderr}\n${stdout}`;
      const parsed = parseJavaVersion(output);
      if (!parsed) {
        const firstLine = output.split('\n').map((line) => line.trim()).find(Boolean) ?? error?.message ?? 'no output';
        reject(new RuntimeError(`could not tell which Java \`java -version\` runs (${firstLine}): ${INSTALL_HINT}.`));
        return;
      }
      if (parsed.major < MINIMUM_JAVA_MAJOR) {
        reject(new RuntimeError(`DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+, but \`java\` on PATH is ${parsed.version}: ${INSTALL_HINT}.`));
        return;
      }
      resolve(parsed);
    });
  });
}
