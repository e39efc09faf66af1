// Upstream's get(obj, path): how @path, @arrayPath and {{templates}} read a payload. Paths are
// split once at compile time ("a.b[0]['c d']" -> a, b, 0, c d).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mapping/node.h"

namespace actions::mapping::js {

class Path {
 public:
  // A path as get() takes it ("" and "." are the payload itself).
  static Path parse(std::string_view path);
  // A path as @path takes it: the first "$." removed, then parsed.
  static Path parseDirective(std::string_view path);

  // get(payload, path): walks the keys, stopping at (and giving) the first falsy value.
  Result get(const Value& payload, EvalContext& ctx) const;

  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::string> keys_;
};

// "a.$.b" -> "a.b": String.prototype.replace('$.', '') removes the first occurrence only.
std::string stripRootMarker(std::string_view path);

}  // namespace actions::mapping::js
