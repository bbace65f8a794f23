import { OnnxParseError, parseOnnxModelMetadata } from './onnx-metadata';

// A tiny protobuf encoder, just enough to build ModelProto-shaped messages.
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
const lenField = (field: number, payload: number[]) => [...tag(field, 2), ...varint(payload.length), ...payload];
const strField = (field: number, s: string) => lenField(field, Array.from(enc.encode(s)));
const varintField = (field: number, n: number) => [...tag(field, 0), ...varint(n)];
const prop = (key: string, value: string) => lenField(14, [...strField(1, key), ...strField(2, value)]);
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

describe('parseOnnxModelMetadata', () => {
  it.each([
    { name: 'empty message', input: bytes(), expected: { metadata: {} } },
    {
      name: 'producer and ir version',
      input: bytes(varintField(1, 8), strField(2, 'pytorch'), strField(3, '2.5.1')),
      expected: { irVersion: 8, producerName: 'pytorch', producerVersion: '2.5.1', metadata: {} },
    },
    {
      name: 'metadata props around a large graph and other fields',
      input: bytes(
        varintField(1, 9),
        strField(2, 'onnx.quantize'),
        strField(4, 'ai.onnx'),
        varintField(5, 2 ** 40), // model_version as a 6-byte varint
        lenField(7, new Array(5000).fill(0x08)), // "graph": skipped without being decoded
        lenField(8, [...strField(1, ''), ...varintField(2, 17)]), // opset_import
        [...tag(99, 1), 1, 2, 3, 4, 5, 6, 7, 8], // unknown fixed64
        [...tag(98, 5), 1, 2, 3, 4], // unknown fixed32
        prop('task', 'detect'),
        prop('names', "{0: 'person', 1: \"it's\"}"),
        prop('imgsz', '[640, 640]'),
      ),
      expected: {
        irVersion: 9,
        producerName: 'onnx.quantize',
        metadata: { task: 'detect', names: "{0: 'person', 1: \"it's\"}", imgsz: '[640, 640]' },
      },
    },
    {
      name: 'entry with unknown fields, a missing value, a repeated key, unicode',
      input: bytes(
        lenField(14, [...varintField(3, 7), ...strField(1, 'a'), ...strField(2, 'first')]),
        lenField(14, [...strField(1, 'empty')]),
        prop('a', 'second'),
        prop('名前', 'café'),
        prop('__proto__', 'plain'),
      ),
      expected: { metadata: { a: 'second', empty: '', 名前: 'café', ['__proto__']: 'plain' } },
    },
  ])('$name', ({ input, expected }) => {
    const result = parseOnnxModelMetadata(input);
    expect(result).toEqual(expected);
    expect(Object.keys(result.metadata)).toEqual(Object.keys(expected.metadata));
  });

  it.each([
    ['truncated varint', bytes([0x08, 0x80])],
    ['length past the end', bytes([0x12, 0x05, 0x61])],
    ['truncated fixed64', bytes([...tag(20, 1), 1, 2])],
    ['deprecated group wire type', bytes(tag(20, 3))],
    ['field number 0', bytes([0x00, 0x00])],
    ['producer_name with the wrong wire type', bytes(varintField(2, 1))],
    ['a text file', Uint8Array.from(enc.encode('# models\nnot an onnx file\n'))],
  ])('rejects %s', (_name, input) => {
    expect(() => parseOnnxModelMetadata(input)).toThrow(OnnxParseError);
  });
});
