// Upstream's {{ path }} templates: "{{{ path }}}" placeholders are replaced first, then
// "{{ path }}" ones, each with String(value) or "" for null and undefined. No escaping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mapping/js/path.h"

namespace actions::mapping::js {

class Template {
 public:
  static Template parse(std::string_view text);
  // render(template, payload) as upstream does it.
  void render(const Value& payload, EvalContext& ctx, std::string& out) const;

 private:
  struct Piece {
    std::string text;  // literal text, or the placeholder's path
    bool placeholder = false;
    Path path;
  };
  static std::vector<Piece> scan(std::string_view text, int braces);
  static void renderPieces(const std::vector<Piece>& pieces, const Value& data, EvalContext& ctx,
                           std::string& out);

  std::vector<Piece> triple_;  // the first pass
  bool hasTriple_ = false;
  std::vector<Piece> double_;  // the second pass, when the first changes nothing
};

}  // namespace actions::mapping::js
