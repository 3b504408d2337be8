#!/usr/bin/env node
// The Node.js version is checked before anything else loads: on an unsupported one a dependency
// would fail somewhere inside with a message about itself.
import { unsupportedNodeMessage } from '../dist/util/node-support.js';

const refusal = unsupportedNodeMessage(process.versions.node);
if (refusal) {
  process.stderr.write(`ddbstream: ${refusal}\n`);
  process.exitCode = 1;
} else {
  await import('../dist/main.js');
}
