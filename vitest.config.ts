import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // In CI, a failed test runs once more before it fails the run: many tests here time real
    // processes (DynamoDB Local, the CLI, lease rounds) on two shared cores. The report still
    // names a test that needed its second run.
    retry: process.env.CI ? 1 : 0,
    // Integration suites each start their own DynamoDB Local (a JVM); two cores cannot run many at once.
    maxWorkers: 2,
    // Tests import the AWS SDK directly; its Node 20 notice is noise there (the CLI silences it itself,
    // and the CLI tests strip AWS_* variables so they still check that).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
