/**
 * Execution providers minmax can ask ONNX Runtime for, and what to tell a user whose runtime lacks
 * one. The hints follow the onnxruntime-node README (1.30, "CUDA EP Installation"): the CUDA EP
 * binaries are not in the npm tarball; the package's install script downloads them (the
 * `--onnxruntime-node-install=cuda12` flag / `ONNXRUNTIME_NODE_INSTALL=cuda12` variable forces it),
 * and pnpm ≥10 skips that script unless the package is listed in `onlyBuiltDependencies`.
 */
export type Device = 'cpu' | 'cuda' | 'webgpu' | 'wasm';

export const DEVICES: readonly Device[] = ['cpu', 'cuda', 'webgpu', 'wasm'];

/** The ORT backend / execution-provider name for each device. */
export const EXECUTION_PROVIDER: Record<Device, string> = {
  cpu: 'cpu',
  cuda: 'cuda',
  webgpu: 'webgpu',
  wasm: 'wasm',
};

/**
 * What to install or change to get `device`. `isNode`: the ORT module is onnxruntime-node (it
 * exports listSupportedBackends; onnxruntime-web does not).
 */
export function installHint(device: Device, isNode: boolean): string {
  switch (device) {
    case 'cuda':
      return isNode
        ? 'the CUDA execution provider needs onnxruntime-node on Linux x64 with its CUDA 12 binaries, which are not bundled in the npm package: ' +
            'reinstall it with ONNXRUNTIME_NODE_INSTALL=cuda12 set (npm: `npm install onnxruntime-node --onnxruntime-node-install=cuda12`; ' +
            'pnpm: add onnxruntime-node to onlyBuiltDependencies, then `ONNXRUNTIME_NODE_INSTALL=cuda12 pnpm rebuild onnxruntime-node`), ' +
            'and install the NVIDIA driver, CUDA 12 and cuDNN 9 runtime libraries'
        : "CUDA is only available through onnxruntime-node on Linux x64; in a browser use device 'webgpu' or 'wasm'";
    case 'webgpu':
      return isNode
        ? "WebGPU needs a GPU adapter (Vulkan, Metal or D3D12) visible to onnxruntime-node, which ships WebGPU on Windows, macOS and Linux x64; use device 'cpu' otherwise"
        : "WebGPU needs a browser with WebGPU enabled (navigator.gpu) and a GPU adapter, and the onnxruntime-web bundle that includes it; use device 'wasm' otherwise";
    case 'wasm':
      return isNode
        ? "the wasm backend belongs to onnxruntime-web; with onnxruntime-node use device 'cpu'"
        : "onnxruntime-web could not load its WebAssembly files: serve the package's dist/*.wasm and point ort.env.wasm.wasmPaths at them";
    case 'cpu':
      return isNode
        ? 'onnxruntime-node could not load its bundled CPU binaries: reinstall onnxruntime-node for this platform'
        : "onnxruntime-web could not load its WebAssembly files: serve the package's dist/*.wasm and point ort.env.wasm.wasmPaths at them";
  }
}

/** Whether an ORT error message is about the execution provider rather than the model. */
export function isProviderFailure(message: string): boolean {
  return /execution ?provider|shared library|backend not found|no available backend|adapter|cuda|cudnn|webgpu|wasm/i.test(message);
}
