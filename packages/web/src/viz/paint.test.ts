import { describe, expect, it } from 'vitest';
import { diverging } from '@minmax/core';
import { colormapGradient } from './paint.js';

describe('colour map legend', () => {
  it("samples core's diverging map from −limit (blue) through 0 (white) to +limit (red)", () => {
    const css = colormapGradient(diverging(0.1), 0.1, 3);
    expect(css).toBe('linear-gradient(to right, rgb(0, 0, 255), rgb(255, 255, 255), rgb(255, 0, 0))');
    expect(colormapGradient(diverging(2), 2).match(/rgb\(/g)).toHaveLength(9);
  });
});
