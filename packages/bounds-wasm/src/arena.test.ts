import { describe, expect, it } from 'vitest';
import { WasmArena } from './arena.js';

describe('WasmArena', () => {
  it('allocates aligned, disjoint blocks above the heap base and grows memory only when needed', () => {
    const memory = new WebAssembly.Memory({ initial: 0 });
    const arena = new WasmArena(memory, 1000);
    const a = arena.alloc(10);
    const b = arena.alloc(70_000);
    const c = arena.alloc(24);
    expect(a).toBeGreaterThanOrEqual(1000);
    for (const p of [a, b, c]) expect(p % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    expect(c).toBeGreaterThanOrEqual(b + 70_000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(c + 24);
    expect(arena.stats().usedBytes).toBe(16 + 70_000 + 32);
    const grows = arena.stats().growCount;
    expect(grows).toBeLessThanOrEqual(3);
    // Reuse and coalescing: after freeing a and b, one block of their combined size fits without growth.
    arena.release(a);
    arena.release(b);
    const d = arena.alloc(70_000 + 16);
    expect(d).toBe(a);
    expect(arena.stats().growCount).toBe(grows);
    arena.release(c);
    arena.release(d);
    expect(arena.stats().usedBytes).toBe(0);
    expect(() => arena.release(d)).toThrow(/not an allocated block/);
  });

  it('extends a free block at the end of memory instead of leaving a gap', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new WasmArena(memory, 0);
    const small = arena.alloc(100);
    const big = arena.alloc(3 * 65536);
    expect(big).toBe(small + 112);
    expect(memory.buffer.byteLength).toBe(4 * 65536);
    expect(arena.stats().growCount).toBe(1);
  });

  it('reports memory exhaustion as a typed error', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const arena = new WasmArena(memory, 0);
    expect(() => arena.alloc(5 * 65536)).toThrow(/cannot grow/);
  });
});
