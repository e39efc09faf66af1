#include "actions/version.h"

namespace actions {

const char* libraryVersion() noexcept {
  return ACTIONS_SINGLESTORE_VERSION;
}

}  // namespace actions
