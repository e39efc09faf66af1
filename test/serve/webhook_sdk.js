// Segment's own Webhooks (Actions) destination (@segment/action-destinations, run by
// @segment/actions-core) posts events to one URL as Segment's cloud forwards a source to a
// self-hosted endpoint: N events in batches of 100 (a bare JSON array each, performBatch), six
// single events (the bare event, perform), then the first batch again. Prints one JSON line: the
// run's tag (in every event's properties and messageId), and what failed.
// usage: node webhook_sdk.js URL WRITE_KEY N
'use strict'
const core = require('@segment/actions-core')
const webhook = require('@segment/action-destinations/dist/destinations/webhook').default

const [url, writeKey, nText] = process.argv.slice(2)
const N = Number(nText || 300)
const tag = 'webhook-' + Date.now()
const headers = { Authorization: 'Basic ' + Buffer.from(writeKey + ':').toString('base64') }
const mapping = { url, method: 'POST', headers, data: { '@path': '$.' }, batch_size: 100 }
const types = ['track', 'identify', 'page', 'screen', 'group', 'alias']

function event(i) {
  const type = types[i % types.length]
  const e = {
    type, messageId: `${tag}-${i}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString(),
    userId: 'u' + (i % 97), anonymousId: 'a' + i,
    context: { library: { name: 'webhook-sdk' } }, properties: { i, tag },
  }
  if (type === 'track') e.event = 'Order Completed'
  if (type === 'page' || type === 'screen') e.name = 'Home'
  if (type === 'group') e.groupId = 'g1'
  if (type === 'alias') e.previousId = 'p' + i
  return e
}

;(async () => {
  const destination = new core.Destination(webhook)
  const events = Array.from({ length: N }, (_, i) => event(i))
  const result = { tag, events: N + 6, failedBatches: 0, failedSingles: 0, repeatFailed: 0, firstError: '' }
  const note = (e) => { result.firstError = result.firstError || String(e).slice(0, 300) }
  const sendBatch = async (batch) => {
    const answers = await destination.executeBatch('send', { events: batch, mapping, settings: {} })
    const bad = answers.filter((a) => a.status !== 200)
    if (bad.length) note(JSON.stringify(bad[0]))
    return bad.length === 0
  }
  for (let s = 0; s < N; s += 100) {
    try { if (!(await sendBatch(events.slice(s, s + 100)))) result.failedBatches++ } catch (e) { result.failedBatches++; note(e.message) }
  }
  for (let i = 0; i < 6; i++) {
    try { await destination.executeAction('send', { event: event(N + i), mapping, settings: {} }) } catch (e) { result.failedSingles++; note(e.message) }
  }
  // The same batch again, as Segment retries one: answered, nothing new stored.
  try { if (!(await sendBatch(events.slice(0, 100)))) result.repeatFailed++ } catch (e) { result.repeatFailed++; note(e.message) }
  console.log(JSON.stringify(result))
})().catch((e) => {
  console.log(JSON.stringify({ tag, error: String(e && e.stack ? e.stack : e) }))
  process.exit(1)
})
