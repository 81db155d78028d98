#!/usr/bin/env node
/**
 * Copies minmax's own trained networks from the repository's models/ folder into public/models/
 * and writes public/models/models.json, the list the page offers (src/model/catalog.ts). Only
 * the files that exist are listed: training writes them one after another, and a checkout without
 * any still builds a page (the user can drop their own .onnx).
 *
 * It also copies the repository's docs/results.json (`minmax reproduce`'s figures) to
 * public/results.json for the results panel, and removes an earlier copy once the source is gone.
 *
 * Descriptions come from the training record minmax stores in each file's metadata_props
 * ('minmax.train.*', core's train/metadata.ts); a file without one gets a fixed sentence.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_MODELS_DIR = resolve(here, '../../../models');
export const DEFAULT_OUT_DIR = resolve(here, '../public/models');
export const DEFAULT_RESULTS_FILE = resolve(here, '../../../docs/results.json');
export const DEFAULT_RESULTS_OUT = resolve(here, '../public/results.json');

/** The networks the page bundles, in the order it lists them (the first opens on start). */
export const BUNDLED_MODELS = [
  { file: 'mlp.onnx', name: 'MLP (standard)' },
  { file: 'cnn.onnx', name: 'ConvNet (standard)' },
  { file: 'cnn-pgd.onnx', name: 'ConvNet (PGD-trained)' },
  { file: 'cnn-ibp.onnx', name: 'ConvNet (IBP-trained)' },
  { file: 'cnn-fgsm-rs.onnx', name: 'ConvNet (fast FGSM)' },
];

const FALLBACK_DESCRIPTION = 'Trained by minmax on MNIST; the file carries no training record.';
const METADATA_PREFIX = 'minmax.train.';

/** Reads a protobuf varint at `pos`; returns [value, next position]. */
function varint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++];
    // Lengths in a model file stay far below 2^53; multiplication keeps them exact past 2^31.
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** Calls visit(field, wireType, payload) for each field of one message; skips what it is not given. */
function fields(buf, visit) {
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = varint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) [, pos] = varint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      let len;
      [len, pos] = varint(buf, pos);
      if (pos + len > buf.length) throw new Error('truncated field');
      visit(field, buf.subarray(pos, pos + len));
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

/**
 * ModelProto.metadata_props (field 14: StringStringEntryProto key = 1, value = 2) as an object.
 * Reads the top level only, so the weights are skipped, not decoded.
 */
export function readOnnxMetadata(bytes) {
  const decoder = new TextDecoder();
  const out = {};
  fields(bytes, (field, payload) => {
    if (field !== 14) return;
    let key = '';
    let value = '';
    fields(payload, (f, p) => {
      if (f === 1) key = decoder.decode(p);
      else if (f === 2) value = decoder.decode(p);
    });
    if (key) out[key] = value;
  });
  return out;
}

const METHOD_NAMES = {
  standard: 'Standard training',
  pgd: 'PGD adversarial training',
  'fgsm-rs': 'Fast FGSM training (random start)',
  ibp: 'IBP training',
  'crown-ibp': 'CROWN-IBP training',
  'linear-robust': 'Robust linear training',
};

const percent = (v) => `${(100 * v).toFixed(v < 0.1 ? 2 : 1)}%`;

/** One line from minmax's training record, e.g. "Standard training, 10 epochs · test error 2.71% · PGD error 98.1% at ε=0.1". */
export function describeTraining(metadata) {
  const get = (k) => metadata[`${METADATA_PREFIX}${k}`];
  const method = get('method');
  if (!method) return FALLBACK_DESCRIPTION;
  const parts = [];
  const epochs = Number(get('epochs'));
  parts.push(`${METHOD_NAMES[method] ?? `${method} training`}${Number.isFinite(epochs) && epochs > 0 ? `, ${epochs} epoch${epochs === 1 ? '' : 's'}` : ''}`);
  let final;
  try {
    final = JSON.parse(get('final') ?? 'null');
  } catch {
    final = null;
  }
  if (final && typeof final.testError === 'number') parts.push(`test error ${percent(final.testError)}`);
  if (final && typeof final.robustError === 'number') {
    const kind = { pgd: 'PGD', certified: 'certified', exact: 'verified' }[final.robustKind] ?? 'robust';
    const eps = get('eps');
    parts.push(`${kind} error ${percent(final.robustError)}${eps ? ` at ε=${eps}` : ''}`);
  }
  return parts.join(' · ');
}

/** Writes `bytes` unless the file already holds them (keeps dev-server restarts quiet). */
function writeIfChanged(file, bytes) {
  if (existsSync(file) && statSync(file).size === bytes.length && readFileSync(file).equals(bytes)) return;
  writeFileSync(file, bytes);
}

/** What public/results.json says while the reproduction has not been run (the panel explains). */
export const NOT_RUN = '{ "notRun": true }\n';

/**
 * Copies `resultsFile` (docs/results.json) to `outFile` (public/results.json) when it exists, else
 * writes the NOT_RUN marker (a missing file would cost a 404, logged as an error in the console).
 * Returns whether it copied. Not parsed here: the panel checks the content and reports a damaged file.
 */
export function bundleResults({ resultsFile = DEFAULT_RESULTS_FILE, outFile = DEFAULT_RESULTS_OUT } = {}) {
  if (!existsSync(resultsFile)) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeIfChanged(outFile, Buffer.from(NOT_RUN));
    return false;
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeIfChanged(outFile, readFileSync(resultsFile));
  return true;
}

/**
 * Copies the bundled models that exist, drops earlier copies whose source is gone (a model
 * listed must be the one in models/), writes models.json, and bundles results.json (bundleResults:
 * docs/ beside models/, the copy beside outDir). Returns the catalog entries written.
 */
export function bundleModels({ modelsDir = DEFAULT_MODELS_DIR, outDir = DEFAULT_OUT_DIR } = {}) {
  bundleResults({ resultsFile: join(modelsDir, '..', 'docs', 'results.json'), outFile: join(outDir, '..', 'results.json') });
  mkdirSync(outDir, { recursive: true });
  const entries = [];
  for (const { file, name } of BUNDLED_MODELS) {
    const source = join(modelsDir, file);
    const target = join(outDir, file);
    if (!existsSync(source)) {
      rmSync(target, { force: true });
      continue;
    }
    const bytes = readFileSync(source);
    let description;
    try {
      description = describeTraining(readOnnxMetadata(bytes));
    } catch {
      description = FALLBACK_DESCRIPTION;
    }
    writeIfChanged(target, bytes);
    entries.push({ name, file, description });
  }
  writeIfChanged(join(outDir, 'models.json'), Buffer.from(`${JSON.stringify({ models: entries }, null, 2)}\n`));
  return entries;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entries = bundleModels();
  process.stdout.write(
    entries.length === 0
      ? `no trained models in ${DEFAULT_MODELS_DIR}; wrote an empty ${join(DEFAULT_OUT_DIR, 'models.json')}\n`
      : `bundled ${entries.map((e) => e.file).join(', ')} into ${DEFAULT_OUT_DIR}\n`,
  );
}
