/**
 * An image classifier over an ONNX model in onnxruntime-web: one session on one execution
 * provider, fed MNIST digits as x/255 floats in whatever layout the model's input declares.
 */
import type * as OrtWeb from 'onnxruntime-web';
import { InvalidArgumentError, ShapeError } from '@minmax/core';
import type { Device } from './device.js';

export type OrtModule = typeof OrtWeb;

export interface ClassifierInfo {
  inputName: string;
  outputName: string;
  /** Per-example input dims fed to the model (batch dim excluded), e.g. [1, 28, 28] or [784]. */
  inputDims: number[];
  /** True when the model accepts any batch size; otherwise digits are run one at a time. */
  dynamicBatch: boolean;
  /** Number of output classes, or null until the first run when the output shape is symbolic. */
  classes: number | null;
}

/** Reads the declared per-example input dims; symbolic or missing dims fall back to the image shape. */
export function resolveInput(
  meta: OrtWeb.InferenceSession.ValueMetadata,
  rows: number,
  cols: number,
): { dims: number[]; dynamicBatch: boolean } {
  const pixels = rows * cols;
  if (!meta.isTensor) throw new ShapeError(`model input '${meta.name}' is not a tensor`);
  if (meta.type !== 'float32') {
    throw new ShapeError(`model input '${meta.name}' has element type ${meta.type}; minmax feeds float32 images`);
  }
  const shape = meta.shape;
  if (shape.length === 0) return { dims: [1, rows, cols], dynamicBatch: true };
  const batch = shape[0];
  const dynamicBatch = typeof batch !== 'number' || batch <= 0;
  if (!dynamicBatch && batch !== 1) {
    throw new ShapeError(`model input '${meta.name}' has a fixed batch size of ${batch}; minmax needs 1 or a free batch dim`);
  }
  const rest = shape.slice(1);
  let dims: number[];
  if (rest.length === 1) dims = [pixels];
  else if (rest.length === 2) dims = [rows, cols];
  else if (rest.length === 3) dims = [1, rows, cols];
  else {
    throw new ShapeError(
      `model input '${meta.name}' has shape [${shape.join(', ')}]; a ${rows}×${cols} digit fits [N, ${pixels}], [N, ${rows}, ${cols}] or [N, 1, ${rows}, ${cols}]`,
    );
  }
  rest.forEach((d, i) => {
    if (typeof d === 'number' && d > 0 && d !== dims[i]) {
      throw new ShapeError(
        `model input '${meta.name}' has shape [${shape.join(', ')}], which does not take a ${rows}×${cols} digit (expected [N, ${dims.join(', ')}])`,
      );
    }
  });
  return { dims, dynamicBatch };
}

export class Classifier {
  private busy: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtWeb.InferenceSession,
    readonly device: Device,
    readonly info: ClassifierInfo,
  ) {}

  static async create(ort: OrtModule, model: Uint8Array, device: Device, rows = 28, cols = 28): Promise<Classifier> {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [device],
      graphOptimizationLevel: 'all',
    });
    try {
      if (session.inputNames.length !== 1) {
        throw new ShapeError(
          `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); a classifier takes exactly one image input`,
        );
      }
      const { dims, dynamicBatch } = resolveInput(session.inputMetadata[0], rows, cols);
      const out = session.outputMetadata[0];
      const last = out?.isTensor ? out.shape[out.shape.length - 1] : undefined;
      const classes = typeof last === 'number' && last > 0 ? last : null;
      const info: ClassifierInfo = {
        inputName: session.inputNames[0],
        outputName: session.outputNames[0],
        inputDims: dims,
        dynamicBatch,
        classes,
      };
      return new Classifier(ort, session, device, info);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /**
   * Logits for `count` images packed in `images` (count·rows·cols floats in [0,1]), returned as
   * [count, classes] row-major. Runs are serialised: ORT sessions do not take concurrent runs.
   */
  run(images: Float32Array, count: number): Promise<{ logits: Float32Array; classes: number }> {
    const next = this.busy.then(() => this.runNow(images, count));
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async runNow(images: Float32Array, count: number): Promise<{ logits: Float32Array; classes: number }> {
    if (this.disposed) throw new InvalidArgumentError('the model was unloaded');
    const size = this.info.inputDims.reduce((a, b) => a * b, 1);
    if (images.length !== count * size) {
      throw new ShapeError(`${images.length} input values for ${count} images of ${size} values each`);
    }
    const batch = this.info.dynamicBatch ? count : 1;
    const chunks: Float32Array[] = [];
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const input = new this.ort.Tensor('float32', images.subarray(start * size, (start + n) * size), [n, ...this.info.inputDims]);
      const outputs = await this.session.run({ [this.info.inputName]: input });
      const output = outputs[this.info.outputName];
      try {
        // getData() downloads GPU-resident outputs too (WebGPU EP may keep tensors on the GPU).
        const data = (await output.getData()) as Float32Array;
        if (!(data instanceof Float32Array)) {
          throw new ShapeError(`model output '${this.info.outputName}' is ${output.type}, expected float32 logits`);
        }
        if (data.length % n !== 0) throw new ShapeError(`model output of ${data.length} values for a batch of ${n}`);
        chunks.push(data.slice());
      } finally {
        for (const t of Object.values(outputs)) t.dispose();
      }
    }
    const logits = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      logits.set(c, offset);
      offset += c.length;
    }
    const classes = logits.length / count;
    if (this.info.classes !== null && classes !== this.info.classes) {
      throw new ShapeError(`model output has ${classes} values per image, its declared shape says ${this.info.classes}`);
    }
    return { logits, classes };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.busy;
    await this.session.release();
  }
}
