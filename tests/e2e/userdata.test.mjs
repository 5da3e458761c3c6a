// The student's own data in headless Chromium: images and .npy through loadFile and
// the real file input, saveNpy read back by Debian's numpy, PyTorch lines pasted.
// Expected values are computed here, independently of the app.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { ROOT, ARTIFACTS, browserSuite } from './harness.mjs';
import { encodePng } from './png.mjs';

const OUT = path.resolve(ROOT, process.env.LL_ARTIFACTS ?? ARTIFACTS);
let server, page, errors, tmp;

before(async () => {
  await mkdir(OUT, { recursive: true });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'layerlab-data-'));
});
browserSuite({ viewport: { width: 1280, height: 800 } }, (s) => ({ server, page, errors } = s));

// Another hash on the same page is a same-document navigation: `ready` is long
// resolved, and the layout state() reports (heatmaps' cells) is the next frame's.
async function open(hash) {
  await page.goto(`${server.base}/index.html#${hash}`);
  await page.evaluate(() => window.layerlab.ready);
  await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 0)));
}
const state = () => page.evaluate(() => window.layerlab.state());
const setState = (p) => page.evaluate((q) => window.layerlab.setState(q), p);
const loadFile = (name, bytes) => page.evaluate(([n, b]) => window.layerlab.loadFile(n, new Uint8Array(b))
  .then((r) => r, (e) => ({ error: e.message })), [name, [...bytes]]);
const saveNpy = async (which) => Buffer.from(await page.evaluate((w) => [...window.layerlab.saveNpy(w)], which));
const paste = (text) => page.evaluate((t) => window.layerlab.paste(t), text);

// A .npy v1.0 of float32 values, written here by hand.
function npyF32(shape, values, { descr = '<f4', fortran = 'False' } = {}) {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float32Array(values).buffer)]);
}
// The float32 payload of a little-endian .npy written by saveNpy (v1.0 header).
function npyPayload(buf) {
  assert.equal(buf.subarray(1, 6).toString('latin1'), 'NUMPY');
  return buf.subarray(10 + buf.readUInt16LE(8));
}

const havePython = (() => {
  try { execFileSync('/usr/bin/python3', ['-c', 'import numpy']); return true; } catch { return false; }
})();

test('a PNG through loadFile and through the real file input becomes byte / 255 in float32', async () => {
  await open('layer=MaxPool2d&kernel_size=2&c=3');
  const W = 6, H = 4, rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; ++i) rgba.set([(i * 37) % 256, (i * 91 + 7) % 256, 255 - i, 255], i * 4);
  const png = encodePng(W, H, rgba);
  const r = await loadFile('photo.png', png);
  assert.deepEqual(r, { ok: true, shape: [1, 3, H, W] });
  const expect = new Float32Array(3 * H * W);
  for (let c = 0; c < 3; ++c) for (let i = 0; i < H * W; ++i) expect[c * H * W + i] = Math.fround(rgba[i * 4 + c] / 255);
  const got = new Float32Array(new Uint8Array(npyPayload(await saveNpy('input'))).buffer.slice(0));
  assert.deepEqual([...got], [...expect]);
  const st = await state();
  assert.equal(st.input, 'file');
  assert.equal(st.input_file.name, 'photo.png');
  assert.deepEqual(st.output_shape, [1, 3, 2, 3]);
  // The same image through the page's own file input, as a student picks it; C=1 is grayscale.
  await setState({ c: 1, input: 'ramp' });
  const file = path.join(tmp, 'gray.png');
  await writeFile(file, png);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => window.layerlab.state().input_file?.name === 'gray.png');
  const gray = new Float32Array(new Uint8Array(npyPayload(await saveNpy('input'))).buffer.slice(0));
  for (let i = 0; i < H * W; ++i) {
    const [R, G, B] = [0, 1, 2].map((c) => Math.fround(rgba[i * 4 + c] / 255));
    const want = Math.fround(Math.fround(Math.fround(Math.fround(0.2989) * R) + Math.fround(Math.fround(0.587) * G)) +
                             Math.fround(Math.fround(0.114) * B));
    assert.ok(Math.abs(gray[i] - want) <= 2e-7, `pixel ${i}: ${gray[i]} vs ${want}`);
  }
  assert.match(await page.textContent('#file-status'), /gray\.png/);
});

