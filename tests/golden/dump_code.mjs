// Step 1 of the code goldens (tests/golden/generate_code.sh): the PyTorch script
// state().code gives for each state below, from the playground in Chromium.
// Step 2 (run_code.py) runs each script under real PyTorch and keeps its output.
import { startServer, launchBrowser } from '../e2e/harness.mjs';

// Every layer of the five labs, the inputs that need a literal or the seeded
// generator, ceil_mode and padding windows, hand-edited cells and weights.
export const CODE_STATES = [
  'layer=MaxPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&input=random&seed=7&h=9&w=9',
  'layer=MaxPool2d&kernel_size=2&input=random&seed=3&n=2&c=3&h=12&w=10&grad=random',
  'layer=MaxPool2d&kernel_size=3,2&stride=2,1&dilation=2,1&padding=1,0&input=ramp&h=11&w=8&return_indices=1',
  'layer=AvgPool2d&kernel_size=3&stride=2&padding=1&ceil_mode=1&count_include_pad=0&input=random&seed=5&h=7&w=7',
  'layer=AvgPool2d&kernel_size=2&divisor_override=3&input=picture&h=16&w=16&grad=random',
  'layer=AvgPool2d&kernel_size=3&padding=1&input=checkerboard&c=2&h=6&w=6&cells=0:9,5:-2.5',
  'layer=MaxUnpool2d&kernel_size=2&input=random&seed=11&h=8&w=8',
  'layer=MaxUnpool2d&kernel_size=3&stride=2&padding=1&input=gradient&h=9&w=9&grad=random&seed=2',
  'layer=MaxPool2d&kernel_size=3&stride=2&input=random&seed=8&c=2&h=7&w=7&grad=onehot&pin=output:0,1,1,2',
  'layer=AvgPool2d&kernel_size=2&input=ramp&h=6&w=6&grad=onehot&pin=grad_output:0,0,2,1',
  'layer=MaxUnpool2d&kernel_size=2&input=random&h=4&w=4&grad=onehot&pin=unpooled:0,0,1,1',
  'lab=activation&layer=Sigmoid', 'lab=activation&layer=Tanh&xmin=-3&xmax=3',
  'lab=activation&layer=ReLU&input=random&seed=4', 'lab=activation&layer=LeakyReLU&negative_slope=0.2',
  'lab=activation&layer=PReLU&num_parameters=3&init=0.1', 'lab=activation&layer=PReLU&steps=40',
  'lab=activation&layer=RReLU&lower=0.1&upper=0.4',
  'lab=linear', 'lab=linear&in_features=7&out_features=5&batch=4&seed=9',
  'lab=linear&in_features=3&out_features=2&bias=0&cells=0:1.5,4:-2',
  'lab=linear&depth=4&hidden=2&in_features=5&out_features=4', 'lab=linear&depth=2&activation=ReLU&seed=3',
  // grad_output cells set by hand; more channels than RGB
  'layer=MaxPool2d&kernel_size=2&input=random&seed=2&h=4&w=4&grad_cells=1:-2.5',
  'layer=AvgPool2d&kernel_size=2&input=ramp&n=2&c=8&h=4&w=4&grad=onehot&pin=output:1,7,1,1&grad_cells=0:3',
  // the gradient lab: every init, a gain, the linear stack; the train lab: each dataset after some steps
  'lab=gradient', 'lab=gradient&init=xavier_uniform&gain=2&activation=Tanh&depth=8&width=16&n=8&seed=5',
  'lab=gradient&init=kaiming_normal&activation=ReLU&compare=Sigmoid&depth=6',
  'lab=gradient&init=kaiming_uniform&activation=ReLU&depth=6&width=8',
  'lab=gradient&init=normal&gain=0.5&activation=none&depth=3', 'lab=gradient&gain=1.5&activation=LeakyReLU&depth=5',
  'lab=train&steps=20', 'lab=train&dataset=spirals&activation=ReLU&hidden=8&steps=30&lr=0.1',
  'lab=train&dataset=xor&seed=3&steps=7',
  // the core's other activations: element-wise with keywords, and along a dimension (the softmax view)
  'lab=activation&layer=GELU&approximate=tanh&input=random&seed=2', 'lab=activation&layer=Softplus&beta=2&threshold=5',
  'lab=activation&layer=Softmax&dim=1&logits=2,1,0.1,-1,0.5&temperature=0.5', 'lab=activation&layer=Softmin&logits=3,-2,0',
  'lab=activation&layer=LogSoftmax&dim=-1&logits=40,-3,0.5,12', 'lab=activation&layer=Softmax2d&logits=1,2,3',
  'lab=activation&layer=GLU&logits=1,2,-1,0,3,-2',
];

// The gradient and train labs' number, by the name their scripts define (their `out` is not saved).
export const labMetric = (hash) => (/lab=gradient/.test(hash) ? 'grad_norms' : /lab=train/.test(hash) ? 'loss' : null);

// The tensor each script's `out` is, by saveNpy's name.
export const outputName = (hash) => (/layer=MaxUnpool2d/.test(hash) ? 'unpooled' : 'output');

if (process.argv[1] && process.argv[1].endsWith('dump_code.mjs')) {
  const server = await startServer();
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cases = [];
  for (const hash of CODE_STATES) {
    await page.goto(`${server.base}/index.html#${hash}`);
    await page.evaluate(() => window.layerlab.ready);
    await page.waitForFunction(() => { const m = window.layerlab.state().metrics; return !m || !m.pending_steps; });
    const st = await page.evaluate(() => window.layerlab.state());
    if (st.error || !st.code) throw new Error(`${hash}: ${st.error ?? 'no code'}`);
    cases.push({ hash, code: st.code });
  }
  await browser.close();
  await server.close();
  process.stdout.write(JSON.stringify(cases, null, 1) + '\n');
}
