import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // ONNX Runtime sessions already use both cores; parallel test files only fight over them.
    fileParallelism: false,
  },
});
