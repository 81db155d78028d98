/**
 * What the browser tests share: the page as `vite build` emits it, served from a temp folder on
 * 127.0.0.1, and Debian's Chromium (headless, driven by playwright-core) opened on it. Every page
 * fails its test on an uncaught error or a console error, and every request is recorded so that
 * a test can prove the page never leaves its own origin.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type LogLevel } from 'vite';
import { expect } from 'vitest';
import { serveStatic, type StaticServer } from './static-server.js';

const webDir = fileURLToPath(new URL('..', import.meta.url));
/** Screenshots, kept after the run so a person can look at what the tests saw. */
export const artifacts = join(webDir, 'artifacts');
// Test-only inputs: the tutorial's released networks. The product never reads /work/shared.
export const tutorialModel = (file: string): string =>
  fileURLToPath(new URL(`../../../../shared/tutorial-models/${file}`, import.meta.url));

const CHROMIUM = '/usr/bin/chromium';
const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageOptions {
  /** Flags on top of the base ones: `--enable-unsafe-webgpu` gives headless Chromium a WebGPU (SwiftShader) adapter; without it the page falls back to wasm. */
  args?: string[];
  /** Defaults to 1280×1000. */
  viewport?: { width: number; height: number };
  /** Expect the console error of a 404: the build always ships results.json (the not-run marker until the reproduction has been run), so only a test that deletes it, to see the panel without one, sets this. */
  allow404?: boolean;
}

export interface Site {
  outDir: string;
  server: StaticServer;
  /** Every URL any page of this site requested, so far. */
  seen: string[];
  /** Those of `seen` outside the server's origin (data: and blob: URLs are the page's own). */
  offOrigin: string[];
  /** Opens a fresh browser on the page, waits until it is idle, runs `fn`, then fails the test on any error the page logged. */
  withPage<T>(options: PageOptions, fn: (page: Page) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Builds the page into a fresh temp folder named `prefix…` and serves it. */
export async function buildAndServe(prefix: string, logLevel: LogLevel = 'error'): Promise<Site> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  let server: StaticServer;
  try {
    await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), mode: 'production', logLevel, build: { outDir, emptyOutDir: true } });
    server = await serveStatic(outDir);
  } catch (err) {
    // The caller gets no Site to close, so the folder would outlive the run.
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  mkdirSync(artifacts, { recursive: true });
  const seen: string[] = [];
  const offOrigin: string[] = [];

  async function withPage<T>(options: PageOptions, fn: (page: Page) => Promise<T>): Promise<T> {
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...(options.args ?? [])] });
    try {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 1000 } });
      // Context-wide, so requests from the page's workers are seen too.
      context.on('request', (request) => {
        const url = request.url();
        seen.push(url);
        if (!url.startsWith(`${server.origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !(options.allow404 && /404/.test(msg.text()))) problems.push(`console: ${msg.text()}`);
      });
      await page.goto(`${server.origin}/`);
      await page.waitForSelector('body[data-busy="false"]');
      const value = await fn(page);
      expect(problems).toEqual([]);
      return value;
    } finally {
      await browser.close();
    }
  }

  return {
    outDir,
    server,
    seen,
    offOrigin,
    withPage,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
