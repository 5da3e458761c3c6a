// make_dts.mjs — writes layerlab-core.d.ts from its template and the built module's
// layer descriptors (ll.layers), so that the declarations cannot drift from the core:
//   @LAYER_UNION@        Spec's layer: every layer's name, in the descriptors' order
//   @GENERATED_CLASSES@  a constructor for each layer the template does not declare
//                        itself (the activations the module names from their
//                        descriptors), its options typed from the keywords
//
//   node src/bindings/make_dts.mjs build/web/layerlab-core.mjs src/bindings/layerlab-core.d.ts.in OUT.d.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleFile, templateFile, outFile] = process.argv.slice(2);
if (!outFile) throw new Error('usage: node make_dts.mjs MODULE.mjs TEMPLATE.d.ts.in OUT.d.ts');
const { default: createLayerLab } = await import(pathToFileURL(path.resolve(moduleFile)).href);
const ll = await createLayerLab();
const template = readFileSync(templateFile, 'utf8');

// 'A' | 'B' | ..., wrapped as the template's other long lines are.
function union(names, indent) {
  const lines = [];
  let line = '';
  for (const n of names.map((x) => `'${x}'`)) {
    const next = line ? `${line} | ${n}` : n;
    if (next.length > 100 && line) {
      lines.push(line);
      line = `| ${n}`;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

function keywordType(p) {
  const type = {
    int: 'number',
    float: 'number',
    bool: 'boolean',
    int_or_pair: 'IntOrPair',
    int_tuple: 'number | number[]',
    int_or_none_tuple: 'number | (number | null)[]',
    float_tuple: 'number | number[]',
    string: p.choices.length ? p.choices.map((c) => `'${c}'`).join(' | ') : 'string',
  }[p.kind];
  if (!type) throw new Error(`make_dts: no TypeScript type for kind ${p.kind}`);
  return p.default_py === 'None' ? `${type} | null` : type;
}

// An activation returns a Layer; a pooling or linear module a Module (its seed draws
// Bilinear's parameters and FractionalMaxPool's samples). Identity takes any keyword.
function constructorLine(layer) {
  const anyKeyword = layer.params.some((p) => p.kind === 'var_keywords');
  const fields = layer.params.filter((p) => p.kind !== 'var_keywords')
    .map((p) => `${p.name}${p.required ? '' : '?'}: ${keywordType(p)}`);
  const optional = layer.params.some((p) => p.required) ? '' : '?';
  const options = anyKeyword ? 'Record<string, unknown>' : fields.length ? `{ ${fields.join('; ')} }` : '{}';
  const made = layer.family === 'activation' ? 'Layer' : 'Module';
  const seed = made === 'Module' ? ', seed?: number' : '';
  return `  /** ${layer.formula} */\n  ${layer.name}: new (o${optional}: ${options}${seed}) => ${made};`;
}

const declared = new Set([...template.matchAll(/^ {2}(\w+): new /gm)].map((m) => m[1]));
const generated = ll.layers.filter((l) => !declared.has(l.name));
for (const l of generated) {
  if (typeof ll[l.name] !== 'function') throw new Error(`make_dts: the module has no class for ${l.name}`);
}
const out = template
  .replace('@LAYER_UNION@', union(ll.layers.map((l) => l.name), '    '))
  .replace('@GENERATED_CLASSES@', generated.map(constructorLine).join('\n'));
if (/@[A-Z_]+@/.test(out)) throw new Error('make_dts: a placeholder is left in the template');
writeFileSync(outFile, out);
