#include "mapping/js/template.h"

#include "json/js_text.h"

namespace actions::mapping::js {
namespace {

const Value& emptyObject() {
  static const Value empty(rapidjson::kObjectType);
  return empty;
}

}  // namespace

// The matches of /\{\{([^}]+)\}\}/g (or its triple-brace twin) and the text between them.
std::vector<Template::Piece> Template::scan(std::string_view text, int braces) {
  std::vector<Piece> pieces;
  std::size_t literalStart = 0;
  std::size_t i = 0;
  const std::size_t shortest = 2 * static_cast<std::size_t>(braces) + 1;  // "{{x}}"
  while (i + shortest <= text.size()) {
    bool open = true;
    for (int k = 0; k < braces; ++k) open = open && text[i + k] == '{';
    if (open) {
      std::size_t contentStart = i + braces;
      std::size_t close = text.find('}', contentStart);
      bool closes =
          close != std::string_view::npos && close > contentStart && close + braces <= text.size();
      for (int k = 0; closes && k < braces; ++k) closes = text[close + k] == '}';
      if (closes) {
        if (i > literalStart)
          pieces.push_back(
              {std::string(text.substr(literalStart, i - literalStart)), false, Path()});
        std::string_view path = json::text::trim(text.substr(contentStart, close - contentStart));
        pieces.push_back({std::string(path), true, Path::parse(path)});
        i = close + braces;
        literalStart = i;
        continue;
      }
    }
    ++i;
  }
  if (literalStart < text.size())
    pieces.push_back({std::string(text.substr(literalStart)), false, Path()});
  return pieces;
}

Template Template::parse(std::string_view text) {
  Template t;
  t.triple_ = scan(text, 3);
  for (const auto& p : t.triple_) t.hasTriple_ = t.hasTriple_ || p.placeholder;
  if (!t.hasTriple_) t.double_ = scan(text, 2);
  return t;
}

void Template::renderPieces(const std::vector<Piece>& pieces, const Value& data, EvalContext& ctx,
                            std::string& out) {
  for (const auto& p : pieces) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    Result v = p.path.get(data, ctx);
    if (!isNullish(v.value())) json::appendJsString(v.value(), out);
  }
}

void Template::render(const Value& payload, EvalContext& ctx, std::string& out) const {
  const Value& data = isUndefined(payload) ? emptyObject() : payload;
  if (!hasTriple_) {
    renderPieces(double_, data, ctx, out);
  } else {
    // The second pass reads the first pass's output, values included, so it is parsed per event.
    std::string first;
    renderPieces(triple_, data, ctx, first);
    json::text::joinSurrogatePairs(first);
    renderPieces(scan(first, 2), data, ctx, out);
  }
  // Halves of a character that meet again in the joined text are that character, as in
  // JavaScript's string concatenation.
  json::text::joinSurrogatePairs(out);
}

}  // namespace actions::mapping::js
