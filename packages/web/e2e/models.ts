/**
 * Which ConvNet a browser test feeds the page: minmax's own when the build bundled it (listed in
 * the build's models/models.json), else the tutorial's released file, uploaded like a user would
 * (test inputs only: the product never reads /work/shared).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseCatalog } from '../src/model/catalog.js';
import { tutorialModel } from './harness.js';

/** A model as the test feeds it to the page: a bundled catalog entry, or a file to upload. */
export interface ModelChoice {
  /** What `.model-name` shows once it is open. */
  shown: string;
  /** Catalog button text, when bundled. */
  catalogName?: string;
  /** File to upload, when not bundled. */
  upload?: string;
  /** The bytes the page runs, for the Node reference. */
  bytes: Uint8Array;
}

/** The catalog entry `bundledName` in the build at `outDir`, else the tutorial's `tutorialFile`. */
export function chooseModel(outDir: string, bundledName: string, tutorialFile: string): ModelChoice {
  const outModels = join(outDir, 'models');
  const listed = parseCatalog(JSON.parse(readFileSync(join(outModels, 'models.json'), 'utf8')));
  const entry = listed.find((e) => e.name === bundledName);
  if (entry) return { shown: entry.name, catalogName: entry.name, bytes: new Uint8Array(readFileSync(join(outModels, entry.file))) };
  const file = tutorialModel(tutorialFile);
  return { shown: tutorialFile, upload: file, bytes: new Uint8Array(readFileSync(file)) };
}

/** Opens `model` in the page (catalog click or upload) and waits until the gallery has been classified with it. */
export async function openModel(page: Page, model: ModelChoice): Promise<void> {
  if (model.catalogName) await page.click(`.catalog-list button:has-text("${model.catalogName}")`);
  else await page.setInputFiles('#model-file', model.upload as string);
  await page.waitForSelector(`.model-name:has-text("${model.shown}")`);
  await page.waitForSelector('#gallery-summary:has-text("correct")');
  await page.waitForSelector('body[data-busy="false"]');
}
