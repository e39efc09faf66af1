// Segment's write-key authentication: HTTP Basic with the write key as the user name (and any
// password, usually empty), or a "writeKey" member in the body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace serve {

enum class AuthResult { Allowed, Missing, Wrong };

class WriteKeys {
 public:
  WriteKeys(std::vector<std::string> keys, bool allowAnonymous)
      : keys_(std::move(keys)), allowAnonymous_(allowAnonymous) {}
  // `authorization`: the Authorization header ("" when absent). A key given in the header is
  // judged first; a wrong key is refused even when anonymous requests are allowed.
  AuthResult check(std::string_view authorization,
                   const std::optional<std::string>& bodyWriteKey) const;

 private:
  bool known(std::string_view key) const;
  std::vector<std::string> keys_;
  bool allowAnonymous_;
};

// The user name of an HTTP Basic Authorization value, or nothing when it is not one.
std::optional<std::string> basicUser(std::string_view authorization);

}  // namespace serve