test('a 448-pixel photo is downscaled to fit 224, and the page says so', async () => {
  await open('layer=AvgPool2d&kernel_size=2&c=3');
  const W = 448, H = 300, rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; ++y) for (let x = 0; x < W; ++x) {
    const i = (y * W + x) * 4;
    rgba.set([(x * 255 / W) | 0, (y * 255 / H) | 0, ((x + y) % 32) * 8, 255], i);
  }
  const r = await loadFile('big.png', encodePng(W, H, rgba));
  assert.deepEqual(r.shape, [1, 3, 150, 224]);  // factor 2: ceil(300 / 2) rows
  const st = await state();
  assert.match(st.input_file.note, /448 x 300 -> 224 x 150/);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await writeFile(path.join(OUT, 'userdata-photo.png'), await page.screenshot());
});

test('a .npy round trip: numpy writes, LayerLab reads bit-exactly; saveNpy is what numpy loads', async (t) => {
  await open('layer=MaxPool2d&kernel_size=2');
  const values = [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity, NaN,
                  0.1, 0.2, 0.3, 7, 8, 9, 10];
  const r = await loadFile('x.npy', npyF32([4, 4], values));
  assert.deepEqual(r, { ok: true, shape: [1, 1, 4, 4] });
  const back = npyPayload(await saveNpy('input'));
  assert.ok(Buffer.compare(back, Buffer.from(new Float32Array(values).buffer)) === 0, 'bit-exact input');
  const idx = await saveNpy('indices');
  assert.match(idx.toString('latin1', 0, 80), /'descr': '<i8'/);
  if (!havePython) return t.skip('no /usr/bin/python3 with numpy');
  // numpy loads what saveNpy wrote and agrees with state(); numpy's own file loads bit-exactly.
  const outFile = path.join(tmp, 'out.npy'), idxFile = path.join(tmp, 'idx.npy'), src = path.join(tmp, 'src.npy');
  await writeFile(outFile, await saveNpy('output'));
  await writeFile(idxFile, idx);
  const st = await state();
  const py = execFileSync('/usr/bin/python3', ['-c', `
import json, numpy as np
o = np.load('${outFile}'); i = np.load('${idxFile}')
a = np.array([[1.5, -2.5, 3.25], [float('nan'), 0.1, 1e-30]], dtype=np.float64)
np.save('${src}', a)
print(json.dumps({'shape': list(o.shape), 'out': [repr(float(v)) for v in o.flatten()], 'idx': i.flatten().tolist(), 'dtype': str(i.dtype)}))
`]).toString();
  const np = JSON.parse(py);
  assert.deepEqual(np.shape, st.output_shape);
  assert.equal(np.dtype, 'int64');
  // Worked out by hand: each 2x2 window's max, NaN winning, and its flat argmax.
  assert.deepEqual(np.out, ['3.4028234663852886e+38', 'inf', 'nan', '10.0']);
  assert.deepEqual(np.idx, [4, 6, 8, 15]);
  assert.deepEqual(st.output_values, [3.4028234663852886e38, 'Infinity', 'NaN', 10]);
  const f8 = await loadFile('src.npy', await readFile(src));
  assert.deepEqual(f8.shape, [1, 1, 2, 3]);
  const f8back = new Float32Array(new Uint8Array(npyPayload(await saveNpy('input'))).buffer.slice(0));
  assert.deepEqual([...f8back].map((v) => (Number.isNaN(v) ? 'nan' : v)),
                   [1.5, -2.5, 3.25, 'nan', Math.fround(0.1), Math.fround(1e-30)]);
  assert.match((await state()).input_file.note, /<f8/);
});

