// Records hand-picked edge cases of every directive with Segment's own implementation, for
// test/conformance/mapping-kit/edge-cases.jsonl (the random corpus rarely reaches them).
// usage: ORACLE_NODE_MODULES=... node record_edge_cases.js > ../../conformance/mapping-kit/edge-cases.jsonl
// Lone UTF-16 surrogates (a string index or character split inside an emoji) have their own
// recorder, record_lone_surrogate_cases.js.
const path = require('path');
const core = require(path.join(process.env.ORACLE_NODE_MODULES || '', '@segment/actions-core'));
const ev = { a: 'x', b: 'Hello World', n: 0, f: false, e: '', z: null, num: 12.5, big: 1e21, small: 1e-7,
  arr: [], arr1: [null], arr2: [''], arr3: [[]], arr4: [0], arrs: ['a', 'b'], obj: { '2': 'two', b: 'bee', '1': 'one', 'x.y': 5 },
  nested: { deep: { k: 'v', nn: null, list: [1, null, { q: null }] }, nul: null }, s: 'ünïcödé 🚀 ß İ ΣΑΣ ΌΣΟΣ Σ', list: [1, 'two', { three: 3 }],
  "sp ace": { "in ner": 1 }, '$': { x: 1 }, q: { 'a"b': 1 }, dollar: 'a$b', numkeys: { '10': 1, '9': 2, 'a': 3, '01': 4 } };
const M = [];
const add = (mapping, input = ev) => M.push({ mapping, input });
// paths
for (const p of ['$.', '', '.', '..', '$..', '$', '$.$', 'a', '$.a.length', '$.b.length', '$.b.0', '$.b.11', '$.s.4', '$.arrs.length', '$.arrs[1]', "$.obj['x.y']", '$.obj["2"]', '$.obj[1]', '$.n.x', '$.e.x', '$.f.x', '$.z.x', '$.num.x', '$.nested.deep.list[2].q', '$.nested.deep.list.2.q', '$.sp ace.in ner', "$['sp ace']", '$.q.a"b', '$.list[0]]]', 'x.$.a', '$.[a]', '$.a]', '$.numkeys.01', '$.arrs.01', '$.arrs.-1', '$.b[""]', '$.b[0][0]'])
  add({ out: { '@path': p } });
// templates
for (const t of ['{{a}}', '{{ a }}', '{{{a}}}', '{{{a}}', '{{a}}}', '{{}}', '{{ }}', '{{.}}', '{{ $.a }}', '{{n}}{{f}}{{z}}{{e}}', '{{num}}|{{big}}|{{small}}', '{{arrs}}', '{{obj}}', '{{arr1}}', '{{list}}', '{{nested.deep.list}}', '{{b.length}}', '{{{tpl}}}', '{{\u00a0a\u00a0}}', '{{a\n}}', '{{ {a} }}', '{{a}b}}', 'x{{{{a}}}}y'])
  add({ out: { '@template': t } }, { ...ev, tpl: '{{a}}-{{b}}' });
// if
for (const c of [{ exists: { '@path': '$.arr' } }, { blank: { '@path': '$.arr' } }, { blank: { '@path': '$.arr1' } }, { blank: { '@path': '$.arr2' } }, { blank: { '@path': '$.arr3' } }, { blank: { '@path': '$.arr4' } }, { blank: { '@path': '$.n' } }, { blank: { '@path': '$.f' } }, { blank: { '@path': '$.obj' } }, { blank: { '@path': '$.arrs' } }, { exists: null, blank: { '@path': '$.a' } }, { exists: 0, blank: 'x' }, { exists: false }, { blank: '' }, { exists: 'lit' }, { blank: ' ' }])
  for (const br of [{ then: 'T', else: 'E' }, { then: 'T' }, { else: 'E' }, { then: 'T', else: false }, { then: 'T', else: 0 }, { then: null, else: null }])
    add({ out: { '@if': { ...c, ...br } } });
