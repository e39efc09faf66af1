// include/actions/destination.h over the SingleStore definition and the kit.
#include "actions/destination.h"

#include "api/dynamic_choices.h"
#include "api/settings_access.h"
#include "db/error.h"
#include "kit/describe.h"
#include "kit/errors.h"
#include "kit/requests.h"
#include "singlestore/authentication.h"
#include "singlestore/definition.h"

namespace actions {

namespace ss = singlestore;

std::string describe() {
  return kit::describe(ss::destination());
}

std::string_view sendDataAction() noexcept {
  return ss::kSendDataAction;
}

std::string_view sendDataDefaultMapping() noexcept {
  return ss::sendDataDefaultMapping();
}

AuthenticationReport testAuthentication(const Settings& settings) {
  AuthenticationReport report;
  try {
    ss::AuthenticationReport r = ss::testAuthentication(SettingsAccess::impl(settings).settings);
    report.ok = true;
    report.server = std::move(r.server);
    report.serverVersion = std::move(r.serverVersion);
    report.dialect = ss::toString(r.dialect);
    report.tlsCipher = std::move(r.tlsCipher);
    report.table = std::move(r.table);
    report.tableCreated = r.tableState == ss::TableState::Created;
    report.tableAdvice = std::move(r.tableAdvice);
  } catch (const db::Error& e) {
    // The same statuses the destination's testAuthentication gives Segment.
    switch (e.errorClass()) {
      case db::ErrorClass::Authentication:
        report.status = 401;
        report.errorType = kit::error_codes::kInvalidAuthentication;
        break;
      case db::ErrorClass::Retryable:
        report.status = 503;
        report.errorType = kit::error_codes::kRetryableError;
        break;
      default:
        report.status = 500;
        report.errorType = kit::error_codes::kUnknownError;
    }
    report.error = e.what();
  } catch (const std::exception& e) {
    report.status = 500;
    report.errorType = kit::error_codes::kUnknownError;
    report.error = e.what();
  }
  return report;
}

DynamicChoices dynamicFieldChoices(std::string_view field, const Settings& settings,
                                   std::string_view page) {
  DynamicChoices out;
  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  auto fn = action->dynamicFields.find(std::string(field));
  if (fn == action->dynamicFields.end()) {
    out.error = "No dynamic field named " + std::string(field) + " found.";
    out.errorCode = "404";
    return out;
  }
  kit::DynamicChoices answer = api::askDynamicField(
      fn->second, kit::DynamicRequest{*SettingsAccess::impl(settings).validated, std::string(field),
                                      nullptr, std::string(page)});
  out.choices.reserve(answer.choices.size());
  for (auto& c : answer.choices) out.choices.push_back({std::move(c.label), std::move(c.value)});
  out.nextPage = std::move(answer.nextPage);
  out.error = std::move(answer.errorMessage);
  out.errorCode = std::move(answer.errorCode);
  return out;
}

}  // namespace actions
