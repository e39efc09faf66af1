// Records how Segment's mapping kit (and its @liquid) treats strings with lone UTF-16 surrogates
// (a string cut inside an emoji, which JSON.stringify writes as "\ud83d"), for
// test/conformance/mapping-kit/lone-surrogates.jsonl: lengths, indexing, slicing, joining halves
// again, case, comparison and JSON in and out.
// usage: ORACLE_NODE_MODULES=... node record_lone_surrogate_cases.js > ../../conformance/mapping-kit/lone-surrogates.jsonl
const path = require('path');
const core = require(path.join(process.env.ORACLE_NODE_MODULES || '', '@segment/actions-core'));
const ev = {
  grin: 'ab\u{1F600}cd', // a character beyond U+FFFF between ASCII
  high: 'x\ud83d', // cut after the first half
  low: '\ude00y', // the second half alone
  both: '\ude00\ud83d', // halves in the wrong order: two lone surrogates
  keyed: { '\ud83d': 1, plain: '\udfff' },
  list: ['\ud83d', 'z'],
  hangul: '\ud7ff', // just below the surrogates: ordinary text
  n: 5,
};
const M = [];
const add = (mapping, input = ev) => M.push({ mapping, input });
for (const p of ['$.', '$.grin.length', '$.grin.2', '$.grin.3', '$.grin.4', '$.high.length', '$.high.1', '$.low.0',
  '$.both.length', '$.both.1', '$.keyed', '$.list', '$.hangul.length'])
  add({ out: { '@path': p } });
for (const t of ['{{high}}{{low}}', '{{grin.2}}{{grin.3}}', '{{grin.3}}{{grin.2}}', '[{{high}}]', '{{both}}', '{{list}}',
  '{{{high}}}{{low}}', '{{high}}x{{low}}'])
  add({ out: { '@template': t } });
for (const p of ['$.grin', '$.high', '$.both'])
  add({ out: { '@merge': { direction: 'right', objects: [{ '@path': p }] } } });
for (const op of ['upper', 'lower']) for (const p of ['$.high', '$.low', '$.grin']) add({ out: { '@case': { operator: op, value: { '@path': p } } } });
for (const o of [{ pattern: 'x', replacement: 'X' }, { pattern: 'y', replacement: '$&$&' }, { pattern: '\u{1F600}', replacement: '-' },
  { pattern: 'X', replacement: '_', ignorecase: true }])
  for (const p of ['$.high', '$.low', '$.grin'])
    add({ out: { '@replace': { ...o, value: { '@path': p } } } });
for (const p of ['$.high', '$.keyed', '$.list', '$.grin'])
  add({ out: { '@json': { mode: 'encode', value: { '@path': p } } } });
for (const s of ['"\\ud83d"', '{"\\ude00":"\\ud83d\\ude00\\ud83d"}', '["\\udbff\\udfff", "\\ud800"]'])
  add({ out: { '@json': { mode: 'decode', value: { '@literal': s } } } });
for (const p of ['$.high', '$.both', '$.keyed'])
  add({ out: { '@if': { exists: { '@path': p }, then: { '@path': p }, else: 'none' } } });
add({ out: { '@flatten': { separator: '.', value: { '@path': '$.keyed' } } } });
add({ out: { '@arrayPath': ['$.list', { v: { '@path': '$.' } }] } });
for (const l of ['{{ high | size }}', '{{ grin | size }}', '{{ grin | slice: 2 }}', '{{ grin | slice: 3, 2 }}', '{{ grin | slice: -3 }}',
  '{{ high | upcase }}', '{{ low | downcase }}', '{{ grin | truncate: 4 }}', '{{ high | json }}', '{{ high | append: low }}',
  '{{ high | prepend: "<" }}', '{{ both | reverse }}', '{{ high | split: "x" | join: "," }}', '{{ high | replace: "x", "y" }}',
  '{% if high > low %}gt{% else %}le{% endif %}', '{% if high < grin %}lt{% else %}ge{% endif %}', '{% if high == "x\ud83d" %}eq{% endif %}',
  '{{ high | strip }}', '{{ high | url_encode }}', '{{ high | base64_encode }}', '{{ list | first }}{{ low }}',
  '{{ grin | capitalize }}', '{{ high | escape }}', '{{ list | sort | join: "|" }}', '{{ high | default: "d" }}'])
  add({ out: { '@liquid': l } });
let n = 0;
for (const { mapping, input } of M) {
  const rec = { name: 'lone surrogate ' + (n++), mapping, input };
  try { const o = core.transform(JSON.parse(JSON.stringify(mapping)), JSON.parse(JSON.stringify(input))); rec.ok = true; rec.output = o === undefined ? null : JSON.parse(JSON.stringify(o)); }
  catch (e) { rec.ok = false; const msg = e instanceof Error ? e.message : String(e); const vs = [...msg.matchAll(/ValidationError: (.*)$/gm)].map(m => m[1]); rec.error = vs.length ? vs.join('\n') : msg; }
  process.stdout.write(JSON.stringify(rec) + '\n');
}
