// Records how Segment's @liquid directive behaves, for the engine's conformance test: each input
// line {"name": N, "t": TEMPLATE, "e": EVENT} becomes a mapping-kit case
// {"name", "mapping": {"field": {"@liquid": TEMPLATE}}, "input": EVENT, "ok", "output" | "error"}
// with the result of @segment/actions-core's transform.
// Lines already in the case format are recorded again (to refresh test/liquid/recorded-cases.jsonl).
// usage: ORACLE_NODE_MODULES=/tmp/oracle/node_modules node record_cases.js < templates.jsonl > cases.jsonl
const path = require('path');
const root = process.env.ORACLE_NODE_MODULES || '';
const core = require(root ? path.join(root, '@segment/actions-core') : '@segment/actions-core');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
for (const line of lines) {
  const c = JSON.parse(line);
  if (c.mapping) {
    c.t = c.mapping.field['@liquid'];
    c.e = c.input;
  }
  const mapping = { field: { '@liquid': c.t } };
  const rec = { name: c.name || c.t.slice(0, 80), mapping, input: c.e };
  try {
    rec.output = core.transform(JSON.parse(JSON.stringify(mapping)), JSON.parse(JSON.stringify(c.e)));
    rec.ok = true;
  } catch (e) {
    rec.ok = false;
    rec.error = String(e.message);
  }
  process.stdout.write(JSON.stringify(rec) + '\n');
}
