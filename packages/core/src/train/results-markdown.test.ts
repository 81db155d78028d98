import { describe, expect, it } from 'vitest';
import { LINEAR_TARGETS, REPRODUCTION_TARGETS, acceptance } from './reproduce.js';
import { resultsMarkdown } from './results-markdown.js';

describe('docs/results.md', () => {
  it('puts minmax beside the tutorial, marks the acceptance bounds and missing models', () => {
    const [mlp, cnn, , ibp] = REPRODUCTION_TARGETS;
    const md = resultsMarkdown({
      rows: [
        { target: mlp, file: 'models/mlp.onnx', figures: { clean: 0.0271, fgsm: 0.9268, pgd: 0.9641, certified: 1, n: 10000, seconds: 3 } },
        { target: cnn, file: 'models/cnn.onnx', missing: 'missing' },
        { target: ibp, file: 'models/cnn-ibp.onnx', figures: { clean: 0.07, fgsm: 0.08, pgd: 0.09, certified: 0.1, n: 10000, seconds: 9 } },
      ],
      linear: [{ target: LINEAR_TARGETS[1], file: 'models/linear-robust.onnx', figures: { clean: 0.0038, attacked: 0.0246, n: 2115 } }],
      quick: false,
      device: 'cpu',
      threads: 2,
      command: 'minmax reproduce',
      generatedAt: '2026-01-01',
    });
    expect(md).toContain('| `mlp` | 10,000 | 2.71% / 2.85% (≤ 3.0% ✓) | 92.68% / 92.59% | 96.41% / 96.37% | 100.00% / 100.00% | model_dnn_2 |');
    expect(md).toContain('| `cnn` | missing |');
    expect(md).toContain('7.00% / 5.15% (≤ 6.0% ✗)');
    expect(md).toContain('10.00% / 9.67% (≤ 10.5% ✓)');
    expect(md).toContain('| `linear-robust` | 2,115 | 0.380% / 0.378% | 2.46% / 2.51% | ≤ 3% ✓ |');
    expect(md).toContain('minmax reproduce --train');
  });

  it('acceptance compares each bounded figure', () => {
    const pgd = REPRODUCTION_TARGETS.find((t) => t.model === 'cnn-pgd')!;
    expect(acceptance(pgd, { clean: 0.011, pgd: 0.036, fgsm: 0.5 })).toEqual({ clean: true, pgd: false });
  });
});
