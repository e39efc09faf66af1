// Records actions-core's "date-like" format (dayjs, falling back on V8's Date parser) over many
// strings, for date_like_test.cpp. The check is copied from actions-core's schema-validation.
// usage: ORACLE_NODE_MODULES=/tmp/oracle/node_modules TZ=UTC node record_date_like_cases.js > date_like_cases.jsonl
const path = require('path');
const dayjs = require(path.join(process.env.ORACLE_NODE_MODULES || 'node_modules', 'dayjs'));
const dateLike = (data) => {
  let date = dayjs(data);
  if (String(Number(data)) === data) {
    if (data.length === 13) date = dayjs(Number(data));
    date = dayjs.unix(Number(data));
  }
  return date.isValid();
};
const fixed = ['', ' ', 'Z', 'z', 'T', 'today', 'now', 'not-a-date', 'null', 'true', 'NaN', 'Infinity', '-Infinity', '0', '-0', '1', '1.5', '-3', '1e3', '1e21',
  '0x1A', ' 12', '12 ', '1700000000', '1700000000000', '99999999999999', '8640000000000', '8640000000001', '1234', '12345', '20200101', '2020-1-1', '2020-01-01',
  '2020-01-01T00:00:00Z', '2020-01-01T00:00:00z', '2020-01-01T00:00:00.123456789Z', '2020-01-01T24:00:00Z', '2020-01-01T24:00:01Z', '2020-01-01T25:00:00Z',
  '2020-01-01T10:00Z', '2020-01-01T10Z', '2020-02-30T00:00:00Z', '2020-13-01T00:00:00Z', '2020-00-01', '2020-01-32', '+002020-01-01T00:00:00Z',
  '-000000-01-01T00:00:00Z', '-271821-04-20T00:00:00Z', '-271821-04-19T00:00:00Z', '+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.001Z',
  '2020-01-01T00:00:00+0200', '2020-01-01T00:00:00+02', '2020-01-01T00:00:00+02:00Z', '2020-01-01T00:00:00 GMT', '2020-01-01 10:00:00 PST',
  'Jan 1 2020', 'January 1, 2020', '1 January 2020', 'Tue, 01 Jan 2019 10:00:00 GMT', 'Tue Mar 01 2022 10:00:00 GMT+0100 (CET)', 'Mon Jan 1 2020',
  '2020/01/01', '2020/01/01 10:00', '12/25/2020', '25/12/2020', '12-25-2020', '1/2/3', '1 2 3', '1 2 3 4', '10:00', '10:00:00', '10:00 am', '10:00 PM 2020-01-01',
  'Jan', 'foo 2020', 'foo2020', 'x2020', '2020x', '2020 x', '(comment) 2020-01-01', '2020-01-01 (comment)', 'Jan 1 2020 )', 'Jan 1 2020 +', 'Jan 1 2020 10:00 +0530',
  'Jan 1 2020 10:00 UTC+5', 'Jan 1 2020 10:00 UT', 'Jan 1 2020 10:00 EST', 'Jan 1 2020 10:00 est5', 'Jan 1 2020 10:00.5', 'Jan 1 2020 10:00:00.5', 'Jan 1 2020 10::',
  'Dec 31 99', 'Dec 31 49', 'Dec 31 50', '31 Dec', 'Dec 31', '2020-01-01T', '2020-01-01T10', '2020-01-01T10:0', '2020-01-01t10:00:00', '2020-01-01 T10:00:00',
  '2020-06-15T12:30:45.5-07:00', '2020-06-15T12:30:45,5Z', '2020-06-15T12:30:45.Z', '٢٠٢٠-٠١-٠١', '2020‐01‐01', '2020-01-01\u00a010:00', '2020-01-01\u200310:00',
  '2020-01-01\n', '\n2020-01-01', '2020-01-01T10:00:00\u0000Z', 'Jan\u00001 2020', '0000', '9999', '10000', '275760', '2020-01-01T10:00:00.1234567891234Z',
  'Sat, 30 Feb 2019', '30 Feb 2019', 'Feb 30 2019 25:00', '2020-01-01 12:00 am', '2020-01-01 13:00 pm', '12:00 am Jan 1 2020', 'T10:00', '2020-01-01TT10:00',
  'Thursday', 'Thu 2020', 'may 5', 'MAY 5 2020', 'Mayday 5 2020', 'Ma 5 2020', 'juni 5 2020', '5 sept. 2020', 'sept 5, 2020 4:05:06 pm', '2020.01.01', '01.02.2020'];
const cases = new Set(fixed);
let s = 7;
const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
const parts = ['2020', '-', '01', '/', '12', ':', ' ', 'T', 'Z', '+', '.', '5', '30', 'Jan', 'pm', 'GMT', '(x)', ')', 'foo', '123', '2020-01-01', '10:00', '00'];
while (cases.size < 2500) {
  let t = '';
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) t += parts[Math.floor(rnd() * parts.length)];
  cases.add(t);
}
for (const c of cases) process.stdout.write(JSON.stringify({ s: c, ok: dateLike(c), ms: Date.parse(c) }) + '\n');
