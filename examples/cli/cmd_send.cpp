// `send [--settings F] [INPUT...]`: delivers events through the Send Data action, with a report
// line per event, a progress line and a summary (docs/contracts.md). The run is send_run.cpp.
#include <memory>

#include "commands.h"
#include "send_run.h"

namespace cli {

Command addSend(CLI::App& parent) {
  auto* app = parent.add_subcommand("send", "Deliver events into the table");
  auto o = std::make_shared<SendRunOptions>();
  addSettingsOption(*app, o->settings)
      ->description(
          "Settings JSON file (fields: see 'describe'); the SINGLESTORE_* environment "
          "variables fill what it leaves out, or replace it. Not needed with --dry-run");
  addDeliveryMappingOption(*app, o->mapping);
  addDeliverySubscriptionOption(*app, o->subscription);
  app->add_option("--batch-size", o->batchSize,
                  "Events per batch, 1..10000 (default: the mapping's max_batch_size, 1000); "
                  "overrides max_batch_size in the payloads too")
      ->type_name("N")
      ->check(rangeCheck(1, 10000, ""))
      ->group(kGroupDelivery);
  app->add_option("--parallel", o->parallel,
                  "Connections writing at once, 1..64 (default 2); events are split among them "
                  "by messageId, so the first copy of a messageId still wins")
      ->type_name("N")
      ->check(rangeCheck(1, 64, ""))
      ->group(kGroupDelivery);
  app->add_option("--retry-for", o->retryForSeconds,
                  "Seconds to keep retrying transient faults (lost connection, restart, deadlock, "
                  "lock wait timeout) before the events concerned are reported failed, 0..86400 "
                  "(default 120)")
      ->type_name("SECONDS")
      ->check(rangeCheck(0, 86400, "seconds"))
      ->group(kGroupDelivery);
  app->add_option("--linger-ms", o->lingerMs,
                  "How long a partial batch waits for more events before it is delivered "
                  "anyway, 0..60000 ms (default: the library's, at most 500): a trickle of "
                  "events is stored within about this long")
      ->type_name("N")
      ->check(rangeCheck(0, 60000, "milliseconds"))
      ->group(kGroupDelivery);
  app->add_option("--report", o->report,
                  "Write one NDJSON line per event, in input order: "
                  "{\"i\",\"messageId\",\"status\",\"outcome\"[,\"error\"]}; '-' writes it to "
                  "standard output")
      ->type_name("FILE")
      ->group(kGroupOutput);
  app->add_option("--rejects", o->rejects,
                  "Write the original text of every rejected event, one per line, to fix and "
                  "send again; '-' writes them to standard output")
      ->type_name("FILE")
      ->group(kGroupOutput);
  app->add_option("--summary-json", o->summaryJson,
                  "Write the run's summary as one JSON object for scripts: the count of each "
                  "outcome, seconds, interrupted, exitCode")
      ->type_name("FILE")
      ->group(kGroupOutput);
  app->add_flag("--dry-run", o->dryRun,
                "Map and validate only, no database: print {\"i\",\"ok\":true,\"payload\"} or "
                "{\"i\",\"ok\":false,\"error\"} per event (reported as \"validated\")")
      ->group(kGroupOutput);
  auto* quiet = app->add_flag("--quiet,-q", o->quiet,
                              "No progress line and no summary on standard error (errors and "
                              "warnings still)")
                    ->group(kGroupOutput);
  app->add_flag("--progress", o->progress,
                "Show the progress line even when standard error is not a terminal")
      ->excludes(quiet)
      ->group(kGroupOutput);
  addInputOption(*app, o->inputs);
  setHelp(*app,
          {"Each event goes through Segment's pipeline: subscription match, mapping, removal of "
           "empty values, validation; valid payloads are written in batches. A messageId is stored "
           "once: later copies are reported as duplicates. Transient faults are retried without "
           "losing or duplicating an event. Outcomes: inserted, duplicate, skipped, rejected "
           "(invalid) or failed (not delivered).\n\n"
           "Before reading any input, send connects and checks it can write to the table (as "
           "test-auth does): when it cannot, it stops at once with the reason (exit 2).\n\n"
           "On a terminal, standard error shows a progress line (events done, percentage and ETA "
           "when the input files' size is known, events per second, outcome counts; \"waiting for "
           "the database\" while a delivery is held up), then a summary.\n\n"
           "SIGINT (Ctrl-C) or SIGTERM: reading stops, the events read are still delivered and "
           "reported (undelivered ones failed), the summary is printed, and the exit status is 130 "
           "or 143; a second signal exits at once.\n\n"
           "An output that is one of the inputs is refused before anything is written; an output "
           "that cannot be written (a full disk) stops the run with exit status 2.",
           {"0  every event inserted, duplicate or skipped",
            "1  some events rejected as invalid, every valid one stored",
            "2  nothing sent: bad settings, mapping or subscription, authentication, connection; "
            "or an input or output failed",
            "3  some valid events could not be delivered after retries (reported failed)",
            "130  interrupted by SIGINT (143: SIGTERM)"},
           {"actions-singlestore send --settings settings.json \\\n"
            "      --report report.ndjson --rejects rejects.ndjson events.ndjson",
            "actions-singlestore send --dry-run < events.ndjson",
            "SINGLESTORE_HOST=db.example.com SINGLESTORE_USER=app \\\n"
            "      SINGLESTORE_DATABASE=analytics SINGLESTORE_PASSWORD=... \\\n"
            "      actions-singlestore send events.ndjson",
            "actions-singlestore send --settings settings.json --parallel 4 \\\n"
            "      --subscription 'type = \"track\"' --report - events.json"}});
  return {app, [o] { return runSend(*o); }};
}

}  // namespace cli
