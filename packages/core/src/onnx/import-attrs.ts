/**
 * Attribute access for the ONNX importer. Defaults follow the operator specs (onnx/docs/
 * Operators.md); a present attribute of the wrong type is a malformed model, not something to
 * guess around, so it raises OnnxParseError with the node's name.
 */
import { OnnxParseError, ShapeError } from '../errors.js';
import type { AttributeValue, NodeProto, TensorProto } from './types.js';

/** The name importer messages use for a node: its own name, else `<opType>#<index>`. */
export function nodeLabel(node: NodeProto, index: number): string {
  return node.name && node.name.length > 0 ? node.name : `${node.opType}#${index}`;
}

export class Attrs {
  constructor(
    private readonly node: NodeProto,
    private readonly label: string,
  ) {}

  has(name: string): boolean {
    return this.node.attribute.some((a) => a.name === name);
  }

  private get(name: string, type: AttributeValue['type']): AttributeValue | undefined {
    const a = this.node.attribute.find((x) => x.name === name);
    if (!a) return undefined;
    if (a.value.type !== type) {
      throw new OnnxParseError(
        `malformed ONNX: attribute '${name}' of ${this.node.opType} node '${this.label}' is ${a.value.type}, expected ${type}`,
      );
    }
    return a.value;
  }

  int(name: string, def: number): number {
    const v = this.get(name, 'int');
    return v && v.type === 'int' ? v.i : def;
  }

  intOpt(name: string): number | undefined {
    const v = this.get(name, 'int');
    return v && v.type === 'int' ? v.i : undefined;
  }

  float(name: string, def: number): number {
    const v = this.get(name, 'float');
    return v && v.type === 'float' ? v.f : def;
  }

  string(name: string, def: string): string {
    const v = this.get(name, 'string');
    return v && v.type === 'string' ? v.s : def;
  }

  ints(name: string): number[] | undefined {
    const v = this.get(name, 'ints');
    return v && v.type === 'ints' ? v.ints.slice() : undefined;
  }

  floats(name: string): number[] | undefined {
    const v = this.get(name, 'floats');
    return v && v.type === 'floats' ? v.floats.slice() : undefined;
  }

  tensor(name: string): TensorProto | undefined {
    const v = this.get(name, 'tensor');
    return v && v.type === 'tensor' ? v.t : undefined;
  }

  /** Names of all attributes present (for rejecting variants we do not model). */
  names(): string[] {
    return this.node.attribute.map((a) => a.name);
  }
}

/**
 * Resolves a 2-D Conv/Pool padding to explicit [top, left, bottom, right] pads, statically, as
 * the ONNX spec defines auto_pad: SAME_* pads so that out = ceil(in / stride), putting the odd
 * extra pixel at the end (SAME_UPPER) or the beginning (SAME_LOWER); VALID pads nothing.
 */
export function resolvePads(
  autoPad: string,
  explicit: number[] | undefined,
  inSpatial: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  where: string,
): [number, number, number, number] {
  switch (autoPad) {
    case 'NOTSET':
    case '': {
      const p = explicit ?? [0, 0, 0, 0];
      if (p.length !== 4) throw new ShapeError(`${where}: pads has ${p.length} entries, a 2-D op needs 4`);
      if (p.some((v) => v < 0)) throw new ShapeError(`${where}: negative pads [${p.join(', ')}] are not supported`);
      return [p[0], p[1], p[2], p[3]];
    }
    case 'VALID':
      return [0, 0, 0, 0];
    case 'SAME_UPPER':
    case 'SAME_LOWER': {
      const begin: number[] = [];
      const end: number[] = [];
      for (let d = 0; d < 2; d++) {
        const out = Math.ceil(inSpatial[d] / strides[d]);
        const total = Math.max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - inSpatial[d], 0);
        const small = Math.floor(total / 2);
        const big = total - small;
        begin.push(autoPad === 'SAME_UPPER' ? small : big);
        end.push(autoPad === 'SAME_UPPER' ? big : small);
      }
      return [begin[0], begin[1], end[0], end[1]];
    }
    default:
      throw new OnnxParseError(`malformed ONNX: ${where}: unknown auto_pad '${autoPad}'`);
  }
}
