import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { parseInstancesCsv } from './instances.js';
import { parseVnnlib } from './parse.js';
import { robustnessProperty } from './property.js';
import { formatVnnlibResult, parseVnnlibResult } from './result.js';
import { VnnlibSyntaxError } from './sexpr.js';
import { writeVnnlib } from './write.js';

const dir = new URL('../../fixtures/vnnlib/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.vnnlib')).sort();
const read = (f: string): string => readFileSync(new URL(f, dir), 'utf8');

describe('VNNLIB parser', () => {
  it('reads the ACAS Xu-style property: input box and one conjunction of output constraints', () => {
    const p = parseVnnlib(read('acasxu_style_prop3.vnnlib'));
    expect(p.numInputs).toBe(5);
    expect(p.numOutputs).toBe(5);
    expect(p.cases).toHaveLength(1);
    const c = p.cases[0]!;
    expect(Array.from(c.inputLower)).toEqual([-0.303531156, -0.009549297, 0.493380324, 0.3, 0.3]);
    expect(Array.from(c.inputUpper)).toEqual([-0.298552812, 0.009549297, 0.5, 0.5, 0.5]);
    // Y_0 ≤ Y_j  ⇔  Y_0 − Y_j ≤ 0
    expect(c.output.map((r) => [Array.from(r.c), r.offset])).toEqual([1, 2, 3, 4].map((j) => [[1, ...[1, 2, 3, 4].map((k) => (k === j ? -1 : 0))], 0]));
  });

  it('brings disjunctions with their own input boxes and general linear terms to normal form', () => {
    const p = parseVnnlib(read('disjunctive_inputs.vnnlib'));
    expect(p.cases).toHaveLength(2);
    const [a, b] = p.cases as [(typeof p.cases)[0], (typeof p.cases)[0]];
    expect(Array.from(a.inputLower)).toEqual([-0.5, 0, -1e-3]);
    expect(Array.from(a.inputUpper)).toEqual([-0.25, 1, 0.25]);
    expect(a.output.map((r) => [Array.from(r.c), r.offset])).toEqual([[[1, -1, 0], 0.125]]);
    expect(Array.from(b.inputLower)).toEqual([0.25, 0.75, -1e-3]);
    expect(Array.from(b.inputUpper)).toEqual([0.5, 0.75, 0.25]);
    // 3 − (Y_0 − 2 Y_1 + 0.5 Y_2) ≤ 0 and Y_2 + 4 ≤ 0
    expect(b.output.map((r) => [Array.from(r.c), r.offset])).toEqual([
      [[-1, 2, -0.5], 3],
      [[0, 0, 1], 4],
    ]);
  });

  it('reads the robustness properties written for the tutorial model', () => {
    const p = parseVnnlib(read('mnist_small_img0_eps0.02.vnnlib'));
    expect(p.numInputs).toBe(784);
    expect(p.numOutputs).toBe(10);
    expect(p.cases).toHaveLength(9);
    expect(p.cases.every((c) => c.output.length === 1 && c.output[0]!.c[7] === 1)).toBe(true);
    for (const c of p.cases) for (let i = 0; i < 784; i++) expect(c.inputUpper[i]! - c.inputLower[i]!).toBeLessThanOrEqual(0.04 + 1e-12);
  });

  for (const f of fixtures) {
    it(`round-trips ${f}: parse(write(parse(file))) = parse(file), and writing is stable`, () => {
      const p = parseVnnlib(read(f), { file: f });
      const text = writeVnnlib(p);
      const q = parseVnnlib(text);
      expect(q).toEqual(p);
      expect(writeVnnlib(q)).toBe(text);
    });
  }

  it('writes what robustnessProperty describes, exactly', () => {
    const x = [0, 0.5, 1, 0.123456789];
    const p = robustnessProperty(x, 2, 0.1, 3, [0, 1]);
    expect(parseVnnlib(writeVnnlib(p))).toEqual(p);
    expect(Array.from(p.cases[0]!.inputLower)).toEqual([0, 0.4, 0.9, 0.123456789 - 0.1]);
  });

  const malformed: [string, string, number, number, RegExp][] = [
    ['unclosed parenthesis', '(declare-const X_0 Real)\n(assert (<= X_0 1)', 2, 1, /never closed/],
    ['stray closing parenthesis', '(declare-const X_0 Real))', 1, 25, /unexpected '\)'/],
    ['undeclared variable', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= Y_1 0))', 5, 13, /'Y_1' is not declared/],
    ['X and Y mixed', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n  (assert (<= X_0 Y_0))', 5, 11, /mixing inputs/],
    ['missing bound', '(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= X_1 1))', 2, 16, /X_1 has no lower bound/],
    ['wrong sort', '(declare-const X_0 Int)', 1, 20, /sort Real/],
    ['unsupported command', '(declare-const X_0 Real)\n(check-sat)', 2, 2, /unsupported command 'check-sat'/],
    ['nonlinear term', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= (* Y_0 Y_1) 0))', 6, 20, /not linear/],
    ['bad number', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1.2.3))', 3, 17, /expected a number or a variable, got '1.2.3'/],
    ['gap in indices', '(declare-const X_0 Real)\n(declare-const X_2 Real)', 2, 16, /X_2' is declared but X_1 is not/],
    ['scaled input bound', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= (* 2 X_0) 1))', 3, 9, /bounds on one input/],
    ['bad connective', '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (not (<= X_0 1)))', 3, 10, /unsupported connective 'not'/],
  ];
  for (const [what, text, line, column, message] of malformed) {
    it(`rejects a file with ${what} at line ${line}, column ${column}`, () => {
      let err: unknown;
      try {
        parseVnnlib(text, { file: 'bad.vnnlib' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VnnlibSyntaxError);
      expect(err).toBeInstanceOf(DataFormatError);
      const e = err as VnnlibSyntaxError;
      expect(e.message).toMatch(message);
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.message.startsWith(`bad.vnnlib:${line}:${column}: `)).toBe(true);
    });
  }
});

