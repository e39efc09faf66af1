// include/actions/json_text.h over the JSON layer.
#include "actions/json_text.h"

#include "json/json.h"

namespace actions {

void appendJsonString(std::string_view text, std::string& out) {
  json::appendQuoted(text, out);
}

}  // namespace actions
