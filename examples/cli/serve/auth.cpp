#include "auth.h"

namespace serve {

AuthResult WriteKeys::check(std::string_view authorization,
                            const std::optional<std::string>& bodyWriteKey) const {
  switch (api_.checkKey(authorization, bodyWriteKey).check) {
    case actions::tracking::KeyCheck::Allowed:
      return AuthResult::Allowed;
    case actions::tracking::KeyCheck::Missing:
      return AuthResult::Missing;
    case actions::tracking::KeyCheck::Wrong:
      break;
  }
  return AuthResult::Wrong;
}

}  // namespace serve
