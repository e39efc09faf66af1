// Records how Segment validates payloads against field definitions (removeEmptyValues, then
// ajv with actions-core's schema and human error messages), for validation_cases_test.cpp.
// usage: ORACLE_NODE_MODULES=/tmp/oracle/node_modules node record_validation_cases.js COUNT SEED field_sets.json \
//          > validation_cases.jsonl 2>/dev/null
const path = require('path');
const nm = process.env.ORACLE_NODE_MODULES || 'node_modules';
const core = path.join(nm, '@segment/actions-core/dist/cjs');
const { fieldsToJsonSchema } = require(path.join(core, 'destination-kit/fields-to-jsonschema.js'));
const { validateSchema } = require(path.join(core, 'schema-validation.js'));
const { removeEmptyValues } = require(path.join(core, 'remove-empty-values.js'));

const count = parseInt(process.argv[2] || '2000', 10);
let s = parseInt(process.argv[3] || '1', 10) >>> 0;
const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];

const fieldSets = [
  { s: { label: 'S', type: 'string', minimum: 2, maximum: 5, choices: ['ab', 'abc', 'abcdef'], allowNull: true },
    n: { label: 'N', type: 'number', minimum: 1, maximum: 10 },
    i: { label: 'I', type: 'integer', required: true },
    b: { label: 'B', type: 'boolean' },
    d: { label: 'D', type: 'datetime', allowNull: true },
    t: { label: 'T', type: 'text' }, p: { label: 'P', type: 'password' } },
  { ms: { label: 'MS', type: 'string', multiple: true, choices: [{ label: 'a', value: 'a' }, { label: 'b', value: 'b' }] },
    mn: { label: 'MN', type: 'number', multiple: true },
    mb: { label: 'MB', type: 'boolean', multiple: true, required: true },
    md: { label: 'MD', type: 'datetime', multiple: true } },
  { o: { label: 'O', type: 'object', properties: { a: { label: 'A', type: 'integer', required: true }, b: { label: 'B', type: 'string' } } },
    oa: { label: 'OA', type: 'object', additionalProperties: true, properties: { x: { label: 'X', type: 'number' } } },
    mo: { label: 'MO', type: 'object', multiple: true, properties: { a: { label: 'A', type: 'integer', required: true } } },
    free: { label: 'Free', type: 'object', required: true } },
  { kind: { label: 'Kind', type: 'string', choices: ['x', 'y', 'z'] },
    when_x: { label: 'When X', type: 'string', required: { conditions: [{ fieldKey: 'kind', operator: 'is', value: 'x' }] } },
    when_not_y: { label: 'When Not Y', type: 'number', required: { conditions: [{ fieldKey: 'kind', operator: 'is_not', value: 'y' }] } },
    when_empty: { label: 'When Empty', type: 'string', required: { conditions: [{ fieldKey: 'kind', operator: 'is', value: undefined }] } },
    when_set: { label: 'When Set', type: 'boolean', required: { conditions: [{ fieldKey: 'kind', operator: 'is_not', value: undefined }] } },
    any2: { label: 'Any2', type: 'string', required: { match: 'any', conditions: [{ fieldKey: 'kind', operator: 'is', value: 'z' }, { fieldKey: 'flag', operator: 'is', value: true }] } },
    all2: { label: 'All2', type: 'string', required: { match: 'all', conditions: [{ fieldKey: 'kind', operator: 'is', value: 'z' }, { fieldKey: 'flag', operator: 'is_not', value: true }] } },
    flag: { label: 'Flag', type: 'boolean' } },
  { obj: { label: 'Obj', type: 'object', properties: { mode: { label: 'Mode', type: 'string' }, need: { label: 'Need', type: 'string', required: { conditions: [{ fieldKey: 'obj.mode', operator: 'is', value: 'on' }] } } } },
    top: { label: 'Top', type: 'string', required: { conditions: [{ fieldKey: 'obj.mode', operator: 'is', value: 'on' }] } },
    nolabel: { label: '', type: 'string' } },
];
const scalars = ['', ' ', 'a', 'ab', 'abc', 'abcdef', 'x', 'y', 'z', 'on', 'off', '0', '1', '5', '12', '1.5', '-3', '1e3', '0x1A', ' 7 ', 'Infinity', 'true', 'false', 'null',
  '2020-01-01', '2020-01-01T00:00:00Z', '2020-02-30', 'Jan 5 2021', 'not a date', '1700000000', 'ü€😀', 0, 1, -1, 2.5, 5, 11, 1e21, 1000, true, false, null];
function value(depth) {
  const r = rnd();
  if (r < 0.6 || depth > 1) return pick(scalars);
  if (r < 0.8) { const n = Math.floor(rnd() * 3); return Array.from({ length: n }, () => value(depth + 1)); }
  const o = {}; for (const k of ['a', 'b', 'x', 'mode', 'need', 'zz']) if (rnd() < 0.4) o[k] = value(depth + 1); return o;
}
const good = { string: ['ab', 'abc', 'x', 'z', 'on'], text: ['t'], password: ['pw'], number: [1, 5, 2.5, '7'], integer: [1, 3, '4'],
  boolean: [true, false, 'true'], datetime: ['2020-01-01T00:00:00Z', 1700000000, '2021-06-01'] };
function goodValue(field) {
  let v = pick(good[field.type] || [{}]);
  if (field.choices && rnd() < 0.8) v = pick(field.choices.map((c) => (typeof c === 'string' ? c : c.value)));
  if (field.type === 'object') {
    v = {};
    for (const [k, f] of Object.entries(field.properties || {})) if (rnd() < 0.8) v[k] = goodValue(f);
  }
  if (field.multiple) v = rnd() < 0.7 ? [v, goodValue({ ...field, multiple: false })] : v;
  return v;
}
for (let c = 0; c < count; c++) {
  const setIndex = c % fieldSets.length;
  const fields = fieldSets[setIndex];
  const payload = {};
  for (const k of Object.keys(fields).concat(['extra'])) {
    const r = rnd();
    if (r < 0.15) continue;
    payload[k] = r < 0.85 && fields[k] ? goodValue(fields[k]) : value(0);
  }
  const batch = rnd() < 0.5;
  const input = JSON.parse(JSON.stringify(payload));
  const schema = fieldsToJsonSchema(fields);
  let out = removeEmptyValues(JSON.parse(JSON.stringify(payload)), schema, !batch);
  let rec = { set: setIndex, batch, payload: input };
  try {
    validateSchema(out, schema, {});
    rec.ok = true; rec.output = out;
  } catch (e) { rec.ok = false; rec.error = e.message; }
  process.stdout.write(JSON.stringify(rec) + '\n');
}
// The field sets, once, for the test to build its definitions from (undefined condition values stay absent).
require('fs').writeFileSync(process.argv[4] || 'field_sets.json', JSON.stringify(fieldSets) + '\n');
