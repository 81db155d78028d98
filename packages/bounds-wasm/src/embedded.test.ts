import asc from 'assemblyscript/asc';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embeddedWasm } from './module.js';

const root = fileURLToPath(new URL('../', import.meta.url));

describe('embedded kernels', () => {
  it('are byte-identical to a fresh release compilation of assembly/ (run `pnpm build` after editing it)', async () => {
    const outputs = new Map<string, Uint8Array | string>();
    const { error, stderr } = await asc.main(
      [
        ...['assembly/index.ts', '--config', 'asconfig.json', '--target', 'release'],
        ...['--outFile', 'fresh.wasm', '--textFile', 'fresh.wat', '--baseDir', root],
      ],
      {
        stdout: asc.createMemoryStream(),
        stderr: asc.createMemoryStream(),
        writeFile: (name: string, contents: Uint8Array | string) => void outputs.set(name, contents),
      },
    );
    expect(error, stderr.toString()).toBeNull();
    const fresh = outputs.get('fresh.wasm');
    expect(fresh).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(embeddedWasm()).equals(Buffer.from(fresh as Uint8Array))).toBe(true);
    // The matrix product is vectorised (f64x2 with splatted operands) and nothing is imported but the optional abort.
    const wat = String(outputs.get('fresh.wat'));
    expect(wat).toMatch(/f64x2\.mul/);
    expect(wat).toMatch(/v128\.load64_splat/);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(embeddedWasm()));
    expect(imports.every((i) => i.module === 'env' && i.name === 'abort')).toBe(true);
  });
});
