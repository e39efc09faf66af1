// JavaScript's WhiteSpace and LineTerminator code points (what String.prototype.trim and
// Number("...") skip), shared by every module that reproduces a JavaScript rule.
#pragma once

namespace actions::json {

constexpr bool isJsWhitespace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace actions::json
