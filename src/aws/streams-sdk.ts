import { createRequire } from 'node:module';
import type * as StreamsSdk from '@aws-sdk/client-dynamodb-streams';

/**
 * The DynamoDB Streams client's package, loaded with `require`: the reader takes its classes
 * (client, commands) from here; types still come from the package itself.
 *
 * Why not `import`: the AWS SDK packages are CommonJS, and Node's ES module loader reads a
 * CommonJS entry twice more before running it, once to tell whether it is an ES module and once
 * for its export names (cjs-module-lexer). For this package and the DynamoDB client
 * (dynamodb-sdk.ts) that cost 100–170 ms of CPU at every start, a fifth of a short export.
 * `require` fills the same module cache, so a class taken from here is the class an `import`
 * elsewhere (the doctor, the demo) sees.
 */
export const streamsSdk = createRequire(import.meta.url)('@aws-sdk/client-dynamodb-streams') as typeof StreamsSdk;
