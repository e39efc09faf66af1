#include "singlestore/send_data_action.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "db/error.h"
#include "kit/errors.h"
#include "singlestore/authentication.h"
#include "singlestore/databases.h"
#include "singlestore/send_data_writer.h"
#include "singlestore/settings.h"

namespace actions::singlestore {
namespace {

// The kit's error for a database error that stops everything.
[[noreturn]] void throwAsKitError(const db::Error& e) {
  switch (e.errorClass()) {
    case db::ErrorClass::Authentication:
      throw kit::InvalidAuthenticationError(e.what());
    case db::ErrorClass::Retryable:
      throw kit::RetryableError(e.what(), 503);
    default:
      throw kit::IntegrationError(e.what(), kit::error_codes::kUnknownError, 500);
  }
}

// The run's writer, created on first use and kept in the run's state. It connects when it
// writes: a server that is down or restarting is a transient fault retried within the run's
// retry budget, not a failure kept for the rest of the run.
std::shared_ptr<SendDataWriter> writerOf(const kit::BatchRequest& request) {
  static std::mutex creating;
  std::lock_guard lock(creating);
  if (auto* existing = std::any_cast<std::shared_ptr<SendDataWriter>>(&request.state))
    return *existing;
  WriterOptions options;
  if (request.delivery) {
    if (request.delivery->retryFor) options.retry.retryFor = *request.delivery->retryFor;
    options.maxConnections =
        std::max<std::size_t>(options.maxConnections, request.delivery->concurrentDeliveries);
  }
  auto writer = std::make_shared<SendDataWriter>(settingsFromJson(request.settings), options);
  request.state = writer;
  return writer;
}

}  // namespace

void deliverSendData(const kit::BatchRequest& request, std::span<kit::EventResult> results) {
  writerOf(request)->write(request.payloads, results, request.deadlines);
}

void checkAuthentication(const kit::AuthRequest& request) {
  try {
    testAuthentication(settingsFromJson(request.settings));
  } catch (const db::Error& e) {
    throwAsKitError(e);
  }
}

kit::DynamicChoices listDatabaseChoices(const kit::DynamicRequest& request) {
  kit::DynamicChoices out;
  try {
    for (auto& name : listUserDatabases(settingsFromJson(request.settings)))
      out.choices.push_back({name, name});
  } catch (const db::Error& e) {
    out.errorMessage = e.what();
    out.errorCode = e.errorClass() == db::ErrorClass::Authentication
                        ? kit::error_codes::kInvalidAuthentication
                        : kit::error_codes::kUnknownError;
  }
  return out;
}

}  // namespace actions::singlestore
