// Types of actions-singlestore's Node package. The definition uses the types of
// @segment/actions-core, the peer dependency that runs it; the lower-level API (open) needs none.
import type { ActionDefinition, DestinationDefinition } from '@segment/actions-core'

/** The settings of the destination (docs/contracts.md: host, port, username, password, dbName, ...). */
export interface Settings {
  host: string
  port?: number
  username: string
  password?: string
  dbName: string
  tableName?: string
  sslMode?: 'disabled' | 'preferred' | 'required' | 'verify_ca' | 'verify_identity'
  sslCa?: string
}

/** The Send Data action's payload, as actions-core maps and validates it. */
export interface Payload {
  database?: string
  messageId: string
  timestamp: string | number
  type: 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias'
  event?: string
  message: Record<string, unknown>
  max_batch_size?: number
  enable_batching?: boolean
}

/** One event's answer, Segment's multi-status shape. */
export interface ResultEntry {
  status: number
  body?: { outcome: 'inserted' | 'duplicate' | 'validated' | 'skipped'; reason?: string }
  sent?: Record<string, unknown>
  errortype?: string
  errormessage?: string
  errorreporter?: 'INTEGRATIONS' | 'DESTINATION'
  outcome?: 'rejected' | 'failed'
}

/**
 * The definition, typed with actions-core's own types (the peer dependency): the Send Data action
 * is an ActionDefinition over this package's Settings and Payload.
 */
export type SingleStoreDestination = DestinationDefinition<Settings> & {
  actions: { send: ActionDefinition<Settings, Payload> }
}

export const destination: SingleStoreDestination

export interface OpenOptions {
  /** A Segment mapping (mapping-kit); default: the action's default mapping. */
  mapping?: Record<string, unknown>
  /** A Segment subscription (FQL); default: the action's defaultSubscription; "" lets every event through. */
  subscription?: string
  /** Validate only, deliver nothing (entries answer "validated"). */
  dryRun?: boolean
  /** The most payloads one statement carries. */
  batchSize?: number
  /** Connections the destination keeps. */
  parallel?: number
  /** How long transient faults are retried inside a call, in milliseconds. */
  retryForMs?: number
}

/** A live native destination: connections and the compiled mapping kept across calls. */
export class LiveDestination {
  constructor(settings: Settings, options?: OpenOptions)
  /** Resolves once the destination is open; rejects with why it could not be (e.g. a bad mapping). */
  ready(): Promise<void>
  /**
   * Segment events in; one entry per event, in order. The events are read when the call is made
   * (once the destination is open); a destination's batches reach the library in call order.
   */
  performBatch(events: Array<Record<string, unknown>>): Promise<ResultEntry[]>
  /** Whether the database answers now. */
  check(): Promise<{ ok: boolean; error?: string }>
  /** Waits for the calls in flight, then closes the connections. */
  close(): Promise<void>
}

/**
 * Opens a live destination; throws at once for invalid settings or options. The settings are
 * checked as the command line checks a settings file: an unknown or misspelt key is an error
 * naming it and the key meant ("ssl_mode": did you mean "sslMode"?), never dropped.
 */
export function open(settings: Settings, options?: OpenOptions): LiveDestination

/** Pins the @segment/actions-core module to use (default: the one the host program resolves). */
export function useActionsCore(core: unknown): void

/** Closes the native destinations the definition opened (they are closed at exit anyway). */
export function closeAll(): Promise<void>

export const libraryVersion: string

/** The definition as the library describes it (Segment's metadata.json shape). */
export function describe(): Record<string, unknown>
