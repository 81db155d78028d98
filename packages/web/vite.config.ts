import { fileURLToPath } from 'node:url';
import { defineConfig, type Alias, type Plugin } from 'vite';
import { bundleModels } from './scripts/bundle-models.mjs';
import { makeDigits } from './scripts/make-digits.mjs';

/**
 * '@minmax/core' resolves to core's TypeScript sources, so neither `vite` nor vitest needs core
 * built first; '@minmax/core/node' (file-system helpers) is deliberately not aliased: the page
 * must not import it.
 */
export const coreAlias: Alias[] = [
  { find: /^@minmax\/core$/, replacement: fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
];

/**
 * Generated public/ files are written once the config is resolved: the dev server lists public/
 * right after that, before any buildStart, and would answer a file created later with index.html.
 */

/** Generates public/digits.bin from the MNIST test set before every dev server start and build. */
function digitsAsset(): Plugin {
  return {
    name: 'minmax-digits-asset',
    configResolved() {
      makeDigits();
    },
  };
}

/**
 * Copies minmax's trained models (repository models/*.onnx) into public/models/ and lists them in
 * public/models/models.json before every dev server start and build; missing ones are left out.
 */
function bundledModels(): Plugin {
  return {
    name: 'minmax-bundled-models',
    configResolved() {
      bundleModels();
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built page works from any path (a subfolder, file server, GitHub Pages).
  base: './',
  resolve: { alias: coreAlias },
  plugins: [digitsAsset(), bundledModels()],
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
