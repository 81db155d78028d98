/**
 * A linear memory for the plain-TS engine with the growth semantics of WebAssembly.Memory (64 KiB
 * pages, contents kept, the old ArrayBuffer replaced), so the reference kernels and the shared
 * drivers address it exactly as they address the WebAssembly engine's memory.
 */
import { InvalidArgumentError } from '../errors.js';
import type { KernelMemory } from './kernels.js';

const PAGE = 65536;
/** 4 GiB − 64 KiB: the largest memory wasm32 can address, kept as the limit for parity. */
const MAX_PAGES = 65535;

export class GrowableMemory implements KernelMemory {
  private current: ArrayBuffer;

  constructor(initialPages = 1) {
    this.current = new ArrayBuffer(initialPages * PAGE);
  }

  get buffer(): ArrayBuffer {
    return this.current;
  }

  grow(pages: number): number {
    const old = this.current.byteLength / PAGE;
    if (!Number.isSafeInteger(pages) || pages < 0 || old + pages > MAX_PAGES) {
      throw new RangeError(`cannot grow memory of ${old} pages by ${pages} pages (limit ${MAX_PAGES})`);
    }
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer((old + pages) * PAGE);
    } catch (e) {
      throw new InvalidArgumentError(`cannot allocate ${((old + pages) * PAGE) / 2 ** 20} MiB: ${(e as Error).message}`);
    }
    new Uint8Array(next).set(new Uint8Array(this.current));
    this.current = next;
    return old;
  }
}
