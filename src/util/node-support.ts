/**
 * Which Node.js versions ddbstream runs on: the ones CI tests (see `.ci/run`). `bin/ddbstream.js`
 * asks before it loads anything else, so an unsupported Node gets one line instead of a failure
 * somewhere inside a dependency. Plain code with no imports: it must load on old Node too.
 */

/** Even (long-term support) majors that are tested, and the first major from which every later one is accepted. */
export const SUPPORTED_NODE = { lts: [20, 22], from: 24 } as const;

/** The same as an `engines` range; package.json must say exactly this (a test checks). */
export function supportedNodeRange(): string {
  return [...SUPPORTED_NODE.lts.map((major) => `^${major}.0.0`), `>=${SUPPORTED_NODE.from}.0.0`].join(' || ');
}

/** "20, 22, or 24 and newer": for people. */
export function supportedNodeText(): string {
  return `${SUPPORTED_NODE.lts.join(', ')}, or ${SUPPORTED_NODE.from} and newer`;
}

export function isSupportedNode(version: string): boolean {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major)) return false;
  return major >= SUPPORTED_NODE.from || (SUPPORTED_NODE.lts as readonly number[]).includes(major);
}

/** The one line to print on an unsupported Node, or undefined when this one is supported. */
export function unsupportedNodeMessage(version: string): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return `ddbstream needs Node.js ${supportedNodeText()}; this is Node.js ${version.replace(/^v/, '')}. ` +
    'Install a supported version (https://nodejs.org) and run it again.';
}