test('bad files and bad text give a clear error naming the file or the text, and change nothing', async () => {
  await open('layer=MaxPool2d&kernel_size=3&h=9&w=9');
  const before = await state();
  const good = npyF32([2, 2], [1, 2, 3, 4]);
  const cases = [
    ['short.npy', good.subarray(0, good.length - 3), /short\.npy.*(16|bytes)/],
    ['fortran.npy', npyF32([2, 2], [1, 2, 3, 4], { fortran: 'True' }), /fortran\.npy.*fortran_order/],
    ['big-endian.npy', npyF32([2, 2], [1, 2, 3, 4], { descr: '>f4' }), /big-endian\.npy/],
    ['object.npy', npyF32([2, 2], [1, 2, 3, 4], { descr: '|O' }), /object\.npy/],
    ['magic.npy', Buffer.from('not a numpy file at all, really'), /magic\.npy/],
    ['huge.npy', npyF32([1, 65, 4, 4], new Array(1040).fill(0)), /huge\.npy.*C <= 64/],
    ['many.npy', npyF32([8, 64, 80, 80], []), /many\.npy: shape 8x64x80x80 has more than 3211264 elements/],
    ['notes.txt', Buffer.from('hello'), /notes\.txt.*\.npy, PNG/],
    ['broken.png', Buffer.from('\x89PNG\r\n\x1a\n garbage'), /broken\.png/],
  ];
  for (const [name, bytes, rule] of cases) {
    const r = await loadFile(name, bytes);
    assert.match(r.error ?? '', rule, `${name}: ${JSON.stringify(r)}`);
  }
  const texts = [
    ['nn.MaxPool2d(kernal_size=3)', /unexpected keyword argument 'kernal_size'/],
    ['nn.MaxPool2d(3, stride=2', /column/],
    ['nn.Conv2d(3, 8, 3)', /Conv2d/],
    ['nn.MaxPool2d(3, padding=2)', /padding/],
    ['nn.MaxPool2d()', /missing 1 required positional argument: 'kernel_size'/],
    ['[[1, 2], [3]]', /row|ragged|values/],
  ];
  for (const [text, rule] of texts) {
    const r = await paste(text);
    assert.equal(r.ok, false, text);
    assert.match(r.error, rule, text);
  }
  const after = await state();
  assert.deepEqual(after.params, before.params);
  assert.equal(after.input, before.input);
  assert.deepEqual(after.output_shape, before.output_shape);
});

test('layer lines pasted from the PyTorch docs set the right lab and parameters', async () => {
  await open('layer=MaxPool2d&kernel_size=2');
  const cases = [
    ['nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)', 'pool', 'MaxPool2d', { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true }],
    ['torch.nn.AvgPool2d((3, 2), divisor_override=2)', 'pool', 'AvgPool2d', { kernel_size: [3, 2], divisor_override: 2, stride: [3, 2] }],  // stride=None is kernel_size
    ['F.max_pool2d(x, 3, 2)', 'pool', 'MaxPool2d', { kernel_size: 3, stride: 2, padding: 0 }],
    ['nn.MaxPool2d(2)', 'pool', 'MaxPool2d', { kernel_size: 2, stride: 2, ceil_mode: false }],
    ['nn.MaxPool2d((3, 2), stride=(2, 1))', 'pool', 'MaxPool2d', { kernel_size: [3, 2], stride: [2, 1] }],
    ['nn.AvgPool2d(3, stride=2)', 'pool', 'AvgPool2d', { kernel_size: 3, stride: 2, count_include_pad: true }],
    ['nn.AvgPool2d(2, count_include_pad=False)', 'pool', 'AvgPool2d', { kernel_size: 2, count_include_pad: false }],
    ['nn.MaxUnpool2d(2, stride=2)', 'pool', 'MaxUnpool2d', { kernel_size: 2, stride: 2 }],
    ['nn.LeakyReLU(0.2)', 'activation', 'LeakyReLU', { negative_slope: 0.2 }],
    ['nn.ReLU()', 'activation', 'ReLU', {}],
    ['nn.Sigmoid()', 'activation', 'Sigmoid', {}],
    ['nn.Tanh()', 'activation', 'Tanh', {}],
    ['nn.PReLU(num_parameters=3, init=0.1)', 'activation', 'PReLU', { num_parameters: 3, init: 0.1 }],
    ['nn.RReLU(0.1, 0.3)', 'activation', 'RReLU', { lower: 0.1, upper: 0.3 }],
    ['nn.Linear(4, 3, bias=False)', 'linear', 'Linear', { in_features: 4, out_features: 3, bias: false }],
  ];
  for (const [text, lab, layer, params] of cases) {
    const r = await paste(text);
    assert.deepEqual(r, { ok: true, applied: 'layer' }, text);
    const st = await state();
    assert.equal(st.lab, lab, text);
    assert.equal(st.layer, layer, text);
    for (const [k, v] of Object.entries(params)) {
      const got = st.params[k];
      if (typeof v === 'number') assert.ok(Math.abs(got - v) < 1e-6, `${text}: ${k}=${got}`);
      else assert.deepEqual(got, v, `${text}: ${k}`);
    }
  }
  // A pasted tensor becomes the pooling lab's input.
  const r = await paste("torch.tensor([[1., 2., 0.5], [3., float('nan'), -1.]])");
  assert.deepEqual(r, { ok: true, applied: 'tensor' });
  const st = await state();
  assert.equal(st.lab, 'pool');
  assert.deepEqual(st.input_shape, [1, 1, 2, 3]);
});

