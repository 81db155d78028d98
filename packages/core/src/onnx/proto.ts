/**
 * ONNX protobuf wire format (onnx.proto3, the fields listed in `types.ts`) without a protobuf
 * runtime: the schema subset is small and a direct codec keeps core dependency-free and the
 * large initializers zero-parse (raw_data is copied once into an aligned typed array).
 * Unknown fields are skipped on decode, as protobuf requires for forward compatibility.
 */
import { OnnxParseError } from '../errors.js';
import {
  DataType,
  type AttributeProto,
  type AttributeValue,
  type Dim,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './types.js';

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Decoding

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    readonly what: string,
  ) {
    this.pos = start;
  }

  fail(msg: string): never {
    throw new OnnxParseError(`malformed ONNX (${this.what}, byte ${this.pos}): ${msg}`);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Varint as a JS number; exact for |v| < 2^53, which covers every dim, attribute and enum ONNX uses. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    // Bits 0..27 go to lo directly; the 5th byte straddles lo/hi.
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      b = this.buf[this.pos++];
      lo |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) return lo >>> 0;
    }
    if (this.pos >= this.end) this.fail('truncated varint');
    b = this.buf[this.pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return hi * 4294967296 + (lo >>> 0);
    shift = 3;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      b = this.buf[this.pos++];
      hi |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        // Two's complement int64: the high word's sign bit makes it negative.
        return (hi | 0) * 4294967296 + (lo >>> 0);
      }
    }
    this.fail('varint longer than 10 bytes');
  }

  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    this.fail('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) this.fail(`length ${len} runs past the end of the message`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  sub(what: string): Reader {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) this.fail(`${what}: length ${len} runs past the end of the message`);
    const r = new Reader(this.buf, this.pos, this.pos + len, what);
    this.pos += len;
    return r;
  }

  string(): string {
    return utf8Decoder.decode(this.bytes());
  }

  float32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated float');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        this.fail(`unknown wire type ${wire}`);
    }
    if (this.pos > this.end) this.fail('truncated field');
  }

  tag(): [field: number, wire: number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) this.fail('field number 0');
    return [field, t & 7];
  }

  /** A repeated scalar field, packed (LEN) or not. */
  repeated(wire: number, one: () => number, out: number[]): void {
    if (wire === WIRE_LEN) {
      const r = this.sub('packed field');
      const saved = this.pos;
      while (!r.done) out.push(one.call(r));
      this.pos = saved;
    } else {
      out.push(one.call(this));
    }
  }
}

function expectWire(r: Reader, wire: number, expected: number, field: string): void {
  if (wire !== expected) r.fail(`field '${field}' has wire type ${wire}, expected ${expected}`);
}

function copyAligned(src: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(src.byteLength);
  out.set(src);
  return out.buffer;
}

