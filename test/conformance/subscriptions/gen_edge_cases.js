// Records upstream's answers for hand-picked subscription edge cases (lexer quirks, parse errors,
// odd operators, coercions, JavaScript property reads) over a set of unusual events.
// usage: ORACLE_NODE_MODULES=... node gen_edge_cases.js > edge.jsonl
// Each line: {"id":N,"subscription":"...","event":...,"match":true|false} or {...,"error":true}.
const path = require('path');
const ds = require(path.join(process.env.ORACLE_NODE_MODULES || 'node_modules',
                             '@segment/destination-subscriptions'));

const events = [
  {type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'm1',
   properties: {plan: 'pro', revenue: 10, price: '10', active: true, count: 0, ratio: 0.5,
                big: 12345678901234567000, neg: -3, items: [1, 'two', {x: 3}], empty: [],
                a: 0, s: '', f: false, n: null, nested: {deep: {x: 'y'}}, emoji: '😀abc',
                spaced: ' 12 ', hex: '0x10', exp: '1e3', word: 'abc', 'first name': 'Ann',
                'a.b': 'dotted', inf: 'Infinity'},
   traits: {email: 'a@example.com', vip: false, age: 42},
   context: {page: {url: 'https://example.com/x?y=1', title: 'Home'}, locale: 'en-US'}},
  {type: 'identify', userId: 123, name: 5, traits: {email: 'b@other.io', vip: true, age: '42'},
   properties: 'hello', context: null},
  {type: 'page', name: 'é', event: 'Go 😀', userId: true, properties: {plan: null, revenue: '5'},
   traits: [], context: {page: 'flat'}},
  {type: 'track', event: 'Signed Up', userId: false, properties: 0, traits: '', context: false},
  {type: 'track', event: 'order completed', properties: {constructor: 'own', __proto__x: 1,
   revenue: 150, plan: 'enterprise pro', active: 'true', items: []}},
  {type: 'screen', name: 'Home', properties: {revenue: -0.5, count: 10, plan: 'free'},
   traits: {email: null}},
  {type: 'alias', userId: '', event: '', name: '', properties: {}, traits: {}, context: {}},
  {type: 'TRACK', event: 'eos', properties: {x: 'eos', revenue: 1e21}},
  {type: 'null', event: 'null', name: 'null', userId: 'null', properties: {x: 'null'}},
  {},
  null,
  5,
  'track',
  [],
  true,
];

