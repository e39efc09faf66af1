// Segment's browser SDK (@segment/analytics-next, from npm) in a real headless Chromium, on a page
// of another origin than the tracking endpoint, sends N + 4 events (identify, page, N tracks,
// group, alias), as a website would. Prints one JSON line: the run's tag (every event carries it
// in its properties or traits), the endpoint's answers by path, method and status, and the
// problems seen (failed requests, console errors).
// usage: node browser_sdk.js SERVE_URL WRITE_KEY standard|batching|settings|snippet N
//   standard / batching: the page gives the SDK its settings, with one delivery strategy;
//   settings: the SDK loads them from SERVE_URL/v1/projects/WRITE_KEY/settings (cdnURL);
//   snippet: the page has Segment's standard snippet (5.2.0) with its CDN host changed to
//   SERVE_URL, which serves the SDK's files (serve --sdk-dir) and its settings.
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
// Segment's standard snippet, as its documentation gives it, with the CDN host changed. Over
// plain http (this test) analytics.js does not take its CDN from the script's address (it looks
// for https://), so the snippet names it as Segment's snippet generator does (_cdn).
const snippet = `!function(){var analytics=window.analytics=window.analytics||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window.analytics.initialized)return window.analytics[e].apply(window.analytics,arguments);var i=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");i.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}i.unshift(e);analytics.push(i);return analytics}};for(var i=0;i<analytics.methods.length;i++){var key=analytics.methods[i];analytics[key]=analytics.factory(key)}analytics.load=function(key,i){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.src="${serveUrl}/analytics.js/v1/" + key + "/analytics.min.js";var n=document.getElementsByTagName("script")[0];n.parentNode.insertBefore(t,n);analytics._loadOptions=i};analytics._writeKey=${JSON.stringify(writeKey)};analytics._cdn=${JSON.stringify(serveUrl)};analytics.SNIPPET_VERSION="5.2.0";
analytics.load(${JSON.stringify(writeKey)});
analytics.page();
}}();`
const snippetPage = `<!doctype html><html><head><script>${snippet}</script></head><body><script>
  const tag = ${JSON.stringify(tag)};
  window.done = new Promise((resolve) => analytics.ready(resolve)).then(async () => {
    const a = window.analytics;
    await a.identify('user-1', {email: 'a@example.com', tag});
    await a.page('Docs', 'Home', {tag});
    const calls = [];
    for (let i = 0; i < ${N}; i++) calls.push(a.track('Clicked ' + i, {i, tag}));
    await Promise.all(calls);
    await a.group('org-1', {tag});
    await a.alias('user-2', 'user-1', {tag});
    return 'ok';
  });
</script></body></html>`
const page = mode === 'snippet' ? snippetPage : `<!doctype html><html><head><script src="/umd/index.js"></script></head><body><script>
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