function product(dims: number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

function decodeTensor(r: Reader): TensorProto {
  const dims: number[] = [];
  let dataType: number = DataType.UNDEFINED;
  let name: string | undefined;
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const int32s: number[] = [];
  const doubles: number[] = [];
  let int64s: bigint[] | undefined;
  let external = false;
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        r.repeated(wire, r.varint, dims);
        break;
      case 2:
        expectWire(r, wire, WIRE_VARINT, 'data_type');
        dataType = r.varint();
        break;
      case 4:
        r.repeated(wire, r.float32, floats);
        break;
      case 5:
        r.repeated(wire, r.varint, int32s);
        break;
      case 7: {
        int64s ??= [];
        if (wire === WIRE_LEN) {
          const s = r.sub('int64_data');
          while (!s.done) int64s.push(s.varint64());
        } else int64s.push(r.varint64());
        break;
      }
      case 8:
        expectWire(r, wire, WIRE_LEN, 'name');
        name = r.string();
        break;
      case 9:
        expectWire(r, wire, WIRE_LEN, 'raw_data');
        raw = r.bytes();
        break;
      case 10: {
        if (wire === WIRE_LEN) {
          const s = r.sub('double_data');
          if ((s.end - s.pos) % 8 !== 0) s.fail('double_data length not a multiple of 8');
          const dv = new DataView(s.buf.buffer, s.buf.byteOffset + s.pos, s.end - s.pos);
          for (let i = 0; i < dv.byteLength; i += 8) doubles.push(dv.getFloat64(i, true));
        } else {
          expectWire(r, wire, WIRE_I64, 'double_data');
          const dv = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8);
          doubles.push(dv.getFloat64(0, true));
          r.pos += 8;
        }
        break;
      }
      case 14:
        external = r.varint() === 1;
        break;
      default:
        r.skip(wire);
    }
  }
  const label = name ?? '<unnamed>';
  if (external) throw new OnnxParseError(`tensor '${label}' uses external data, which minmax does not load; re-export with the weights inside the file`);
  const count = product(dims);
  let data: TensorProto['data'];
  const bad = (have: number) => {
    throw new OnnxParseError(`tensor '${label}' has ${have} elements but dims [${dims.join(', ')}] need ${count}`);
  };
  switch (dataType) {
    case DataType.FLOAT:
      if (raw) {
        if (raw.byteLength !== count * 4) bad(raw.byteLength / 4);
        data = new Float32Array(copyAligned(raw));
      } else {
        if (floats.length !== count) bad(floats.length);
        data = Float32Array.from(floats);
      }
      break;
    case DataType.DOUBLE:
      if (raw) {
        if (raw.byteLength !== count * 8) bad(raw.byteLength / 8);
        data = new Float64Array(copyAligned(raw));
      } else {
        if (doubles.length !== count) bad(doubles.length);
        data = Float64Array.from(doubles);
      }
      break;
    case DataType.INT64:
      if (raw) {
        if (raw.byteLength !== count * 8) bad(raw.byteLength / 8);
        data = new BigInt64Array(copyAligned(raw));
      } else {
        const v = int64s ?? [];
        if (v.length !== count) bad(v.length);
        data = BigInt64Array.from(v);
      }
      break;
    case DataType.INT32:
      if (raw) {
        if (raw.byteLength !== count * 4) bad(raw.byteLength / 4);
        data = new Int32Array(copyAligned(raw));
      } else {
        if (int32s.length !== count) bad(int32s.length);
        data = Int32Array.from(int32s);
      }
      break;
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
      if (raw) {
        if (raw.byteLength !== count) bad(raw.byteLength);
        data = dataType === DataType.INT8 ? Int32Array.from(new Int8Array(copyAligned(raw))) : Int32Array.from(raw);
      } else {
        if (int32s.length !== count) bad(int32s.length);
        data = Int32Array.from(int32s);
      }
      break;
    default:
      throw new OnnxParseError(`tensor '${label}' has element type ${dataType}, which minmax does not support (float32, float64, int64, int32, int8, uint8, bool)`);
  }
  const t: TensorProto = { dims, dataType, data };
  if (name !== undefined) t.name = name;
  return t;
}