test('the cell inspector: a click pins a cell (pin= in the URL), its computation uses the core\'s numbers, a second click unpins', async () => {
  // AvgPool2d's ceil_mode corner window, clipped to the padded input: divisor 9, not 4.
  await open('layer=AvgPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&input=random&h=7&w=7&lang=en');
  await page.mouse.click(919, 246);  // output[3, 3], the last cell of the 4 x 4 output heatmap
  await page.waitForFunction(() => window.layerlab.state().pinned !== null);
  let st = await state();
  assert.deepEqual(st.pinned.index, [0, 0, 3, 3]);
  assert.equal(st.pinned.tensor, 'output');
  assert.match(st.hash, /&pin=output:0,0,3,3/);
  const f32 = (buf) => new Float32Array(new Uint8Array(npyPayload(buf)).buffer);  // a copy: aligned, its own buffer
  const out = f32(await saveNpy('output'));
  assert.equal(st.pinned.value, out[15]);
  const input = Array.from(f32(await saveNpy('input')));
  // The window's values as the text lists them: rows 5..6, cols 5..6 of the input.
  const window = [input[5 * 7 + 5], input[5 * 7 + 6], input[6 * 7 + 5], input[6 * 7 + 6]];
  // The shortest text that reads back to the same float32, as Python prints it.
  const f32text = (v) => {
    for (let p = 1; p <= 9; ++p) if (Math.fround(Number(v.toPrecision(p))) === v) return String(Number(v.toPrecision(p)));
    return String(v);
  };
  assert.ok(st.pinned.text.includes(`rows 5..6, cols 5..6: ${window.map(f32text).join(', ')}`), st.pinned.text);
  assert.match(st.pinned.text, /divisor 9: count_include_pad=True/);
  await writeFile(path.join(OUT, 'pinned-avgpool.png'), await page.screenshot());
  await page.mouse.click(919, 246);
  await page.waitForFunction(() => window.layerlab.state().pinned === null);
  assert.doesNotMatch((await state()).hash, /pin=/);

  // MaxPool2d with a NaN in the window: the NaN rule, and where its gradient goes.
  await open('layer=MaxPool2d&kernel_size=2&h=4&w=4&cells=1:NaN,4:NaN&pin=output:0,0,0,0');
  st = await state();
  assert.equal(st.pinned.value, 'NaN');
  assert.match(st.pinned.text, /holds NaN: PyTorch gives NaN and the last NaN's index, input\[1, 0\] \(indices = 4\)/);
  await setState({ pin: 'grad_input:0,0,1,0' });
  assert.match((await state()).pinned.text, /argmax is here\n= 1 \[0, 0\]/);
  // Linear: the dot product with the lab's own weights; activations: f and f'.
  await open('lab=linear&in_features=2&out_features=1&cells=0:2,1:-3&pin=output:0,0');
  st = await state();
  assert.match(st.pinned.text, /= x\[0, :\] · weight\[0, :\] \+ bias\[0\]\n= 0\.13·2 \+ 0\.49·\(-3\) \+ /);
  await open('lab=activation&layer=LeakyReLU&negative_slope=0.2&pin=grad_input:0,0,0,0');
  st = await state();
  assert.match(st.pinned.text, /LeakyReLU\(x\) = x ≥ 0 \? x : negative_slope·x\nx = -6:  f\(x\) = -1\.2,  f′\(x\) = grad_input \/ grad_output = 0\.2 \/ 1/);
  await open('lab=activation&layer=ReLU&pin=weight:0');
  assert.equal((await state()).pinned, null);  // the activation lab shows no weight
});

test('grad=onehot: 1 at the pinned output cell, so grad_input shows where that one output\'s gradient goes', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=random&seed=4&h=9&w=9&grad=onehot&pin=output:0,0,2,3&lang=en');
  const f32 = (buf) => new Float32Array(new Uint8Array(npyPayload(buf)).buffer);
  const go = Array.from(f32(await saveNpy('grad_output')));
  assert.deepEqual(go.map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [2 * 5 + 3]);
  const indices = new BigInt64Array(new Uint8Array(npyPayload(await saveNpy('indices'))).buffer);
  const gi = Array.from(f32(await saveNpy('grad_input')));
  assert.deepEqual(gi.map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [Number(indices[13])]);
  assert.equal(gi[Number(indices[13])], 1);
  assert.match((await state()).code, /grad_output = torch.zeros_like\(out\)\ngrad_output\[0, 0, 2, 3\] = 1/);
  await writeFile(path.join(OUT, 'one-hot.png'), await page.screenshot());
  // A click on another output cell moves the 1 there.
  await page.mouse.click(760, 101);  // output[0, 0]
  await page.waitForFunction(() => { const p = window.layerlab.state().pinned; return p && p.index[3] === 0; });
  const go2 = Array.from(f32(await saveNpy('grad_output')));
  assert.deepEqual(go2.map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [0]);
});

