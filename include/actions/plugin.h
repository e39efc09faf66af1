/* The plugin ABI of libactions_singlestore: a C interface for hosts in any language.
 *
 * A host dlopen()s the library, looks up ACTIONS_PLUGIN_ENTRY_SYMBOL and calls it with the ABI
 * version it was written for. It gets back a table of functions that take and return JSON text
 * (UTF-8, NUL-terminated). Nothing else crosses the boundary: no C++ types, no exceptions.
 *
 * Memory: every `char*` a function returns was allocated by the library; the host releases it
 * with the table's free_string() and nothing else. Returned strings are never NULL unless memory
 * ran out. Arguments are only read, never kept: the host may free them when the call returns.
 * The table itself is static; do not free it.
 *
 * Errors: a function never aborts the host. Bad input (NULL, not JSON, wrong shape) and internal
 * failures come back as JSON: {"ok":false,"error":"..."}.
 *
 * Threads: every function may be called from several threads at once.
 *
 * Functions (version 1):
 *
 *   describe()
 *     -> the destination definition in the shape of Segment's metadata.json
 *        {"name":..,"slug":..,"mode":"cloud","authentication":{..},"actions":{..},"presets":[..]}
 *
 *   validate_settings(settings)       settings: the settings object
 *     -> {"ok":true,"settings":{..defaults applied; the password shown as "********"}}
 *      | {"ok":false,"problems":["port must be a number between 1 and 65535 but it was \"abc\"",
 * ..]}
 *
 *   test_authentication(settings)
 *     -> {"ok":true}
 *      | {"ok":false,"status":401,"errortype":"INVALID_AUTHENTICATION","error":".."}
 *      | {"ok":false,"problems":[..]}                               (invalid settings)
 *
 *   execute_batch(request)
 *     request: {"action":"send", "settings":{..}, "events":[{..},..],
 *               "mapping":{..}          (optional; default: the action's default mapping),
 *               "subscription":"FQL"    (optional; default: the action's defaultSubscription;
 *                                        "" lets every event through),
 *               "dryRun":true           (optional; validate only, deliver nothing),
 *               "retryForMs":N          (optional; how long transient faults are retried,
 *                                        default 120000)}
 *     Each request runs on a live destination the library keeps for requests like it (a few, by
 *     settings, mapping, subscription and options), so repeated calls reuse its compiled mapping
 *     and its connections. Unknown keys are an error.
 *     -> {"ok":true,"results":[one entry per event, in order]} where an entry is Segment's
 *        multi-status shape:
 *          {"status":200,"body":{"outcome":"inserted"|"duplicate"|"validated"},"sent":{payload}}
 *          {"status":200,"body":{"outcome":"skipped","reason":".."}}     (not subscribed)
 *          {"status":400,"errortype":"PAYLOAD_VALIDATION_FAILED","errormessage":"..",
 *           "errorreporter":"INTEGRATIONS","outcome":"rejected"}
 *          {"status":401|403|429|5xx,"errortype":"..","errormessage":"..","errorreporter":"DESTINATION",
 *           "outcome":"failed"}
 *        (include/actions/multistatus.h writes them.)
 *      | {"ok":false,"error":"..",["problems":[..]]}   (bad request, settings, mapping,
 * subscription)
 *
 *   dynamic_field_choices(request)
 *     request: {"action":"send","field":"database","settings":{..},"page":"" (optional)}
 *     -> {"choices":[{"label":"analytics","value":"analytics"},..],"nextPage":""}
 *      | {"choices":[],"nextPage":"","error":{"message":"..","code":".."}}
 *
 * Handles (appended to version 1; present when `size` covers them, see ACTIONS_PLUGIN_HAS):
 * a live destination that keeps its compiled mapping and its connections across calls, as
 * actions::Destination does. Open one per set of settings and keep it.
 *
 *   open_destination(request, &error)
 *     request: {"action":"send","settings":{..},"mapping":{..}?,"subscription":"FQL"?,
 *               "dryRun":bool?,"batchSize":N?,"parallel":N?,"retryForMs":N?}
 *     -> a handle, or NULL with *error set (when error is not NULL) to
 *        {"ok":false,"error":"..",["problems":[..]]}, which the host frees with free_string().
 *
 *   destination_perform_batch(handle, request)
 *     request: {"events":[{..},..]}     Segment events: mapped, validated, delivered
 *            | {"payloads":[{..},..]}   payloads the host already mapped and validated: delivered
 *                                       as they are, with this destination's own checks only
 *              "sent":bool              (optional) whether the entries carry the payload as
 *                                       "sent"; default true for payloads, false for events. A
 *                                       host that keeps the payloads it gave says false: nothing
 *                                       of them is written back.
 *     -> {"ok":true,"results":[..]} with the entries of execute_batch, or {"ok":false,"error":".."}
 *     May be called from several threads at once on one handle.
 *
 *   destination_perform_batch_async(handle, request, done, context)   (appended later: check
 *                                                                      with ACTIONS_PLUGIN_HAS)
 *     destination_perform_batch without waiting: the request is read, and its events matched,
 *     mapped and validated, on the calling thread; the valid payloads go to the destination's
 *     delivery threads and the call returns. done(context, answer) then runs exactly once with
 *     the answer destination_perform_batch would have given (the host frees it with
 *     free_string(); NULL only when memory ran out): on the calling thread before the call
 *     returns when nothing needs the database (a bad request, a closed handle, every event
 *     rejected or skipped, a dry run), else on one of the destination's delivery threads. No
 *     thread of the host waits for the database, however long the retries last. done must return
 *     quickly and must not close the handle (close_destination waits for it to return).
 *
 *   destination_check(handle)
 *     -> {"ok":true} when the database answers now, else {"ok":false,"error":".."}
 *
 *   close_destination(handle)
 *     Refuses calls that begin from now on, waits for the calls in progress on the handle (they
 *     are answered as usual), closes its connections, frees it. NULL is ignored, and so is a
 *     handle that is not open (closed already): use destination_close to be told.
 *
 *   destination_close(handle)          (appended later: check with ACTIONS_PLUGIN_HAS)
 *     close_destination with an answer: {"ok":true}, or {"ok":false,"error":".."} for NULL or a
 *     handle that is not open (closed already, or never opened).
 *
 *   destination_stats(handle)          (appended later: check with ACTIONS_PLUGIN_HAS)
 *     -> {"ok":true,"events":N,"inserted":N,"duplicate":N,"skipped":N,"rejected":N,"failed":N,
 *         "deliveries":N,"retries":N,"queued":N,"connectionsOpened":N,"connectionsOpen":N}
 *        what the handle's destination has done since it was opened (actions::DestinationStats).
 *
 * Calls on a handle that is not open answer {"ok":false,"error":"this handle is not an open
 * destination: ..."}: the library keeps a registry of the handles it gave out and never follows
 * one that is not in it. (A handle's address may be given out again by a later open; a host must
 * still not use a handle after closing it.)
 *
 * Requests of every function are checked strictly: an unknown key is an error naming it.
 */