function decodeAttribute(r: Reader): AttributeProto {
  let name = '';
  let type = 0;
  let f: number | undefined;
  let i: number | undefined;
  let s: Uint8Array | undefined;
  let t: TensorProto | undefined;
  let g: Uint8Array | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: string[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        name = r.string();
        break;
      case 2:
        expectWire(r, wire, WIRE_I32, 'f');
        f = r.float32();
        break;
      case 3:
        expectWire(r, wire, WIRE_VARINT, 'i');
        i = r.varint();
        break;
      case 4:
        s = r.bytes();
        break;
      case 5:
        t = decodeTensor(r.sub('attribute tensor'));
        break;
      case 6:
        g = r.bytes();
        break;
      case 7:
        r.repeated(wire, r.float32, floats);
        break;
      case 8:
        r.repeated(wire, r.varint, ints);
        break;
      case 9:
        strings.push(utf8Decoder.decode(r.bytes()));
        break;
      case 20:
        type = r.varint();
        break;
      default:
        r.skip(wire);
    }
  }
  let value: AttributeValue;
  // Old exporters omit `type`; infer it from whichever field is set.
  if (type === 0) {
    if (f !== undefined) type = 1;
    else if (i !== undefined) type = 2;
    else if (s !== undefined) type = 3;
    else if (t !== undefined) type = 4;
    else if (g !== undefined) type = 5;
    else if (floats.length) type = 6;
    else if (ints.length) type = 7;
    else if (strings.length) type = 8;
  }
  switch (type) {
    case 1:
      value = { type: 'float', f: f ?? 0 };
      break;
    case 2:
      value = { type: 'int', i: i ?? 0 };
      break;
    case 3:
      value = { type: 'string', s: s ? utf8Decoder.decode(s) : '' };
      break;
    case 4:
      if (!t) r.fail(`attribute '${name}' of type TENSOR has no tensor`);
      value = { type: 'tensor', t };
      break;
    case 5:
      value = { type: 'graph', raw: g ?? new Uint8Array() };
      break;
    case 6:
      value = { type: 'floats', floats };
      break;
    case 7:
      value = { type: 'ints', ints };
      break;
    case 8:
      value = { type: 'strings', strings };
      break;
    default:
      r.fail(`attribute '${name}' has unsupported type ${type}`);
  }
  return { name, value };
}

function decodeNode(r: Reader): NodeProto {
  const node: NodeProto = { input: [], output: [], opType: '', attribute: [] };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        node.input.push(r.string());
        break;
      case 2:
        node.output.push(r.string());
        break;
      case 3:
        node.name = r.string();
        break;
      case 4:
        node.opType = r.string();
        break;
      case 5:
        node.attribute.push(decodeAttribute(r.sub('attribute')));
        break;
      case 7:
        node.domain = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  if (!node.opType) throw new OnnxParseError(`malformed ONNX: node '${node.name ?? '?'}' has no op_type`);
  return node;
}

function decodeShape(r: Reader): Dim[] {
  const dims: Dim[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    const d = r.sub('dimension');
    let dim: Dim = '?';
    while (!d.done) {
      const [f2, w2] = d.tag();
      if (f2 === 1) dim = d.varint();
      else if (f2 === 2) dim = d.string();
      else d.skip(w2);
    }
    dims.push(dim);
  }
  return dims;
}

function decodeValueInfo(r: Reader): ValueInfoProto {
  const vi: ValueInfoProto = { name: '', elemType: 0 };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1) vi.name = r.string();
    else if (field === 2) {
      const tp = r.sub('type');
      while (!tp.done) {
        const [f2, w2] = tp.tag();
        if (f2 !== 1) {
          tp.skip(w2);
          continue;
        }
        const tt = tp.sub('tensor_type');
        while (!tt.done) {
          const [f3, w3] = tt.tag();
          if (f3 === 1) vi.elemType = tt.varint();
          else if (f3 === 2) vi.shape = decodeShape(tt.sub('shape'));
          else tt.skip(w3);
        }
      }
    } else r.skip(wire);
  }
  return vi;
}

function decodeGraph(r: Reader): GraphProto {
  const g: GraphProto = { name: '', node: [], initializer: [], input: [], output: [], valueInfo: [] };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        g.node.push(decodeNode(r.sub('node')));
        break;
      case 2:
        g.name = r.string();
        break;
      case 5:
        g.initializer.push(decodeTensor(r.sub('initializer')));
        break;
      case 11:
        g.input.push(decodeValueInfo(r.sub('graph input')));
        break;
      case 12:
        g.output.push(decodeValueInfo(r.sub('graph output')));
        break;
      case 13:
        g.valueInfo.push(decodeValueInfo(r.sub('value_info')));
        break;
      case 15:
        throw new OnnxParseError('malformed ONNX: sparse initializers are not supported');
      default:
        r.skip(wire);
    }
  }
  return g;
}

