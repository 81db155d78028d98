/**
 * What minmax (not just ONNX Runtime) makes of a model: core's importer turns the ONNX graph into
 * its layer chain, or says in plain words why it cannot (an unsupported op, a malformed file).
 * Classification only needs ONNX Runtime; attacks and certificates need the import to succeed.
 */
import { importOnnx, MinmaxError, OnnxParseError, UnsupportedOpError, type Network } from '@minmax/core';

export type MinmaxSupport =
  | { supported: true; summary: string }
  | { supported: false; malformed: boolean; reason: string };

/** One line describing the layer chain, e.g. '4 conv, 2 dense, 5 relu'. */
export function summarizeNetwork(net: Network): string {
  const counts = new Map<string, number>();
  for (const layer of net.layers) counts.set(layer.kind, (counts.get(layer.kind) ?? 0) + 1);
  const order = ['conv', 'dense', 'relu', 'maxpool', 'avgpool', 'affine', 'flatten', 'reshape'];
  return order
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k}`)
    .join(', ');
}

export function checkMinmaxSupport(bytes: Uint8Array): MinmaxSupport {
  try {
    const net = importOnnx(bytes);
    return { supported: true, summary: summarizeNetwork(net) };
  } catch (err) {
    if (err instanceof OnnxParseError) return { supported: false, malformed: true, reason: err.message };
    if (err instanceof UnsupportedOpError || err instanceof MinmaxError) {
      return { supported: false, malformed: false, reason: err.message };
    }
    throw err;
  }
}
