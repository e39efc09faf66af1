// Asking a dynamic field for its choices, for both faces of the library (the C++ API and the C
// plugin ABI): an error the field throws becomes the answer's error, never an exception.
#pragma once

#include <exception>

#include "kit/definition.h"
#include "kit/errors.h"
#include "kit/requests.h"

namespace actions::api {

inline kit::DynamicChoices askDynamicField(const kit::DynamicField& field,
                                           const kit::DynamicRequest& request) {
  kit::DynamicChoices answer;
  try {
    answer = field(request);
  } catch (const kit::IntegrationError& e) {
    answer = {};
    answer.errorMessage = e.what();
    answer.errorCode = e.code();
  } catch (const std::exception& e) {
    answer = {};
    answer.errorMessage = e.what();
    answer.errorCode = kit::error_codes::kUnknownError;
  }
  return answer;
}

}  // namespace actions::api