/** Decodes a binary ONNX ModelProto. Throws OnnxParseError on anything malformed. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new OnnxParseError('malformed ONNX: expected bytes');
  if (bytes.byteLength === 0) throw new OnnxParseError('malformed ONNX: the file is empty');
  const r = new Reader(bytes, 0, bytes.byteLength, 'model');
  const m: ModelProto = { irVersion: 0, opsetImport: [], graph: undefined as unknown as GraphProto, metadataProps: [] };
  let haveGraph = false;
  try {
    while (!r.done) {
      const [field, wire] = r.tag();
      switch (field) {
        case 1:
          expectWire(r, wire, WIRE_VARINT, 'ir_version');
          m.irVersion = r.varint();
          break;
        case 2:
          m.producerName = r.string();
          break;
        case 3:
          m.producerVersion = r.string();
          break;
        case 6:
          m.docString = r.string();
          break;
        case 7:
          expectWire(r, wire, WIRE_LEN, 'graph');
          m.graph = decodeGraph(r.sub('graph'));
          haveGraph = true;
          break;
        case 8: {
          const s = r.sub('opset_import');
          const op = { domain: '', version: 0 };
          while (!s.done) {
            const [f2, w2] = s.tag();
            if (f2 === 1) op.domain = s.string();
            else if (f2 === 2) op.version = s.varint();
            else s.skip(w2);
          }
          m.opsetImport.push(op);
          break;
        }
        case 14: {
          const s = r.sub('metadata_props');
          const kv = { key: '', value: '' };
          while (!s.done) {
            const [f2, w2] = s.tag();
            if (f2 === 1) kv.key = s.string();
            else if (f2 === 2) kv.value = s.string();
            else s.skip(w2);
          }
          m.metadataProps.push(kv);
          break;
        }
        default:
          r.skip(wire);
      }
    }
  } catch (e) {
    if (e instanceof OnnxParseError) throw e;
    throw new OnnxParseError(`malformed ONNX: ${(e as Error).message}`);
  }
  if (!haveGraph) throw new OnnxParseError('malformed ONNX: the model has no graph (is this an ONNX file?)');
  if (m.irVersion <= 0 || m.irVersion > 100) throw new OnnxParseError(`malformed ONNX: implausible ir_version ${m.irVersion} (is this an ONNX file?)`);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Encoding

class Writer {
  private buf = new Uint8Array(1024);
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  varint(v: number): void {
    if (v < 0 || !Number.isSafeInteger(v)) {
      this.varint64(BigInt(v));
      return;
    }
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  varint64(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.len++] = Number(u);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.len);
    this.len += b.byteLength;
  }

  string(field: number, s: string): void {
    this.bytes(field, utf8Encoder.encode(s));
  }

  intField(field: number, v: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, WIRE_I32);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, v, true);
    this.len += 4;
  }

  message(field: number, write: (w: Writer) => void): void {
    const w = new Writer();
    write(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

function tensorRawBytes(t: TensorProto): Uint8Array {
  const d = t.data;
  switch (t.dataType) {
    case DataType.FLOAT:
      return new Uint8Array(Float32Array.from(d as Float32Array).buffer);
    case DataType.DOUBLE:
      return new Uint8Array(Float64Array.from(d as Float64Array).buffer);
    case DataType.INT64:
      return new Uint8Array(BigInt64Array.from(d as BigInt64Array).buffer);
    case DataType.INT32:
      return new Uint8Array(Int32Array.from(d as Int32Array).buffer);
    case DataType.UINT8:
    case DataType.BOOL:
      return Uint8Array.from(d as Int32Array);
    case DataType.INT8:
      return new Uint8Array(Int8Array.from(d as Int32Array).buffer);
    default:
      throw new OnnxParseError(`cannot encode tensor '${t.name ?? ''}' of element type ${t.dataType}`);
  }
}

function checkTensorData(t: TensorProto): void {
  const expect: Record<number, string> = {
    [DataType.FLOAT]: 'Float32Array',
    [DataType.DOUBLE]: 'Float64Array',
    [DataType.INT64]: 'BigInt64Array',
    [DataType.INT32]: 'Int32Array',
    [DataType.UINT8]: 'Int32Array',
    [DataType.INT8]: 'Int32Array',
    [DataType.BOOL]: 'Int32Array',
  };
  const want = expect[t.dataType];
  const count = product(t.dims);
  if (want && t.data.constructor.name !== want && !(t.dataType === DataType.FLOAT && t.data instanceof Float64Array)) {
    throw new OnnxParseError(`tensor '${t.name ?? ''}': element type ${t.dataType} needs a ${want}, got ${t.data.constructor.name}`);
  }
  if (t.data.length !== count) {
    throw new OnnxParseError(`tensor '${t.name ?? ''}' has ${t.data.length} elements but dims [${t.dims.join(', ')}] need ${count}`);
  }
}

function writeTensor(w: Writer, t: TensorProto): void {
  checkTensorData(t);
  for (const d of t.dims) w.intField(1, d);
  w.intField(2, t.dataType);
  if (t.name !== undefined) w.string(8, t.name);
  w.bytes(9, tensorRawBytes(t));
}

function writeAttribute(w: Writer, a: AttributeProto): void {
  w.string(1, a.name);
  const v = a.value;
  switch (v.type) {
    case 'float':
      w.float(2, v.f);
      w.intField(20, 1);
      break;
    case 'int':
      w.intField(3, v.i);
      w.intField(20, 2);
      break;
    case 'string':
      w.string(4, v.s);
      w.intField(20, 3);
      break;
    case 'tensor':
      w.message(5, (m) => writeTensor(m, v.t));
      w.intField(20, 4);
      break;
    case 'graph':
      w.bytes(6, v.raw);
      w.intField(20, 5);
      break;
    case 'floats':
      for (const f of v.floats) w.float(7, f);
      w.intField(20, 6);
      break;
    case 'ints':
      for (const i of v.ints) w.intField(8, i);
      w.intField(20, 7);
      break;
    case 'strings':
      for (const s of v.strings) w.string(9, s);
      w.intField(20, 8);
      break;
  }
}

function writeNode(w: Writer, n: NodeProto): void {
  for (const i of n.input) w.string(1, i);
  for (const o of n.output) w.string(2, o);
  if (n.name !== undefined) w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attribute) w.message(5, (m) => writeAttribute(m, a));
  if (n.domain) w.string(7, n.domain);
}

function writeValueInfo(w: Writer, vi: ValueInfoProto): void {
  w.string(1, vi.name);
  w.message(2, (tp) =>
    tp.message(1, (tt) => {
      tt.intField(1, vi.elemType);
      if (vi.shape) {
        const shape = vi.shape;
        tt.message(2, (sh) => {
          for (const d of shape) {
            sh.message(1, (dm) => {
              if (typeof d === 'number') dm.intField(1, d);
              else dm.string(2, d);
            });
          }
        });
      }
    }),
  );
}

function writeGraph(w: Writer, g: GraphProto): void {
  for (const n of g.node) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializer) w.message(5, (m) => writeTensor(m, t));
  for (const vi of g.input) w.message(11, (m) => writeValueInfo(m, vi));
  for (const vi of g.output) w.message(12, (m) => writeValueInfo(m, vi));
  for (const vi of g.valueInfo) w.message(13, (m) => writeValueInfo(m, vi));
}

/** Encodes a ModelProto to the binary ONNX format (initializers as raw_data). */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new Writer();
  w.intField(1, model.irVersion);
  if (model.producerName !== undefined) w.string(2, model.producerName);
  if (model.producerVersion !== undefined) w.string(3, model.producerVersion);
  if (model.docString !== undefined) w.string(6, model.docString);
  w.message(7, (m) => writeGraph(m, model.graph));
  for (const op of model.opsetImport) {
    w.message(8, (m) => {
      if (op.domain) m.string(1, op.domain);
      m.intField(2, op.version);
    });
  }
  for (const kv of model.metadataProps) {
    w.message(14, (m) => {
      m.string(1, kv.key);
      m.string(2, kv.value);
    });
  }
  return w.finish().slice();
}
