/**
 * A minimal protobuf reader for the top level of an ONNX ModelProto: enough to read the producer and the
 * metadata_props (where Ultralytics stores task/imgsz/names...) without loading the graph.
 * Field numbers from onnx.proto: ir_version=1, producer_name=2, producer_version=3, domain=4, model_version=5,
 * doc_string=6, graph=7, opset_import=8, metadata_props=14 (StringStringEntryProto: key=1, value=2).
 */

export class OnnxParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxParseError';
  }
}

export interface OnnxModelMetadata {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  /** metadata_props as a map (a repeated key keeps its last value, like protobuf map semantics). */
  metadata: Record<string, string>;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const decoder = new TextDecoder('utf-8');

/** Cursor over a protobuf message. Lengths are JS numbers: fine below 2^53 bytes. */
class ProtoReader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxParseError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new OnnxParseError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) throw new OnnxParseError(`invalid field number 0 at byte ${this.pos}`);
    return [field, t % 8];
  }

  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new OnnxParseError(`field of ${len} bytes at byte ${start} runs past the end (${this.end})`);
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [s, e] = this.bytes();
    return decoder.decode(this.buf.subarray(s, e));
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // 3/4 are the deprecated groups, which ONNX never uses; 6/7 do not exist.
        throw new OnnxParseError(`unsupported protobuf wire type ${wire} at byte ${this.pos}`);
    }
  }

  sub(): ProtoReader {
    const [s, e] = this.bytes();
    return new ProtoReader(this.buf, s, e);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new OnnxParseError(`truncated fixed-width field at byte ${this.pos}`);
    this.pos += n;
  }
}

function expectWire(field: string, got: number, want: number): void {
  if (got !== want) throw new OnnxParseError(`ModelProto.${field} has wire type ${got}, expected ${want}`);
}

/**
 * Read producer and metadata_props of an ONNX model. Skips every other field by wire type (the graph is a
 * single length-delimited field, so this is O(top-level fields)). Throws OnnxParseError on malformed bytes.
 */
export function parseOnnxModelMetadata(bytes: Uint8Array): OnnxModelMetadata {
  const r = new ProtoReader(bytes, 0, bytes.length);
  const result: OnnxModelMetadata = { metadata: {} };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) {
      result.irVersion = r.varint();
    } else if (field === 2) {
      expectWire('producer_name', wire, WIRE_LEN);
      result.producerName = r.string();
    } else if (field === 3) {
      expectWire('producer_version', wire, WIRE_LEN);
      result.producerVersion = r.string();
    } else if (field === 14) {
      expectWire('metadata_props', wire, WIRE_LEN);
      const entry = r.sub();
      let key = '';
      let value = '';
      while (!entry.done) {
        const [f, w] = entry.tag();
        if (f === 1 && w === WIRE_LEN) key = entry.string();
        else if (f === 2 && w === WIRE_LEN) value = entry.string();
        else entry.skip(w);
      }
      // defineProperty: a key such as `__proto__` stays an ordinary own property.
      Object.defineProperty(result.metadata, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      r.skip(wire);
    }
  }
  return result;
}