#ifndef ACTIONS_PLUGIN_H
#define ACTIONS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ACTIONS_PLUGIN_ABI_VERSION 1u
#define ACTIONS_PLUGIN_ENTRY_SYMBOL "actions_plugin_entry"

#if defined(__GNUC__)
#define ACTIONS_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define ACTIONS_PLUGIN_EXPORT
#endif

/* The callback of an asynchronous call: `context` as the host gave it, and the answer, which the
 * host owns from then on (free_string). */
typedef void (*actions_answer_fn)(void* context, char* answer_json);

typedef struct actions_plugin_v1 {
  uint32_t abi_version; /* ACTIONS_PLUGIN_ABI_VERSION of this table */
  uint32_t size;        /* sizeof(actions_plugin_v1): later versions only append members */
  const char* (*library_version)(void); /* static text, not to be freed */
  char* (*describe)(void);
  char* (*validate_settings)(const char* settings_json);
  char* (*test_authentication)(const char* settings_json);
  char* (*execute_batch)(const char* request_json);
  char* (*dynamic_field_choices)(const char* request_json);
  void (*free_string)(char* text); /* releases any string returned above; NULL is ignored */

  /* Appended: live destination handles (see above). */
  struct actions_destination* (*open_destination)(const char* request_json, char** error_json);
  char* (*destination_perform_batch)(struct actions_destination* handle, const char* request_json);
  char* (*destination_check)(struct actions_destination* handle);
  void (*close_destination)(struct actions_destination* handle);

  /* Appended: close with an answer, and the handle's figures (see above). */
  char* (*destination_close)(struct actions_destination* handle);
  char* (*destination_stats)(struct actions_destination* handle);

  /* Appended: perform_batch without waiting (see above). */
  void (*destination_perform_batch_async)(struct actions_destination* handle,
                                          const char* request_json, actions_answer_fn done,
                                          void* context);
} actions_plugin_v1;

/* An open live destination; opaque to the host. */
typedef struct actions_destination actions_destination;

/* Whether `table` (of `size` bytes) has `member`: tables from older libraries are shorter. */
#define ACTIONS_PLUGIN_HAS(table, member)                                            \
  ((table)->size >= offsetof(actions_plugin_v1, member) + sizeof((table)->member) && \
   (table)->member != NULL)

/* The entry point's type, for dlsym(). */
typedef const actions_plugin_v1* (*actions_plugin_entry_fn)(uint32_t abi_version);

/* The function table for `abi_version`, or NULL when this library does not speak it. */
ACTIONS_PLUGIN_EXPORT const actions_plugin_v1* actions_plugin_entry(uint32_t abi_version);

#ifdef __cplusplus
}
#endif

#endif /* ACTIONS_PLUGIN_H */
