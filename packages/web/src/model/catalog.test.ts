import { describe, expect, it } from 'vitest';
import { DataFormatError } from '@minmax/core';
import { catalogFileUrl, parseCatalog } from './catalog.js';

describe('models.json', () => {
  it('accepts an empty list and well-formed entries', () => {
    expect(parseCatalog({ models: [] })).toEqual([]);
    expect(parseCatalog({ models: [{ name: 'PGD-trained CNN', file: 'cnn-pgd.onnx', description: 'ε = 0.1' }] })).toEqual([
      { name: 'PGD-trained CNN', file: 'cnn-pgd.onnx', description: 'ε = 0.1' },
    ]);
  });

  it('rejects malformed lists with the position of the bad entry', () => {
    expect(() => parseCatalog([])).toThrow(DataFormatError);
    expect(() => parseCatalog({ models: [{ name: 'a', file: 'a.onnx' }, { name: 'b' }] })).toThrow(/models\[1\] needs/);
    expect(() => parseCatalog({ models: [{ name: 'a', file: 'a.onnx', description: 3 }] })).toThrow(/description/);
  });

  it('only allows files inside the models folder, so the page never leaves its origin', () => {
    for (const file of ['https://example.com/m.onnx', '//cdn.example.com/m.onnx', '/abs.onnx', '../secret.onnx', 'data:application/octet-stream,']) {
      expect(() => parseCatalog({ models: [{ name: 'x', file }] })).toThrow(/must be a path inside the models folder/);
    }
  });

  it('resolves entries against the catalog URL', () => {
    const url = catalogFileUrl({ name: 'x', file: 'sub/cnn.onnx' }, 'http://127.0.0.1:4173/app/models/models.json');
    expect(url).toBe('http://127.0.0.1:4173/app/models/sub/cnn.onnx');
  });
});