// case
for (const op of ['lower', 'upper', 'title']) for (const p of ['$.s', '$.n', '$.obj', '$.missing', '$.z']) add({ out: { '@case': { operator: op, value: { '@path': p } } } });
add({ out: { '@case': { operator: 'upper', value: '' } } });
add({ out: { '@case': { operator: 'upper' } } });
add({ out: { '@case': { operator: 'upper', value: 'lit eral' } } });
// replace
for (const o of [{ pattern: 'l', replacement: '$&$&' }, { pattern: 'l', replacement: '$$' }, { pattern: 'o', replacement: '[$`]' }, { pattern: 'o', replacement: "[$']" }, { pattern: 'o', replacement: '$1$<x>$' }, { pattern: 'HELLO', ignorecase: true }, { pattern: 'ÜNÏ', ignorecase: true }, { pattern: 'ünï', ignorecase: false }, { pattern: 'ss', ignorecase: true }, { pattern: 'σ', ignorecase: true }, { pattern: '🚀', replacement: 'R' }, { pattern: '.', replacement: '!' }, { pattern: ' ', replacement: '_', global: false }, { pattern: 'o', pattern2: 'l', replacement2: 'L' }, { pattern: 'o', pattern2: 'lllllllllllll' }, { pattern: 'o', pattern2: 5 }, { pattern: 'o', pattern2: 'l', replacement2: 7 }, { pattern: 'o', replacement: null, ignorecase: null, global: null }, { pattern: 'ı', ignorecase: true }, { pattern: 'k', ignorecase: true }])
  for (const p of ['$.b', '$.s', '$.num', '$.f', '$.obj', '$.missing'])
    add({ out: { '@replace': { ...o, value: { '@path': p } } } });
add({ out: { '@replace': { pattern: 'x', value: '' } } });
add({ out: { '@replace': { pattern: '🚀🚀🚀🚀🚀🚀', value: 'a' } } });
add({ out: { '@replace': { pattern: 'x', value: { a: 1 } } } });
// arrayPath
for (const p of ['$.list', '$.obj', '$.missing', '$.a', '$.arr', '$.nested.deep.list'])
  for (const shape of [undefined, {}, { v: { '@path': '$.three' }, w: 'k', all: { '@path': '$.' } }, { '@path': '$.three' }, { '@template': '{{three}}' }, { x: { '@transform': { apply: { q: { '@path': '$.three' } }, mapping: { '@path': '$.q' } } } }])
    add({ out: { '@arrayPath': shape === undefined ? [p] : [p, shape] } });
add({ out: { '@arrayPath': [{ '@path': '$.list' }, { v: { '@path': '$.three' } }] } });
add({ out: { '@arrayPath': [{ '@literal': [1, { three: 2 }] }, { v: { '@path': '$.three' } }] } });
add({ out: { '@arrayPath': [{ '@merge': { direction: 'right', objects: [{ three: 1 }, { a: { '@path': '$.missing' } }] } }, { v: { '@path': '$.' }, w: { '@path': '$.a' } }] } });
// flatten
for (const p of ['$.nested', '$.list', '$.a', '$.missing', '$.z', '$.obj', '$.numkeys', '$.arr'])
  for (const o of [{ separator: '.' }, { separator: '_', omitArrays: true }, { separator: '0' }, { separator: '.', omitArrays: 'yes' }])
    add({ out: { '@flatten': { ...o, value: { '@path': p } } } });
add({ out: { '@flatten': { separator: '.', value: { a: { b: 1 }, 'a.b': 2, c: { '@path': '$.missing' }, d: [{ '@path': '$.missing' }] } } } });
add({ out: { '@flatten': { separator: '.', value: { '': { a: 1 }, x: { '': 2 } } } } });
add({ out: { '@flatten': { separator: '', value: { '@path': '$.nested' } } } });
add({ out: { '@flatten': { value: { '@path': '$.nested' } } } });
// json
for (const p of ['$.nested', '$.list', '$.a', '$.missing', '$.z', '$.obj', '$.numkeys', '$.big', '$.small', '$.s'])
  add({ out: { '@json': { mode: 'encode', value: { '@path': p } } } });
