// The SingleStore destination as a host sees it, in Segment's terms: its definition, a settings
// check (actions/settings.h), testAuthentication, the choices of its dynamic fields, and the
// Send Data action (actions/sender.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"
#include "actions/settings.h"

namespace actions {

// The definition as JSON, in the shape of Segment's metadata.json for a cloud-mode destination:
// {"name":"SingleStore","slug":"actions-singlestore","mode":"cloud","authentication":{..},
//  "actions":{"send":{..}},"presets":[..]}
ACTIONS_API std::string describe();

// The Send Data action's key ("send") and its default mapping (mappings/send_data.json).
ACTIONS_API std::string_view sendDataAction() noexcept;
ACTIONS_API std::string_view sendDataDefaultMapping() noexcept;

// What testAuthentication found.
struct AuthenticationReport {
  bool ok = false;
  // When ok:
  std::string server;         // host:port
  std::string serverVersion;  // as the server reports it
  std::string dialect;        // "SingleStore" or "MySQL/MariaDB"
  std::string tlsCipher;      // empty when the connection is not encrypted
  std::string table;          // `database`.`table`
  bool tableCreated = false;  // the table was missing and has been created
  // When not ok, in Segment's terms: 401 INVALID_AUTHENTICATION (credentials or privileges),
  // 503 RETRYABLE_ERROR (the server cannot be reached), 500 UNKNOWN_ERROR (anything else).
  int status = 200;
  std::string errorType;
  std::string error;  // which step failed (connect, table, write) and why; never the password
};

// Connects with the settings, creates the table when it is missing (checking an existing one),
// and proves the user can write to it with a probe row that is rolled back. Never throws for a
// failure of the server or the settings: it is in the report.
ACTIONS_API AuthenticationReport testAuthentication(const Settings& settings);

struct Choice {
  std::string label;
  std::string value;
};

// The choices of a dynamic field, or why they could not be listed.
struct DynamicChoices {
  std::vector<Choice> choices;
  std::string nextPage;   // empty: the last page
  std::string error;      // empty on success
  std::string errorCode;  // e.g. INVALID_AUTHENTICATION, or "404" for a field that is not dynamic
  bool ok() const { return error.empty(); }
};

// The choices of the Send Data action's dynamic field `field`: "database" lists the user
// databases the settings' user can see (system schemas left out), sorted. `page` is a previous
// answer's nextPage.
ACTIONS_API DynamicChoices dynamicFieldChoices(std::string_view field, const Settings& settings,
                                               std::string_view page = {});

}  // namespace actions
