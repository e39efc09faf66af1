// Segment's browser SDK (@segment/analytics-next, from npm) in a real headless Chromium, on a page
// of another origin than the tracking endpoint, sends N + 4 events (identify, page, N tracks,
// group, alias), as a website would. Prints one JSON line: the run's tag (every event carries it
// in its properties or traits), the endpoint's answers by path, method and status, and the
// problems seen (failed requests, console errors).
// usage: node browser_sdk.js SERVE_URL WRITE_KEY standard|batching|settings N
//   standard / batching: the page gives the SDK its settings, with one delivery strategy;
//   settings: the SDK loads them from SERVE_URL/v1/projects/WRITE_KEY/settings (cdnURL).
// SKEW_MS=N runs the page with its clock N ms ahead (a device whose clock is wrong).
'use strict'
const http = require('http')
const fs = require('fs')
const path = require('path')
const puppeteer = require('puppeteer-core')

const [serveUrl, writeKey, mode, nText] = process.argv.slice(2)
const N = Number(nText || 20)
const skew = Number(process.env.SKEW_MS || 0)
const umd = path.join(path.dirname(require.resolve('@segment/analytics-next/package.json')), 'dist/umd')
const tag = `browser-${mode}-${skew ? 'skewed-' : ''}${Date.now()}`
const endpoint = new URL(serveUrl)

const segmentSettings = {
  apiKey: writeKey,
  apiHost: endpoint.host + '/v1',
  protocol: endpoint.protocol.replace(':', ''),
  ...(mode === 'batching' ? { deliveryStrategy: { strategy: 'batching', config: { size: 7, timeout: 500 } } } : {}),
}
const loadArguments = mode === 'settings'
  ? `{writeKey: ${JSON.stringify(writeKey)}, cdnURL: ${JSON.stringify(serveUrl)}}`
  : `{writeKey: ${JSON.stringify(writeKey)}, cdnSettings: {integrations: {'Segment.io': ${JSON.stringify(segmentSettings)}}}}`
const page = `<!doctype html><html><head><script src="/umd/index.js"></script></head><body><script>
  const tag = ${JSON.stringify(tag)};
  window.done = (async () => {
    const [analytics] = await AnalyticsNext.AnalyticsBrowser.load(${loadArguments}, {disableClientPersistence: true});
    await analytics.identify('user-1', {email: 'a@example.com', tag});
    await analytics.page('Docs', 'Home', {tag});
    const calls = [];
    for (let i = 0; i < ${N}; i++) calls.push(analytics.track('Clicked ' + i, {i, tag}));
    await Promise.all(calls);
    await analytics.group('org-1', {tag});
    await analytics.alias('user-2', 'user-1', {tag});
    return 'ok';
  })();
</script></body></html>`

// The page's own origin: another port than the endpoint's, so every request is cross-origin.
const site = http.createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' })
    return res.end(page)
  }
  if (req.url.startsWith('/umd/')) {
    const file = path.join(umd, path.basename(req.url.split('?')[0]))
    if (fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': 'application/javascript' })
      return res.end(fs.readFileSync(file))
    }
  }
  res.writeHead(req.url === '/favicon.ico' ? 204 : 404)
  res.end()
})

;(async () => {
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${site.address().port}`
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new'],
  })
  const statuses = {}
  const problems = []
  try {
    const p = await browser.newPage()
    p.on('response', (r) => {
      if (!r.url().startsWith(serveUrl)) return
      const key = `${new URL(r.url()).pathname} ${r.request().method()} ${r.status()}`
      statuses[key] = (statuses[key] || 0) + 1
    })
    p.on('requestfailed', (r) => {
      if (r.url().startsWith(serveUrl)) problems.push(`failed ${new URL(r.url()).pathname}: ${r.failure().errorText}`)
    })
    p.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text().slice(0, 200)) })
    if (skew) {
      await p.evaluateOnNewDocument((offset) => {
        const RealDate = Date
        class SkewedDate extends RealDate {
          constructor (...a) { if (a.length === 0) super(RealDate.now() + offset); else super(...a) }
          static now () { return RealDate.now() + offset }
        }
        window.Date = SkewedDate
      }, skew)
    }
    await p.goto(origin + '/', { waitUntil: 'load' })
    await p.evaluate(() => window.done)
    // The batching strategy sends its last partial batch after its timeout (500 ms).
    await new Promise((resolve) => setTimeout(resolve, mode === 'batching' ? 2500 : 1500))
    await p.close()
  } finally {
    await browser.close()
    site.close()
  }
  console.log(JSON.stringify({ tag, expected: N + 4, statuses, problems: problems.slice(0, 8) }))
})().catch((e) => {
  console.log(JSON.stringify({ tag, error: String(e && e.stack ? e.stack : e) }))
  process.exit(1)
})
