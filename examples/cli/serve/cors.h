// CORS as Segment's tracking API answers browsers: a page on any origin (or on the origins the
// operator lists) may post events here. The preflight (OPTIONS) is answered; every answer carries
// Access-Control-Allow-Origin, so a browser hands the page its status (and Retry-After); a
// request from an origin not on the list is refused (403) rather than stored behind the page's
// back. Browser write keys are public by design: the default is any origin.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "routes.h"

namespace serve {

class Cors {
 public:
  // `origins`: "https://www.example.com"...; empty, or one "*": any origin.
  explicit Cors(std::vector<std::string> origins);

  // Whether a request whose Origin header is `origin` ("" when absent: not a browser's
  // cross-origin request) may be answered.
  bool allows(std::string_view origin) const;
  // Adds the CORS headers every answer carries (once; nothing for a refused origin).
  void decorate(Answer& answer, std::string_view origin) const;
  // The answer to a preflight: 204 with the methods and headers allowed, 403 for an origin that
  // is not.
  Answer preflight(std::string_view origin, std::string_view requestedHeaders) const;

 private:
  bool any_ = true;
  std::vector<std::string> origins_;
};

}  // namespace serve