test('Ctrl+V on the playground pastes PyTorch: a layer line, then a tensor; bad text is shown and changes nothing', async () => {
  await open('layer=MaxPool2d&kernel_size=2&h=6&w=6&lang=en');
  const pasteEvent = (text) => page.evaluate((t) => {
    document.getElementById('canvas').focus();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.getElementById('canvas').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return document.getElementById('file-status').textContent;
  }, text);
  assert.match(await pasteEvent('nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)'), /Ctrl\+V → layer/);
  let st = await state();
  assert.equal(st.layer, 'AvgPool2d');
  assert.deepEqual([st.params.kernel_size, st.params.stride, st.params.padding, st.params.count_include_pad], [3, 2, 1, false]);
  assert.match(await pasteEvent('[[1, 2, 3], [4, 5, 6], [7, 8, 9]]'), /Ctrl\+V → tensor/);
  st = await state();
  assert.deepEqual(st.input_shape, [1, 1, 3, 3]);
  const message = await pasteEvent('nn.MaxPool2d(kernal_size=3)');
  assert.match(message, /unexpected keyword argument 'kernal_size'/);
  assert.deepEqual((await state()).input_shape, [1, 1, 3, 3]);
  assert.equal((await state()).layer, 'AvgPool2d');
});

test('N up to 8, C up to 64: the course\'s 64-channel map at 224 x 224, a plane picker, clamps said in words', async () => {
  await open('layer=MaxPool2d&kernel_size=3&stride=2&padding=1&input=random&seed=6&n=1&c=64&h=224&w=224&plane=0,63&lang=en');
  let st = await state();
  assert.equal(st.error, null);
  assert.deepEqual([st.input_shape, st.output_shape, st.plane], [[1, 64, 224, 224], [1, 64, 112, 112], [0, 63]]);
  assert.match(st.hash, /&c=64&h=224&w=224/);
  assert.match(st.hash, /&plane=0,63/);
  assert.ok(st.timings.forward_ms > 0 && st.timings.backward_ms > 0, JSON.stringify(st.timings));
  // Channel 63 pooled here, independently: a 3 x 3 max with stride 2 and padding 1.
  const f32 = (buf) => new Float32Array(new Uint8Array(npyPayload(buf)).buffer);
  const x = f32(await saveNpy('input')), y = f32(await saveNpy('output'));
  assert.equal(y.length, 64 * 112 * 112);
  const X = 63 * 224 * 224, Y = 63 * 112 * 112;
  for (let oy = 0; oy < 112; ++oy)
    for (let ox = 0; ox < 112; ++ox) {
      let m = -Infinity;
      for (let i = 2 * oy - 1; i <= 2 * oy + 1; ++i)
        for (let j = 2 * ox - 1; j <= 2 * ox + 1; ++j)
          if (i >= 0 && i < 224 && j >= 0 && j < 224) m = Math.max(m, x[X + i * 224 + j]);
      if (y[Y + oy * 112 + ox] !== m) assert.fail(`output[0, 63, ${oy}, ${ox}] = ${y[Y + oy * 112 + ox]}, not ${m}`);
    }
  await writeFile(path.join(OUT, 'big-c64.png'), await page.screenshot());
  // PageUp / PageDown step through the channels; every heatmap follows.
  await page.mouse.move(640, 300);
  await page.keyboard.press('PageUp');
  await page.waitForFunction(() => window.layerlab.state().plane[1] === 62);
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');  // already the last channel
  await page.waitForFunction(() => window.layerlab.state().plane[1] === 63);

  // Over the caps: the URL is rewritten with what is shown, and a line says why.
  await open('layer=MaxPool2d&kernel_size=2&n=20&c=100&h=7&w=7&lang=en');
  st = await state();
  assert.deepEqual(st.input_shape, [8, 64, 7, 7]);
  assert.match(st.notice, /n=20 is outside 1\.\.8, the app's range: n=8 is shown; c=100 is outside 1\.\.64, the app's range: c=64 is shown/);
  assert.match(st.hash, /&n=8&c=64&h=7&w=7/);
  // Within each cap but too many values in all: the core's error, the last result kept.
  await setState({ h: 224, w: 224 });
  st = await state();
  assert.match(st.error, /input: shape \(8, 64, 224, 224\) holds 25690112 values, over the app's cap of 3211264 \(1 x 64 x 224 x 224\)/);
  assert.deepEqual(st.output_shape, [8, 64, 3, 3]);
  assert.equal(st.notice, null);
  await setState({ n: 2, h: 8, w: 8 });
  assert.equal((await state()).error, null);
  // Files obey the same caps.
  let r = await loadFile('big.npy', npyF32([2, 64, 8, 8], new Array(2 * 64 * 64).fill(0.5)));
  assert.deepEqual(r, { ok: true, shape: [2, 64, 8, 8] });
  r = await loadFile('wide.npy', npyF32([1, 65, 2, 2], new Array(65 * 4).fill(1)));
  assert.match(r.error, /wide\.npy: shape \(1, 65, 2, 2\) is over the app's caps: N <= 8, C <= 64, H and W <= 224/);
  assert.deepEqual((await state()).input_shape, [2, 64, 8, 8]);
});

test('grad_output cells the student sets: Ctrl+click a grad_output cell, type a value; its gradient flows back', async () => {
  await open('layer=MaxPool2d&kernel_size=2&input=random&seed=2&h=4&w=4&lang=en');
  const hm = (await state()).layout.heatmaps.find((h) => h.tensor === 'grad_output');
  assert.deepEqual([hm.rows, hm.cols], [2, 2]);
  await page.keyboard.down('Control');
  await page.mouse.click(hm.x + 1.5 * hm.cell, hm.y + 0.5 * hm.cell);  // grad_output[0, 0, 0, 1]
  await page.keyboard.up('Control');
  await state();  // state() first draws the frames that take in a delivered click (the cell's editor opens)
  await page.keyboard.type('-2.5');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /grad_cells=1:-2\.5/.test(window.layerlab.state().hash));
  const f32 = (buf) => Array.from(new Float32Array(new Uint8Array(npyPayload(buf)).buffer));
  assert.deepEqual(f32(await saveNpy('grad_output')), [1, -2.5, 1, 1]);
  // Each output's gradient lands on its argmax: the -2.5 on output[0, 1]'s.
  const indices = new BigInt64Array(new Uint8Array(npyPayload(await saveNpy('indices'))).buffer);
  const gi = f32(await saveNpy('grad_input'));
  const expected = new Array(16).fill(0);
  [1, -2.5, 1, 1].forEach((g, k) => { expected[Number(indices[k])] += g; });
  assert.deepEqual(gi, expected);
  const st = await state();
  assert.match(st.code, /grad_output = torch.ones_like\(out\)\ngrad_output\[0, 0, 0, 1\] = -2.5\nout.backward\(grad_output\)/);
  await writeFile(path.join(OUT, 'grad-cell-edit.png'), await page.screenshot());
  // The edit is in the link: it survives a reload, and it can be locked.
  await open(`${st.hash.replace(/&lang=en/, '')}&lock=grad_cells&lang=en`);
  assert.deepEqual(f32(await saveNpy('grad_output')), [1, -2.5, 1, 1]);
  await setState({ grad_cells: '' });
  assert.deepEqual(f32(await saveNpy('grad_output')), [1, -2.5, 1, 1]);
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
