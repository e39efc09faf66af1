// The package's types (index.d.ts) compiled against actions-core's own: the definition is what
// actions-core's functions take, its action is typed over the package's Payload, and the
// lower-level API is typed as docs/node.md describes it.
import { createTestIntegration, Destination, MultiStatusResponse } from '@segment/actions-core'
import { destination, open, LiveDestination, Payload, ResultEntry, Settings } from 'actions-singlestore-node'

const t = createTestIntegration(destination)
const d = new Destination(destination)
const payload: Payload = { messageId: 'm', timestamp: '2026-01-01T00:00:00Z', type: 'track', event: 'E', message: {} }
const fieldKeys: Array<keyof typeof destination.actions.send.fields> = ['messageId']

async function lowerLevel(settings: Settings): Promise<number> {
  const live: LiveDestination = open(settings, { subscription: 'type = "track"', batchSize: 500 })
  await live.ready()
  const results: ResultEntry[] = await live.performBatch([{ type: 'track', event: 'E', messageId: 'm' }])
  const { ok } = await live.check()
  await live.close()
  // A misspelt settings key is an error for the compiler too (open() refuses it at run time).
  // @ts-expect-error ssl_mode is not a setting: sslMode is
  open({ ...settings, ssl_mode: 'verify_identity' })
  return results.length + (ok ? 1 : 0)
}

export { t, d, payload, fieldKeys, lowerLevel, MultiStatusResponse }
