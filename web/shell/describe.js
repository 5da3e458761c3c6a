// describe.js — the state as text in the page's ARIA live region (#describe), for
// screen readers and the Describe button: the layer, its parameters as PyTorch
// writes them, the shapes, the error, and a small output as a table.
//
//   renderDescription   state() -> the region's paragraphs (English or Chinese, as the app's lang)

const describe = document.getElementById('describe');

const T = {
  en: { layer: 'Layer', params: 'Parameters', input: 'input shape', output: 'output shape', error: 'Error',
        none: 'none', values: 'output values (first channel)' },
  zh: { layer: '层', params: '参数', input: '输入形状', output: '输出形状', error: '错误', none: '无',
        values: '输出数值（第一个通道）' },
};

function text(tag, content, cls) {
  const e = document.createElement(tag);
  e.textContent = content;
  if (cls) e.className = cls;
  return e;
}

// A parameter as PyTorch's repr writes it: True/False/None, (3, 2) for a pair,
// floats to 4 decimals as torch.set_printoptions' default (0.89, not 0.8899999856948853).
function pythonValue(v) {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return '(' + v.map(pythonValue).join(', ') + ')';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const r = String(Number(v.toFixed(4)));
    return /[.e]/.test(r) ? r : r + '.0';
  }
  return "'" + String(v) + "'";
}

function shapeText(s) { return s ? '[' + s.join(', ') + ']' : '—'; }

// The output's first rows, `w` values a row.
function valuesTable(caption, v, w) {
  const table = document.createElement('table');
  table.appendChild(text('caption', caption));
  for (let r = 0; r * w < v.length; r++) {
    const tr = document.createElement('tr');
    for (let c = 0; c < w && r * w + c < v.length; c++) tr.appendChild(text('td', String(v[r * w + c])));
    table.appendChild(tr);
  }
  return table;
}

export function renderDescription(st) {
  if (!describe || !st) return;
  const t = T[st.lang] || T.en;
  describe.textContent = '';
  describe.setAttribute('lang', st.lang === 'zh' ? 'zh-CN' : 'en');
  describe.appendChild(text('p', t.layer + ': ' + st.layer + (st.lab ? ' (' + st.lab + ')' : '')));
  const params = Object.keys(st.params || {}).map((k) => k + '=' + pythonValue(st.params[k])).join(', ');
  describe.appendChild(text('p', t.params + ': ' + (params || t.none)));
  // An open quiz question (quiz=shape|value): the output is what the student predicts.
  const open = st.quiz && !st.quiz.answered;
  describe.appendChild(text('p', t.input + ' ' + shapeText(st.input_shape) + ' → ' + t.output + ' ' +
                            (open ? '?' : shapeText(st.output_shape))));
  if (st.error) describe.appendChild(text('p', t.error + ': ' + st.error, 'error'));
  const v = open ? null : st.output_values;  // small outputs only (see the app's state JSON)
  if (v && st.output_shape && st.output_shape.length >= 2) {
    describe.appendChild(valuesTable(t.values, v, st.output_shape[st.output_shape.length - 1]));
  }
}
