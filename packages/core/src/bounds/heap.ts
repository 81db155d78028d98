/**
 * An engine's memory as the drivers see it: the kernels, the allocator over their linear memory,
 * and typed views re-made whenever growth replaced the underlying buffer (views must never be
 * held across an allocation).
 */
import { Arena, type ArenaStats } from './arena.js';
import type { BoundKernels } from './kernels.js';

export class Heap {
  readonly arena: Arena;
  private f64View: Float64Array;
  private i32View: Int32Array;

  constructor(readonly k: BoundKernels) {
    this.arena = new Arena(k.memory, k.heapBase());
    this.f64View = new Float64Array(k.memory.buffer);
    this.i32View = new Int32Array(k.memory.buffer);
  }

  get f64(): Float64Array {
    if (this.f64View.buffer !== this.k.memory.buffer) this.f64View = new Float64Array(this.k.memory.buffer);
    return this.f64View;
  }

  get i32(): Int32Array {
    if (this.i32View.buffer !== this.k.memory.buffer) this.i32View = new Int32Array(this.k.memory.buffer);
    return this.i32View;
  }

  alloc(bytes: number): number {
    return this.arena.alloc(bytes);
  }

  release(ptr: number): void {
    this.arena.release(ptr);
  }

  stats(): ArenaStats {
    return this.arena.stats();
  }
}

/** Carves one arena block into 16-byte aligned sub-buffers: reserve() while planning, then place(). */
export class BlockLayout {
  private offset = 0;

  /** Reserves `count` values of `bytesPer` bytes; returns the offset within the block. */
  reserve(count: number, bytesPer = 8): number {
    const at = this.offset;
    this.offset += Math.ceil((Math.max(count, 0) * bytesPer) / 16) * 16;
    return at;
  }

  get bytes(): number {
    return Math.max(this.offset, 16);
  }
}
