// What a Sender and a Destination both build from settings and SendOptions: the Send Data
// action made ready (mapping compiled, subscription parsed, settings copied), its writer (the
// service the delivery engine calls, with a pool of connections of its own) and the sizes of its
// deliveries.
#pragma once

#include <cstddef>
#include <memory>

#include "actions/sender.h"
#include "actions/settings.h"
#include "json/json.h"
#include "kit/executor.h"
#include "kit/result.h"
#include "singlestore/send_data_writer.h"

namespace actions::api {

struct PreparedSend {
  json::Document mapping;  // the mapping in force, when the options changed the default
  std::unique_ptr<kit::ActionExecutor> executor;
  // The executor's writer (null in a dry run): `lanes` connections at most, this run's own.
  std::shared_ptr<singlestore::SendDataWriter> writer;
  std::size_t batchSize = 0;  // payloads per delivery
  unsigned lanes = 0;         // deliveries at once
};

// Throws mapping::InvalidMapping, InvalidSubscription, std::invalid_argument for options out of
// range (or no settings for a real send), std::runtime_error when this build cannot deliver.
PreparedSend prepareSend(const Settings* settings, const SendOptions& options);

Outcome publicOutcome(kit::Outcome outcome);
kit::Outcome kitOutcome(Outcome outcome);

}  // namespace actions::api
