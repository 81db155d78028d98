import { defineConfig } from 'vitest/config';
import { coreAlias } from './vite.config.js';

export default defineConfig({
  resolve: { alias: coreAlias },
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // ONNX Runtime sessions and the browser already use both cores; parallel files only fight over them.
    fileParallelism: false,
  },
});