for (const s of ['1e400', '-1e999', '{"x":[1e400, 2],"x":[-1e400]}', '[1e400, Infinity]', '1e400e1', '{"b":1,"a":2,"1":3}', ' [1, 2] ', '-0', '{"a":1,"a":2}', '"\\u00e9"', 'nul', '', '  ', '12345678901234567890', '0.1e1', '[1,]'])
  add({ out: { '@json': { mode: 'decode', value: { '@literal': s } } } });
add({ out: { '@json': { mode: 'encode', value: { a: { '@path': '$.missing' }, b: [{ '@path': '$.missing' }, 1], c: { '@literal': null } } } } });
add({ out: { '@template': '{{v}}' } }, { v: 1e300 });
add({ out: { '@transform': { apply: { n: { '@json': { mode: 'decode', value: '[-1e400, "1e400"]' } } }, mapping: { t: { '@template': '{{ n }}' }, e: { '@json': { mode: 'encode', value: { '@path': '$.n' } } }, c: { '@case': { operator: 'upper', value: { '@template': '{{n.0}}' } } } } } } });
add({ out: { '@json': { mode: 'ENCODE', value: { '@path': '$.a' } } } });
add({ out: { '@json': { mode: 'decode', value: { '@path': '$.nested' } } } });
// merge
for (const dir of ['left', 'right', 'LEFT'])
  for (const objs of [[{ a: 1 }, { a: { '@path': '$.missing' } }], [{ '@path': '$.obj' }, { '@path': '$.numkeys' }], [{ '@path': '$.a' }, { '@path': '$.arrs' }], [{ '@path': '$.b' }], [{ '@path': '$.z' }, { '@path': '$.num' }, { x: 1 }], [{ '@path': '$.nested' }, { deep: { '@path': '$.missing' } }], [{ x: { y: { '@path': '$.missing' } } }]])
    add({ out: { '@merge': { direction: dir, objects: objs } } });
// excludeWhenNull
for (const p of ['$.nested', '$.z', '$.n', '$.list', '$.missing', '$.nested.deep'])
  add({ out: { '@excludeWhenNull': { '@path': p } } });
