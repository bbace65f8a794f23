// Test helper (excluded from the build): write tiny but real ONNX models, encoded by hand, whose output has the
// YOLO detect shape. The graph is one Reshape: images [B, 3, S, S] -> output0 [B, F, 3*S*S/F], so outputs are
// a deterministic function of the pixels. Used to exercise paths the shared model cannot (dynamic batch,
// metadata variants) with real onnxruntime sessions.
const enc = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const len = (field: number, payload: number[]) => [...tag(field, 2), ...varint(payload.length), ...payload];
const str = (field: number, s: string) => len(field, Array.from(enc.encode(s)));
const int = (field: number, n: number) => [...tag(field, 0), ...varint(n)];

type Dim = number | string;
const dim = (d: Dim) => len(1, typeof d === 'number' ? int(1, d) : str(2, d));
const valueInfo = (name: string, dims: Dim[]) =>
  // ValueInfoProto{name, type: TypeProto{tensor_type{elem_type: FLOAT, shape{dim...}}}}
  [...str(1, name), ...len(2, len(1, [...int(1, 1), ...len(2, dims.flatMap(dim))]))];

export interface TinyYoloOptions {
  /** Input side S (the input is [B, 3, S, S]). Default 8. */
  size?: number;
  /** Output features F = 4 + nc. Default 6 (2 classes). 3*S*S must be divisible by F. */
  features?: number;
  /** Batch dim: a symbol (dynamic) or a number. Default 'batch'. */
  batch?: Dim;
  /** Declared output shape (default [batch, F, N]); lets a test lie about it. */
  declaredOutput?: Dim[];
  /** metadata_props. */
  metadata?: Record<string, string>;
  /** Input [B, 3, 'h', 'w'] and Reshape to [0, F, -1]: runs only when 3*H*W is divisible by F. */
  symbolicSize?: boolean;
}

/** ModelProto bytes of the tiny Reshape model. */
export function tinyYoloOnnx(opts: TinyYoloOptions = {}): Uint8Array {
  const s = opts.size ?? 8;
  const f = opts.features ?? 6;
  const batch = opts.batch ?? 'batch';
  const total = 3 * s * s;
  if (!opts.symbolicSize && total % f !== 0) throw new Error(`3*${s}*${s} is not divisible by ${f}`);
  const n = opts.symbolicSize ? -1 : total / f;
  // Reshape target [0, F, N]: 0 copies the batch dimension. int64 -1 is a 10-byte two's-complement varint.
  const i64 = (v: number) => (v >= 0 ? varint(v) : [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  const shapeInit = [...int(1, 3), ...int(2, 7 /* INT64 */), ...str(8, 'shape'), ...len(7, [0, f, n].flatMap(i64))];
  const node = [...str(1, 'images'), ...str(1, 'shape'), ...str(2, 'output0'), ...str(3, 'reshape'), ...str(4, 'Reshape')];
  const graph = [
    ...len(1, node),
    ...str(2, 'tiny-yolo'),
    ...len(5, shapeInit),
    ...len(11, valueInfo('images', opts.symbolicSize ? [batch, 3, 'h', 'w'] : [batch, 3, s, s])),
    ...len(12, valueInfo('output0', opts.declaredOutput ?? [batch, f, opts.symbolicSize ? 'n' : n])),
  ];
  const props = Object.entries(opts.metadata ?? {}).flatMap(([k, v]) => len(14, [...str(1, k), ...str(2, v)]));
  return Uint8Array.from([
    ...int(1, 8), // ir_version
    ...str(2, 'crowdsafe-test'),
    ...len(7, graph),
    ...len(8, [...str(1, ''), ...int(2, 13)]), // opset_import ai.onnx 13
    ...props,
  ]);
}
