import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveHandlerSpec } from '../../src/replay/handler-spec.js';
import { useTempDir } from '../helpers/temp-dir.js';

describe('handler names', () => {
  const folder = useTempDir('ddbstream-handler-spec-');
  let dir = '';
  beforeAll(() => {
    dir = folder.path;
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'index.mjs'), '');
    writeFileSync(path.join(dir, 'handler.ts'), '');
    writeFileSync(path.join(dir, 'my handler.cjs'), '');
  });

  it('a file path, with the function name from the file name', () => {
    expect(resolveHandlerSpec('./handler.ts', undefined, dir)).toEqual({
      file: path.join(dir, 'handler.ts'), display: './handler.ts', functionName: 'handler', typescript: true,
    });
    expect(resolveHandlerSpec('my handler.cjs', 'run', dir)).toMatchObject({ exportName: 'run', functionName: 'my-handler', typescript: false });
  });

  it('Lambda\'s form finds the module by extension and takes the export (nested too)', () => {
    expect(resolveHandlerSpec('src/index.handler', undefined, dir)).toMatchObject({ file: path.join(dir, 'src', 'index.mjs'), exportName: 'handler', functionName: 'index' });
    expect(resolveHandlerSpec('src/index.api.handle', undefined, dir)).toMatchObject({ exportName: 'api.handle' });
  });

  it.each([
    ['./missing.mjs', undefined, /^handler file \.\/missing\.mjs not found/],
    ['src/missing.handler', undefined, /^handler src\/missing\.handler: no module file src\/missing\.\{js,mjs,cjs,ts,mts,cts\}/],
    ['src/index', undefined, /^handler src\/index not found\. Give a file/],
    ['src/index.handler', 'other', /already names the export "handler"; drop --handler-export other/],
    ['./handler.ts', 'no-such!', /^--handler-export "no-such!" is not an export name/],
    ['', undefined, /^--handler is empty/],
  ])('%s (export %s) is a usage error', (handler, exportName, message) => {
    expect(() => resolveHandlerSpec(handler, exportName, dir)).toThrow(message);
  });
});
