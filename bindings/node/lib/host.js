'use strict'
// @segment/actions-core is the host's, never this package's: a peer dependency, resolved only
// when a call needs it, from the host program first. The MultiStatusResponse and the errors this
// package makes must be the classes of the copy that runs the definition, or actions-core would
// not recognise them (it checks with instanceof).
const path = require('path')

const NAME = '@segment/actions-core'
let pinned = null

// Where the host is: its main script's folder, then Node's own search (NODE_PATH and this
// package's parent folders), then the working directory.
function candidates() {
  const list = []
  if (require.main && require.main.filename) list.push(() => require(require.resolve(NAME, { paths: [path.dirname(require.main.filename)] })))
  list.push(() => require(NAME))
  list.push(() => require(require.resolve(NAME, { paths: [process.cwd()] })))
  return list
}

function actionsCore() {
  if (pinned) return pinned
  for (const load of candidates()) {
    try {
      pinned = load()
      return pinned
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e
    }
  }
  throw new Error(`${NAME} is not installed where this program can load it: it is a peer dependency of this package (npm install ${NAME})`)
}

// For hosts that load actions-core from a place of their own: the copy to use.
function useActionsCore(core) {
  if (!core || typeof core.MultiStatusResponse !== 'function') throw new TypeError(`useActionsCore needs the ${NAME} module`)
  pinned = core
}

module.exports = { actionsCore, useActionsCore }
