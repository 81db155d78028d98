import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = (p: string): string => fileURLToPath(new URL(`../core/src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against core's sources, so they need no core build.
    alias: [
      { find: /^@minmax\/core$/, replacement: core('index.ts') },
      { find: /^@minmax\/core\/node$/, replacement: core('node/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // ONNX Runtime sessions already use both cores; parallel test files only fight over them.
    fileParallelism: false,
  },
});
