import { ensureJava, MINIMUM_JAVA_MAJOR } from '../local/java.js';
import { isSupportedNode, supportedNodeText } from '../util/node-support.js';
import { withinBound, type CheckResult } from './check.js';

/** Starting a JVM only to ask its version. */
const JAVA_BOUND_MS = 5_000;

export function nodeCheck(nodeVersion: string, ddbstreamVersion: string): CheckResult {
  const supported = isSupportedNode(nodeVersion);
  return {
    name: 'node',
    status: supported ? 'ok' : 'fail',
    detail: `Node.js ${nodeVersion.replace(/^v/, '')}${supported ? '' : ' (not supported)'}, ddbstream ${ddbstreamVersion}`,
    ...(supported ? {} : { advice: `install Node.js ${supportedNodeText()}` }),
    required: true,
  };
}

/** Java is only for `demo` and `local`: its absence is reported but does not fail doctor. */
export async function javaCheck(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = 'java';
  try {
    // A JVM can take seconds to start on a busy machine; it is local, so a little longer is safe.
    const java = await withinBound(() => ensureJava({ env }), JAVA_BOUND_MS);
    return { name, status: 'ok', detail: `Java ${java.version} (for demo and local)`, required: false };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `no Java ${MINIMUM_JAVA_MAJOR}+ for demo and local (reading streams does not need it)`,
      advice: (error as Error).message.replace(/\.$/, ''),
      required: false,
    };
  }
}