add({ out: { '@excludeWhenNull': { a: null, b: { c: null, d: [null] }, e: { '@path': '$.missing' } } } });
add({ out: { '@merge': { direction: 'right', objects: [{ a: 1, b: 2 }, { '@excludeWhenNull': { a: null, b: { '@path': '$.z' } } }] } } });
// transform
add({ out: { '@transform': { apply: { x: [{ '@path': '$.missing' }, 2] }, mapping: { v: { '@path': '$.x.0' }, w: { '@path': '$.x' }, l: { '@path': '$.x.length' } } } } });
add({ out: { '@transform': { apply: { '@path': '$.a' }, mapping: { v: { '@path': '$.' }, l: { '@path': '$.length' } } } } });
add({ out: { '@transform': { apply: { '@path': '$.missing' }, mapping: { v: { '@path': '$.' } } } } });
add({ out: { '@arrayPath': ['$.list', { t: { '@transform': { apply: { q: 1 }, mapping: { '@path': '$.q' } } } }] } });
add({ out: { '@transform': { apply: { __segment_internal_directive: { '@merge': { direction: 'right', objects: [] } }, k: 1 }, mapping: { '@path': '$.' } } } });
add({ out: { '@transform': { apply: { a: { '@bogus': 1 } }, mapping: { '@path': '$.' } } } });
// unvalidated inside arrays
add({ out: [{ '@path': '$.a', '@literal': 1 }, { '@bogus': 1 }] });
add({ out: [{ '@path': '$.a', '_metadata': {} }, { a: 1, '@path': '$.a' }] });
add({ out: [{ '@path': { '@path': '$.missing' } }] });
add({ out: [{ '@if': 'x' }] });
add({ out: [{ '@if': { then: 1 } }] });
add({ out: [{ '@case': [] }] });
add({ out: [{ '@case': { operator: 1, value: 'Ab' } }] });
add({ out: [{ '@replace': { pattern: 'a', value: 'aaa', replacement: 5 } }] });
add({ out: [{ '@replace': { pattern: 'aaaaaaaaaaaaa', value: 'aaa' } }] });
add({ out: [{ '@replace': { pattern: 'a', value: 'aaa', global: 'yes' } }] });
add({ out: [{ '@arrayPath': 'x' }] });
add({ out: [{ '@flatten': { separator: { '@path': '$.num' }, value: 1 } }] });
add({ out: [{ '@json': { mode: 'x', value: { '@bogus': 1 } } }] });
add({ out: [{ '@json': { mode: 'encode', value: 0 } }] });
add({ out: [{ '@merge': { direction: 'right' } }] });
add({ out: [{ '@merge': { direction: 'right', objects: 'ab' } }] });
add({ out: [{ '@merge': { direction: { '@path': '$.missing' }, objects: [{ a: 1 }] } }] });
add({ out: [{ '@transform': { apply: [], mapping: {} } }] });
add({ out: [{ '@transform': { apply: { a: { '@bogus': 1 } }, mapping: {} } }] });
add({ out: [{ '@template': 5 }] });
add({ out: [{ '@liquid': 5 }] });
// validation
for (const m of [{ a: { '@if': { exists: { '@bogus': 1 } } } }, { a: { '@merge': { objects: [{ x: { '@bogus': 2 } }, 3] } } }, { a: { '@replace': { pattern: '', replacement: 'xxxxxxxxxxxxxxxxx', value: 3, global: 'no' } } }, { a: { '@json': {} } }, { a: { '@arrayPath': [] } }, { a: { '@arrayPath': ['$.x', { '@bogus': 1 }] } }, { a: { '@path': 'x', '_metadata': 1, b: 2 } }, { a: { '@case': { operator: 5, value: 5, extra: { '@bogus': 1 } } } }, { a: { '@merge': { direction: 'up', objects: [] } }, b: { '@flatten': { separator: 1 } } }, { a: { '@transform': { apply: 1 } } }, { a: { '@excludeWhenNull': { '@x': 1 } } }, { a: { '@if': [] } }, { a: [{ '@bogus': 1 }] }, { a: { '@json': { mode: 'Encode', value: 1 } } }, { '@path': '$.a', x: 1 }, { a: { '@merge': { direction: 'up', objects: 5 } } }, { __segment_internal_directive: 'ab', x: 1 }, { __segment_internal_directive: null }, { __segment_internal_directive: {} }, { __segment_internal_directive: { '@merge': { direction: 'right', objects: [{ '@path': '$.obj' }] } }, k: { '@path': '$.a' } }, { __segment_internal_directive: { foo: { a: 1 } }, k: { '@path': '$.a' } }, { __segment_internal_directive: [{ x: 1 }] }])
  add(m);
add({ '10': 1, b: 2, '2': { '@json': { mode: 'encode', value: { '@literal': { z: 1, '5': 2 } } } } });
let n = 0;
for (const { mapping, input } of M) {
  const rec = { name: 'edge ' + (n++), mapping, input };
  try { const o = core.transform(JSON.parse(JSON.stringify(mapping)), JSON.parse(JSON.stringify(input))); rec.ok = true; rec.output = o === undefined ? null : JSON.parse(JSON.stringify(o)); }
  catch (e) { rec.ok = false; const msg = e instanceof Error ? e.message : String(e); const vs = [...msg.matchAll(/ValidationError: (.*)$/gm)].map(m => m[1]); rec.error = vs.length ? vs.join('\n') : msg; }
  process.stdout.write(JSON.stringify(rec) + '\n');
}
