// A minimal ONNX ModelProto writer: one graph, float32 tensors, for the
// onnxruntime-web side of the benchmark. Field numbers from onnx/onnx.proto.

class Writer {
  constructor() { this.bytes = []; }
  varint(v) {
    let n = BigInt(v);
    if (n < 0n) n += 1n << 64n;
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n) b |= 0x80;
      this.bytes.push(b);
    } while (n);
    return this;
  }
  key(field, wire) { return this.varint((field << 3) | wire); }
  int(field, v) { return this.key(field, 0).varint(v); }
  bytesField(field, data) {
    this.key(field, 2).varint(data.length);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    return this;
  }
  string(field, s) { return this.bytesField(field, new TextEncoder().encode(s)); }
  message(field, w) { return this.bytesField(field, w.bytes); }
  float(field, f) {
    const b = new Uint8Array(new Float32Array([f]).buffer);
    this.key(field, 5); this.bytes.push(...b); return this;
  }
}

const FLOAT = 1, INT64 = 7;

function valueInfo(name, shape, elemType = FLOAT) {
  const dims = new Writer();
  for (const d of shape) dims.message(1, new Writer().int(1, d));
  const tensorType = new Writer().int(1, elemType).message(2, dims);
  return new Writer().string(1, name).message(2, new Writer().message(1, tensorType));
}

function attribute(name, value) {
  const a = new Writer().string(1, name);
  if (Array.isArray(value)) { for (const v of value) a.int(8, v); a.int(20, 7); }
  else if (Number.isInteger(value)) { a.int(3, value); a.int(20, 2); }
  else { a.float(2, value); a.int(20, 1); }
  return a;
}

function initializer(name, shape, data) {
  const t = new Writer();
  for (const d of shape) t.int(1, d);
  t.int(2, FLOAT).string(8, name);
  return t.bytesField(9, new Uint8Array(Float32Array.from(data).buffer));
}

// nodes: [{op, inputs, outputs, attrs}], inputs/outputs: [{name, shape, type?}], inits: [{name, shape, data}]
export function onnxModel({ nodes, inputs, outputs, inits = [] }) {
  const g = new Writer();
  nodes.forEach((n, i) => {
    const w = new Writer();
    for (const s of n.inputs) w.string(1, s);
    for (const s of n.outputs) w.string(2, s);
    w.string(3, `n${i}`).string(4, n.op);
    for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
    g.message(1, w);
  });
  g.string(2, 'bench');
  for (const t of inits) g.message(5, initializer(t.name, t.shape, t.data));
  for (const v of inputs) g.message(11, valueInfo(v.name, v.shape, v.type === 'int64' ? INT64 : FLOAT));
  for (const v of outputs) g.message(12, valueInfo(v.name, v.shape));
  const m = new Writer().int(1, 7).string(2, 'layerlab-bench');
  m.message(8, new Writer().string(1, '').int(2, 13));
  m.message(7, g);
  return new Uint8Array(m.bytes);
}
