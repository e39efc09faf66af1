// include/actions/mapping/mapping.h over the compiled mapping: JSON text in, JSON text out.
#include "actions/mapping/mapping.h"

#include "mapping/mapping.h"

namespace actions::mapping {

InvalidMapping::InvalidMapping(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string text;
        for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
        return text;
      }()),
      problems_(std::move(problems)) {}

struct Mapping::Impl {
  CompiledMapping compiled;
};

Mapping::Mapping(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Mapping::Mapping(Mapping&&) noexcept = default;
Mapping& Mapping::operator=(Mapping&&) noexcept = default;
Mapping::~Mapping() = default;

Mapping Mapping::fromJson(std::string_view mappingJson) {
  json::Document doc;
  if (auto err = json::parse(mappingJson, doc))
    throw InvalidMapping({"the mapping is " + err->describe()});
  try {
    return Mapping(std::make_unique<Impl>(Impl{CompiledMapping::compile(doc)}));
  } catch (const MappingError& e) {
    throw InvalidMapping(e.problems());
  }
}

Transformed Mapping::apply(std::string_view eventJson) const {
  Transformed result;
  apply(eventJson, result);
  return result;
}

void Mapping::apply(std::string_view eventJson, Transformed& result) const {
  result.ok = false;
  result.output.clear();
  result.error.clear();
  // One event's documents per thread, reused: their pools keep their first chunk between events.
  thread_local json::Document event;
  thread_local json::Document output;
  event.SetNull();
  event.GetAllocator().Clear();
  if (auto err = json::parse(eventJson, event)) {
    result.error = err->describe();
    return;
  }
  output.SetNull();
  output.GetAllocator().Clear();
  try {
    if (impl_->compiled.apply(event, output, output.GetAllocator()))
      json::stringify(output, result.output);
    else
      result.output = "null";
    result.ok = true;
  } catch (const ApplyError& e) {
    result.error = e.what();
  }
}

}  // namespace actions::mapping
