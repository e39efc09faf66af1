// The kit's error taxonomy, mirroring Segment's: an action throws one of these, and the kit turns
// it into the event's (or batch's) multi-status answer. Error codes are Segment's.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "kit/result.h"

namespace actions::kit {

namespace error_codes {
inline constexpr const char* kPayloadValidationFailed = "PAYLOAD_VALIDATION_FAILED";
inline constexpr const char* kInvalidAuthentication = "INVALID_AUTHENTICATION";
inline constexpr const char* kRetryableError = "RETRYABLE_ERROR";
inline constexpr const char* kUnknownError = "UNKNOWN_ERROR";
inline constexpr const char* kNotImplemented = "NotImplemented";
inline constexpr const char* kPayloadTooLarge = "PAYLOAD_TOO_LARGE";
}  // namespace error_codes

// A failure with a code and an HTTP-like status (Segment's IntegrationError).
class IntegrationError : public std::runtime_error {
 public:
  IntegrationError(const std::string& message, std::string code, int status)
      : std::runtime_error(message), code_(std::move(code)), status_(status) {}
  const std::string& code() const { return code_; }
  int status() const { return status_; }

 private:
  std::string code_;
  int status_;
};

// The payload does not satisfy the action's fields (400): the event is rejected, not retried.
class PayloadValidationError : public IntegrationError {
 public:
  explicit PayloadValidationError(const std::string& message)
      : IntegrationError(message, error_codes::kPayloadValidationFailed, 400) {}
};

// The settings do not authenticate (401): nothing can be delivered with them.
class InvalidAuthenticationError : public IntegrationError {
 public:
  explicit InvalidAuthenticationError(const std::string& message,
                                      std::string code = error_codes::kInvalidAuthentication)
      : IntegrationError(message, std::move(code), 401) {}
};

// A transient failure (429 / 5xx) that was retried and may succeed later.
class RetryableError : public IntegrationError {
 public:
  explicit RetryableError(const std::string& message, int status = 500)
      : IntegrationError(message, error_codes::kRetryableError, status) {}
};

// The outcome an error status stands for: 4xx other than 401/408/429 reject the event
// (retrying cannot help); everything else is a delivery failure.
inline Outcome outcomeForStatus(int status) {
  if (status >= 200 && status < 300) return Outcome::Inserted;
  if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429)
    return Outcome::Rejected;
  return Outcome::Failed;
}

// The result an IntegrationError stands for.
inline EventResult resultFor(const IntegrationError& e) {
  EventResult r;
  r.status = e.status();
  r.outcome = outcomeForStatus(e.status());
  r.error = e.what();
  r.errorType = e.code();
  return r;
}

// An event (or payload) over the host's size limit, refused before it is parsed (413).
inline EventResult tooLarge(const char* what, std::size_t bytes, std::size_t limit) {
  EventResult r;
  r.status = 413;
  r.outcome = Outcome::Rejected;
  r.error = std::string("the ") + what + " is " + std::to_string(bytes) +
            " bytes, over the limit of " + std::to_string(limit) + " bytes";
  r.errorType = error_codes::kPayloadTooLarge;
  return r;
}

}  // namespace actions::kit
