/**
 * Execution providers the page can run a model on. WebGPU is preferred when the browser hands
 * out an adapter; WebAssembly (CPU) always works and is the fallback.
 */
export type Device = 'webgpu' | 'wasm';

export const DEVICE_LABELS: Record<Device, string> = { webgpu: 'WebGPU', wasm: 'WebAssembly (CPU)' };

export interface WebGpuProbe {
  available: boolean;
  /** Adapter vendor / architecture when available (e.g. 'google swiftshader'), else why not. */
  detail: string;
}

// Minimal structural view of the WebGPU API: the DOM lib of TypeScript 5.9 does not declare it.
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** Asks navigator.gpu (window or worker) for an adapter, the same way ORT's WebGPU backend will. */
export async function probeWebGpu(nav: unknown = globalThis.navigator): Promise<WebGpuProbe> {
  const gpu = (nav as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, detail: 'this browser does not expose navigator.gpu' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, detail: 'the browser offers no GPU adapter' };
    const info = adapter.info ?? {};
    const detail = [info.vendor, info.architecture, info.description].filter((s) => s).join(' ') || 'adapter';
    return { available: true, detail };
  } catch (err) {
    return { available: false, detail: `requesting an adapter failed (${(err as Error).message})` };
  }
}

export function defaultDevice(webgpu: WebGpuProbe): Device {
  return webgpu.available ? 'webgpu' : 'wasm';
}
