/**
 * Models served with the page: public/models/models.json lists them (files next to it). The list
 * may be empty; the user can always bring their own .onnx file.
 */
import { DataFormatError } from '@minmax/core';

export interface CatalogEntry {
  /** Shown in the picker. */
  name: string;
  /** Path of the .onnx file relative to models.json. */
  file: string;
  description?: string;
}

export function parseCatalog(json: unknown, source = 'models.json'): CatalogEntry[] {
  const models = (json as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) throw new DataFormatError(`${source}: expected an object with a "models" array`);
  return models.map((m: unknown, i: number) => {
    const e = m as Partial<CatalogEntry> | null;
    if (!e || typeof e.name !== 'string' || !e.name || typeof e.file !== 'string' || !e.file) {
      throw new DataFormatError(`${source}: models[${i}] needs a non-empty "name" and "file"`);
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(e.file) || e.file.startsWith('/') || e.file.split('/').includes('..')) {
      // Models must come from this origin's models/ folder: the page makes no other requests.
      throw new DataFormatError(`${source}: models[${i}].file '${e.file}' must be a path inside the models folder`);
    }
    if (e.description !== undefined && typeof e.description !== 'string') {
      throw new DataFormatError(`${source}: models[${i}].description must be a string`);
    }
    return { name: e.name, file: e.file, ...(e.description ? { description: e.description } : {}) };
  });
}

/** The catalog at `url`; a missing file means no bundled models. */
export async function fetchCatalog(url: string): Promise<{ entries: CatalogEntry[]; baseUrl: string }> {
  const response = await fetch(url);
  if (response.status === 404) return { entries: [], baseUrl: url };
  if (!response.ok) throw new DataFormatError(`${url}: HTTP ${response.status} ${response.statusText}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch (err) {
    throw new DataFormatError(`${url}: not valid JSON (${(err as Error).message})`);
  }
  return { entries: parseCatalog(json, url), baseUrl: response.url || url };
}

export function catalogFileUrl(entry: CatalogEntry, baseUrl: string): string {
  return new URL(entry.file, new URL(baseUrl, globalThis.location?.href)).href;
}
