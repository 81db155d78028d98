/** Error → the sentence shown on the page (title) plus the technical detail under it. */
export interface UserMessage {
  title: string;
  detail: string;
}

const TITLES: Record<string, string> = {
  OnnxParseError: 'This file is not a valid ONNX model.',
  UnsupportedOpError: 'This model uses an operation minmax does not support.',
  ShapeError: 'This model does not take a 28×28 MNIST digit as input.',
  ExecutionProviderError: 'The selected execution provider could not run this model.',
  DataFormatError: 'A data file of the page is damaged.',
  WorkerError: 'The background worker stopped.',
};

export function toUserMessage(err: unknown, context?: string): UserMessage {
  const e = err instanceof Error ? err : new Error(String(err));
  const title = TITLES[e.name] ?? 'Something went wrong.';
  const detail = context ? `${context}: ${e.message}` : e.message;
  return { title, detail };
}
