// Segment's write-key authentication for /actions/send: HTTP Basic with the write key as the user
// name (and any password, usually empty), or a "writeKey" member in the body. The keys and their
// rules are the tracking API's (include/actions/tracking.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actions/tracking.h"

namespace serve {

enum class AuthResult { Allowed, Missing, Wrong };

class WriteKeys {
 public:
  explicit WriteKeys(const actions::tracking::TrackingApi& api) : api_(api) {}
  // `authorization`: the Authorization header ("" when absent). A key given in the header is
  // judged first; a wrong key is refused even when anonymous requests are allowed.
  AuthResult check(std::string_view authorization,
                   const std::optional<std::string>& bodyWriteKey) const;

 private:
  const actions::tracking::TrackingApi& api_;
};

}  // namespace serve
