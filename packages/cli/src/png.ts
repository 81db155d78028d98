import { writeFileSync, renameSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Raster } from '@minmax/core';

/** Writes a raster as PNG atomically (write-then-rename), so a killed run never leaves half a file. */
export function writePng(file: string, raster: Raster): void {
  const png = new PNG({ width: raster.width, height: raster.height });
  png.data = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, PNG.sync.write(png));
  renameSync(tmp, file);
}
