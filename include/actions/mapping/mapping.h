// Segment's mapping kit for hosts of the library: a mapping (mapping-kit JSON, as copied out
// of Segment) is compiled once and applied to many events, concurrently if wanted.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"

namespace actions::mapping {

// The mapping text is not JSON, or not a valid mapping. Each problem names the JSON pointer of
// its spot, e.g. "/props/@merge/objects should be an array but it is an object."
class ACTIONS_API InvalidMapping : public std::runtime_error {
 public:
  explicit InvalidMapping(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// What one event gave.
struct Transformed {
  bool ok = false;
  // When ok: the output as compact JSON ("null" when the mapping resolved to nothing at all).
  std::string output;
  // When not ok: why (the event is not JSON, not an object, or a directive failed on it).
  std::string error;
};

class ACTIONS_API Mapping {
 public:
  // Parses and validates `mappingJson`. Throws InvalidMapping.
  static Mapping fromJson(std::string_view mappingJson);

  // Applies the mapping to one event given as JSON text. Thread-safe.
  Transformed apply(std::string_view eventJson) const;
  // The same, reusing `result`'s buffers (for loops over many events).
  void apply(std::string_view eventJson, Transformed& result) const;

  Mapping(Mapping&&) noexcept;
  Mapping& operator=(Mapping&&) noexcept;
  ~Mapping();

 private:
  struct Impl;
  ACTIONS_LOCAL explicit Mapping(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

}  // namespace actions::mapping
