import { fileURLToPath } from 'node:url';
import { defineConfig, type Alias, type Plugin } from 'vite';
import { makeDigits } from './scripts/make-digits.mjs';

/**
 * '@minmax/core' resolves to core's TypeScript sources, so neither `vite` nor vitest needs core
 * built first; '@minmax/core/node' (file-system helpers) is deliberately not aliased: the page
 * must not import it.
 */
export const coreAlias: Alias[] = [
  { find: /^@minmax\/core$/, replacement: fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
];

/** Generates public/digits.bin from the MNIST test set before every dev server start and build. */
function digitsAsset(): Plugin {
  return {
    name: 'minmax-digits-asset',
    buildStart() {
      makeDigits();
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built page works from any path (a subfolder, file server, GitHub Pages).
  base: './',
  resolve: { alias: coreAlias },
  plugins: [digitsAsset()],
  // Pre-bundling would move onnxruntime-web away from the .wasm it loads via new URL(…, import.meta.url).
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // onnxruntime-web is one ~400 kB module; splitting it further gains nothing.
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