describe('VNN-COMP result files', () => {
  it('formats unsat / timeout / unknown as one word and sat with the witness, and reads them back', () => {
    expect(formatVnnlibResult({ verdict: 'unsat' })).toBe('unsat\n');
    expect(formatVnnlibResult({ verdict: 'timeout' })).toBe('timeout\n');
    const x = Float32Array.of(0.1, -2.5);
    const y = Float32Array.of(3.25, 1e-8, -7);
    const text = formatVnnlibResult({ verdict: 'sat', witness: { x, y } });
    expect(text).toBe(`sat\n((X_0 ${Number(x[0])})\n (X_1 -2.5)\n (Y_0 3.25)\n (Y_1 ${Number(y[1])})\n (Y_2 -7))\n`);
    const back = parseVnnlibResult(text);
    expect(back.verdict).toBe('sat');
    expect(Float32Array.from(back.witness!.x)).toEqual(x);
    expect(Float32Array.from(back.witness!.y)).toEqual(y);
    expect(parseVnnlibResult('holds\n').verdict).toBe('unsat');
    expect(() => parseVnnlibResult('maybe')).toThrow(DataFormatError);
  });
});

describe('instances CSV', () => {
  it('reads onnx,vnnlib,timeout lines and rejects malformed ones with the line number', () => {
    const rows = parseInstancesCsv('# comment\nnets/a.onnx,props/p1.vnnlib,60\n\nnets/a.onnx, props/p2.vnnlib ,30.5\n', 'i.csv');
    expect(rows).toEqual([
      { onnx: 'nets/a.onnx', vnnlib: 'props/p1.vnnlib', timeout: 60, line: 2 },
      { onnx: 'nets/a.onnx', vnnlib: 'props/p2.vnnlib', timeout: 30.5, line: 4 },
    ]);
    expect(() => parseInstancesCsv('a.onnx,b.vnnlib\n', 'i.csv')).toThrow(/i\.csv:1: expected 'onnx,vnnlib,timeout'/);
    expect(() => parseInstancesCsv('a.onnx,b.vnnlib,60\na.onnx,b.vnnlib,soon\n', 'i.csv')).toThrow(/i\.csv:2: timeout must be a positive number/);
  });
});
