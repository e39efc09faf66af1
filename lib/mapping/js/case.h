// The case folding of a RegExp with the i flag (toUpperCase / toLowerCase themselves are
// json/js_text.h's).
#pragma once

#include <string>
#include <string_view>

namespace actions::mapping::js {

// The RegExp "Canonicalize" of a non-unicode pattern with the i flag, per code point: the
// upper case of a UTF-16 unit when that is one unit and does not turn non-ASCII into ASCII.
char32_t canonicalizeIgnoringCase(char32_t cp);

}  // namespace actions::mapping::js
