/**
 * The allocator over the kernels' linear memory lives in core (`Arena`, shared with the plain-TS
 * engine's GrowableMemory); this name is kept for the package's public API.
 */
export { Arena as WasmArena, type ArenaStats } from '@minmax/core';
