/**
 * Allocator over an engine's linear memory (a WebAssembly.Memory, or the reference engine's
 * GrowableMemory): first fit over an address-ordered free list with coalescing, growing the
 * memory only when no free block fits. Prepared networks take one block each, so the memory grows
 * at most once per network and a disposed network's block is reused. (Linear memory can never
 * shrink; dropping the engine releases it to the garbage collector.)
 */
import { InvalidArgumentError } from '../errors.js';
import type { KernelMemory } from './kernels.js';

const PAGE = 65536;
const ALIGN = 16;

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

interface Block {
  start: number;
  size: number;
}

export interface ArenaStats {
  /** Bytes of linear memory. */
  capacityBytes: number;
  /** Bytes in live blocks. */
  usedBytes: number;
  /** How many times the memory was grown. */
  growCount: number;
}

export class Arena {
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();
  private grows = 0;
  /** End of the address range handed to the free list so far (≥ the heap base). */
  private top: number;

  constructor(
    private readonly memory: KernelMemory,
    base: number,
  ) {
    const start = alignUp(Math.max(base, ALIGN), ALIGN);
    const end = memory.buffer.byteLength;
    if (end > start) this.free.push({ start, size: end - start });
    this.top = Math.max(start, end);
  }

  /** A 16-byte aligned block of at least `bytes` bytes. */
  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, ALIGN), ALIGN);
    let i = this.free.findIndex((b) => b.size >= size);
    if (i < 0) {
      this.grow(size);
      i = this.free.findIndex((b) => b.size >= size);
    }
    const block = this.free[i]!;
    const ptr = block.start;
    if (block.size === size) this.free.splice(i, 1);
    else {
      block.start += size;
      block.size -= size;
    }
    this.used.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new InvalidArgumentError(`Arena: address ${ptr} is not an allocated block`);
    this.used.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i]!.start < ptr) i++;
    this.free.splice(i, 0, { start: ptr, size });
    // Coalesce with the following, then the preceding block.
    const next = this.free[i + 1];
    if (next && ptr + size === next.start) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.start + prev.size === ptr) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
    }
  }

  stats(): ArenaStats {
    let usedBytes = 0;
    for (const s of this.used.values()) usedBytes += s;
    return { capacityBytes: this.memory.buffer.byteLength, usedBytes, growCount: this.grows };
  }

  /** Grows the memory so that a free block of `size` bytes exists at its end. */
  private grow(size: number): void {
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.start + last.size === end ? last.size : 0;
    const needEnd = (tail > 0 ? last!.start : Math.max(this.top, end)) + size;
    const pages = Math.ceil((needEnd - end) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new InvalidArgumentError(
        `engine memory cannot grow by ${pages} pages (${((pages * PAGE) / 2 ** 20).toFixed(1)} MiB) beyond ${(end / 2 ** 20).toFixed(1)} MiB: ` +
          `${e instanceof Error ? e.message : String(e)}; use a smaller maxBatch`,
      );
    }
    this.grows++;
    const newEnd = this.memory.buffer.byteLength;
    if (tail > 0) last!.size += newEnd - end;
    else {
      const start = Math.max(this.top, end);
      this.free.push({ start, size: newEnd - start });
    }
    this.top = newEnd;
  }
}
