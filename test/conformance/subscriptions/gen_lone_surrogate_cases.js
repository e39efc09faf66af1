// Records upstream's answers for subscriptions over events whose strings hold lone UTF-16
// surrogates (a string cut inside an emoji, which JSON.stringify writes as "\ud83d"), and for
// expressions whose literals upstream itself cuts inside an emoji (match(x, "😀...") slices one
// UTF-16 unit off).
// usage: ORACLE_NODE_MODULES=... node gen_lone_surrogate_cases.js > lone_surrogates.jsonl
const path = require('path');
const ds = require(path.join(process.env.ORACLE_NODE_MODULES || 'node_modules',
                             '@segment/destination-subscriptions'));

const events = [
  {type: 'track', event: 'x\ud83d', properties: {s: 'x\ud83d', t: '\ude00y', grin: 'ab\u{1F600}cd',
   both: '\ude00\ud83d', n: '1\ud83d', list: ['\ud83d']}},
  {type: 'track', event: 'x\u{1F600}', properties: {s: '\u{1F600}', t: 'y\ude00', grin: '\u{1F600}',
   both: '\ud83d\ude00', n: '\ud83d', list: []}},
  {type: 'track', event: '\ude00', properties: {s: '', t: '\ude00', grin: 'x', both: 'z', n: 2}},
];

const expressions = [
  'event = "x"', 'properties.s.length = 2', 'properties.s.length = 1', 'properties.grin.length = 6',
  'properties.both.length = 2', 'properties.grin.\\2 != null', 'properties.grin.\\3 != null',
  'properties.grin.\\4 = "c"', 'properties.s.\\1 != null', 'properties.t.\\0 != null',
  'contains(event, "x")', 'contains(properties.t, "y")', 'contains(properties.grin, "b")',
  'match(event, "x*")', 'match(properties.t, "*y")', 'match(properties.grin, "ab*")',
  'match(properties.grin, "*cd")', 'match(event, "😀")', 'match(properties.s, "😀")',
  'match(properties.t, "😀y")', 'match(properties.grin, "😀cd")', 'match(event, "*😀")',
  'match(properties.grin, "😀*")', 'match(properties.s, "*😀")', 'match(event, "x😀*")',
  'properties.n = 1', 'properties.n > 0', 'properties.n != 1', 'properties.s != "x"',
  'properties.list.length = 1', 'properties.list.\\0 != null', 'properties.both = "z"',
  'type = "track" and contains(properties.s, "x")', '!contains(properties.grin, "😀")',
  'contains(properties.grin, "😀")', 'contains(properties.both, "😀")',
];

let id = 0;
for (const sub of expressions) {
  let ast;
  try { ast = ds.parseFql(sub); } catch (e) { ast = {error: e}; }
  for (const ev of events) {
    const rec = {id: id++, subscription: sub, event: ev};
    if (ast.error) rec.error = true;
    else { try { rec.match = ds.validate(ast, ev); } catch (e) { rec.error = true; } }
    process.stdout.write(JSON.stringify(rec) + '\n');
  }
}