const expressions = [
  // the plain forms
  'type = "track"', "type = 'track'", 'type="track"', 'type ="track"', 'type= "track"',
  'type != "track"', 'type !="track"', 'type!= "track"', 'type!="track"', 'type = "TRACK"',
  'event = "Order Completed"', 'event != null', 'event = null', 'event = true', 'event = 5',
  'event = ""', 'event != ""', 'event = eos', 'event =', 'type =', 'type = ', 'type = null',
  'type != null', 'type = true', 'name = null', 'name != null', 'name = "é"', 'name = 5',
  'name = true', 'userId = true', 'userId = false', 'userId = null', 'userId != null',
  'userId = 123', 'userId = "123"', 'userId > 100', 'userId = \\true', 'userId != true',
  // numbers and their coercions
  'properties.revenue > 10', 'properties.revenue >= 10', 'properties.revenue < 10',
  'properties.revenue <= 10', 'properties.revenue = 10', 'properties.revenue != 10',
  'properties.revenue = "10"', 'properties.revenue != "10"', 'properties.price = "10"',
  'properties.price = 10', 'properties.price > 5', 'properties.revenue < "11"',
  'properties.revenue > "0x9"', 'properties.revenue > " 9 "', 'properties.revenue > ""',
  'properties.revenue > true', 'properties.revenue > false', 'properties.revenue <= -5',
  'properties.neg <= -3', 'properties.neg < -.5', 'properties.ratio = .5', 'properties.ratio = 0.5',
  'properties.revenue = 10.0', 'properties.revenue = 010', 'properties.revenue = 1e1',
  'properties.revenue = -', 'properties.revenue != -', 'properties.revenue = +',
  'properties.revenue = 5.', 'properties.revenue = 5.5.5', 'properties.revenue = 5.x',
  'properties.revenue > "1e1"', 'properties.revenue < "Infinity"', 'properties.revenue > "-Infinity"',
  'properties.revenue > "0b11"', 'properties.revenue > "0o7"', 'properties.revenue > "\t5\n"',
  'properties.revenue > null', 'properties.revenue < "abc"', 'properties.big > 1e19',
  'properties.big = 12345678901234567000', 'properties.big >= 12345678901234567890',
  'properties.revenue > 99999999999999999999999', 'properties.revenue < 0.0000000000000000000000000001',
  'properties.revenue > 1' + '0'.repeat(400), 'properties.revenue < 0.' + '0'.repeat(400) + '1',
  'properties.revenue > "0x' + 'f'.repeat(40) + '"', 'properties.count = 0', 'properties.count != 0',
  'traits.age > 40', 'traits.age = "42"', 'traits.age = 42',
  // booleans, null, existence
  'properties.active = true', 'properties.active = false', 'properties.active != true',
  'properties.active = "true"', 'traits.vip = false', 'traits.vip != false', 'traits.vip = \\false',
  'properties.plan = null', 'properties.plan != null', 'properties.missing = null',
  'properties.missing != null', 'properties = null', 'properties != null', 'traits = null',
  'context = null', 'context != null', 'traits.email = null', 'context.page != null',
  // paths
  'properties.a.b = 0', 'properties.a.b = null', 'properties.s.x = ""', 'properties.f.x = false',
  'properties.n.x = null', 'properties.n.x != null', 'properties.items.length = 3',
  'properties.items.length > 0', 'properties.empty.length = 0', 'properties.items.\\0 = 1',
  'properties.items\\[0\\] = 1', 'properties.items.\\1 = "two"', 'properties.items\\[2\\].x = 3',
  'properties.items.\\3 = null', 'properties.items.\\01 = null', 'properties.emoji.length = 5',
  'properties.emoji.\\2 = "a"', 'properties.emoji.\\0 != null', 'properties.word.\\0 = "a"',
  'properties.word.length = 3', 'properties.length = 5', 'properties.\\0 = "h"',
  'properties.nested.deep.x = "y"', 'properties.nested.deep = null', 'properties.nested.deep.x.y = null',
  'properties.first\\ name = "Ann"', 'properties.a\\.b = "dotted"', 'properties\\.plan = "pro"',
  'properties.\\. = 1', 'properties.\\[\\] != null', 'properties. plan = "pro"',
  'properties .plan = "pro"', 'properties.plan.length > 2', 'context.page.url contains "example"',
  'context.page.title = "Home"', 'context.locale = "en-US"', 'context.page.url.length > 3',
  'traits.email.length > 5', 'traits.traits = null', 'properties.properties = null',
  'properties.constructor != null', 'properties.constructor = "own"', 'properties.toString != null',
  'properties.__proto__ != null', 'properties.hasOwnProperty = null', 'properties.word.toUpperCase != null',
  'properties.items.map != null', 'properties.revenue.toFixed != null', 'properties.active.valueOf != null',
  'properties.word.big != null', 'properties.items.big = null', 'properties.toString.name = null',
  'properties.constructor.name = "Object"', 'properties.inf > 5', 'properties.exp > 5',
  'properties.spaced > 5', 'properties.hex > 5', 'type.foo = "track"', 'event.length = "x"',
  'typefoo = "x"', 'typefoo = "x" and type = "track"',
  // operators given as identifiers
  'properties.plan contains "pro"', 'event contains "Order"', 'properties.plan starts_with "p"',
  'properties.plan ends_with "o"', 'properties.plan not_contains "pro"', 'properties.x exists 1',
  'properties.plan exists 1', 'properties.plan not_exists 1', 'properties.active is_true 1',
  'properties.active is_false 1', 'event number_equals 5', 'properties.revenue number_equals 10',
  'properties.revenue number_equals "10"', 'properties.revenue number_not_equals 3',
  'type contains "ack"', 'type == "track"', 'type === "track"', 'type <> "x"', 'type => "x"',
  'type >= "x"', 'properties.revenue<5', 'properties.revenue <5', 'properties.revenue <=5',
  'properties.revenue < =5', 'properties.revenue >=5', 'properties.revenue > = 5',
  'type "track"', 'type', 'event', 'properties.revenue', 'type . "x"',
  // functions
  'contains(event, "Order")', "contains(event, 'Order')", 'contains(properties.plan, "pro")',
  'contains(properties.plan, pro)', 'contains(traits.email, "@")', 'contains(context.page.url, "https")',
  'contains(name, "é")', 'contains(userId, "u")', 'contains(type, "t")',
  'contains(type, "t") and event = "Signed Up"', 'contains(event, "")', 'contains(event, 5)',
  'contains(properties.revenue, "1")', 'contains(properties, "h")', 'contains(propertiesX, "a")',
  'contains(traits, "b")', 'contains(context, "x")', 'match(event, "Order*")',
  'match(event, "*Completed")', 'match(event, "Or*der")', 'match(event, "")', 'match(event, "*")',
  'match(event, "**")', 'match(event, "😀*")', 'match(event, "😀")', 'match(event, "x😀")',
  'match(properties.emoji, "x😀abc")', 'match(properties.emoji, "😀abc")', 'match(event, 123)',
  'match(event, true)', 'match(event, eos)', 'match(event, \\*\\")', "match(event, 'Order*')",
  'match(name, "*é")', 'match(traits.email, "*example.com")', 'match(context.page.url, "https*")',
  '!match(event, "Order*")', '!contains(event, "Order")', '! contains(event, "Order")',
  '!contains(type, "x")', '!type = "track"', '!(type = "track")', '!!contains(event, "O")',
  'contains(event "x")', 'contains(event)', 'contains(', 'contains()', 'contains', 'match(event,',
  'match(event', 'contains event, "x"', 'contains(event, "x"', 'contains(event, "x") type = "y"',
  'contains(event,"Order")and type = "track"', 'contains(event, "Order") or',
  // grouping and conditionals
  '(type = "track")', '((type = "track"))', '(type = "track") and (event = "Signed Up")',
  '()', '() or type = "track"', 'type = "track" or ()', 'type = "track" and ()',
  'type = "identify" and ()', '(type = "track"', 'type = "track")', ')type = "track"',
  '(type = "track" or event = "x") and userId = "u1"', 'type = "track" and event = "x" or userId = "u1"',
  'type = "a" or type = "track" and type = "c"', 'type = "track" and (event = "x" or (userId = "u1"))',
  '(contains(event, "Order") or type = "page")', '(type = "track" and (event = "a"))',
  'type = "track" and', 'and type = "track"', 'or type = "page"', 'type = "track" and and event = "x"',
  'type = "track" or or', '(type = "page") (type = "track")', 'type = "track" type = "page"',
  'type = "track"and event = "x"', 'type = "track"or event = "x"', '(type = "track")and(event = "x")',
  'type = "track" AND event = "Signed Up"', 'type = "track" Or type = "page"',
  'type = "track" && event = "x"', 'type = "track" || type = "page"',
  // lexical oddities
  'an', 'a', 'o', 'n', 'nu', 'null', 'true', '""', '"abc"', '5', '-', '+', '.', ',', '[', ']', '#',
  '@', '', '   ', '\t', 'type = "tr#ack"', 'type = "track" # comment', 'type = "track" é',
  'type = "a \\"b"', 'event = "a\\b"', 'event = "it\'s"', "event = 'say \"hi\"'", 'type = "x" \r\n',
  'type\t=\t"track"', 'type\n=\n"track"', 'type = "track"\n', 'type = "track"\r', 'type = "track',
  "type = 'track", 'type = "track" and event = "Order Completed', 'type = "track""', 'type = ""track"',
  '"track" = type', 'foo = "bar"', 'foo = "bar" and type = "track"', 'foo', 'foo!', 'foo<', 'foo[0]',
  'constructor = 1 and type = "track"', '__proto__ = 1 or type = "page"', 'toString',
  'valueOf = 1', 'hasOwnProperty(event, "x")', '_type = "track"', '\\type = "track"',
  'ty\\pe = "track"', 'type\\ = "track"', 'type\\', 'ty-pe = "x"', 'type_x = "x"', '1type = "x"',
  'type = 1track', 'type = track', 'type = \\"track\\"', 'properties.plan = pro',
  'event = Order\\ Completed', 'type = "track" and event = "Order Completed" and userId = "u1"',
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
