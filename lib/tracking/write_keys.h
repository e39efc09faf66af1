// The write keys a server accepts, each with the source it names, and where a request may carry
// one: HTTP Basic's user name (the password is ignored, as Segment does), or "writeKey" in the
// body. Keys are compared in constant time, so timing tells nothing about a key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/tracking.h"

namespace actions::tracking {

// The user name of an HTTP Basic Authorization value; nothing when it is not one.
std::optional<std::string> basicUser(std::string_view authorization);

class KeyTable {
 public:
  KeyTable(std::vector<WriteKey> keys, bool allowAnonymous)
      : keys_(std::move(keys)), allowAnonymous_(allowAnonymous) {}
  // The key's entry, or nothing when it is not one of the table's.
  const WriteKey* find(std::string_view key) const;
  // A key given in the header is judged first; then `bodyKey`; without either, Allowed only
  // when anonymous requests are.
  Credential check(std::string_view authorization, const std::optional<std::string>& bodyKey) const;
  Credential judge(std::string_view key) const;
  bool allowAnonymous() const { return allowAnonymous_; }

 private:
  std::vector<WriteKey> keys_;
  bool allowAnonymous_;
};

}  // namespace actions::tracking
