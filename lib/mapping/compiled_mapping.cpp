#include "mapping/compiler.h"
#include "mapping/mapping.h"
#include "mapping/node.h"
#include "mapping/validate.h"

namespace actions::mapping {
namespace {

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// The top of a compiled mapping: owns the storage of its constants.
class RootNode final : public Node {
 public:
  RootNode(std::shared_ptr<Allocator> pool, NodePtr child)
      : pool_(std::move(pool)),
        child_(std::move(child)),
        object_(dynamic_cast<const TopLevelObject*>(child_.get())) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    if (object_ && ctx.sharedMembers)
      return object_->evalSharing(payload, ctx, mode, *ctx.sharedMembers);
    return child_->eval(payload, ctx, mode);
  }
  const TopLevelObject* object() const { return object_; }

 private:
  std::shared_ptr<Allocator> pool_;
  NodePtr child_;
  const TopLevelObject* object_;  // the child, when the mapping is a plain object
};

}  // namespace

MappingError::MappingError(std::vector<std::string> problems)
    : std::runtime_error(joinLines(problems)), problems_(std::move(problems)) {}

CompiledMapping::CompiledMapping(std::unique_ptr<const Node> root) : root_(std::move(root)) {}
CompiledMapping::CompiledMapping(CompiledMapping&&) noexcept = default;
CompiledMapping& CompiledMapping::operator=(CompiledMapping&&) noexcept = default;
CompiledMapping::~CompiledMapping() = default;

CompiledMapping CompiledMapping::compile(const Value& mapping) {
  if (json::depthOf(mapping) > json::kMaxDepth)
    throw MappingError({"/ is nested deeper than " + std::to_string(json::kMaxDepth) + " levels."});
  Compiler compiler;
  std::vector<std::string> problems;
  NodePtr node = compiler.transformRoot(mapping, problems);
  if (!problems.empty()) throw MappingError(std::move(problems));
  return CompiledMapping(std::make_unique<RootNode>(compiler.sharedPool(), std::move(node)));
}

bool CompiledMapping::apply(const Value& event, Value& out, Allocator& alloc) const {
  // Upstream's transform() takes objects only.
  if (!event.IsObject())
    throw ApplyError(std::string("data must be an object, got ") + js::realTypeOf(event));
  EvalContext ctx{alloc};
  if (!shared_.empty()) ctx.sharedMembers = &shared_;
  Result r = root_->eval(event, ctx, Mode::Output);
  if (r.isUndefined()) {
    out.SetNull();
    return false;
  }
  out = r.take(alloc);
  if (ctx.outputNeedsCleaning) dropUndefined(out, Mode::Output);
  return true;
}

void CompiledMapping::shareReadOnlyMembers(
    const std::function<bool(std::string_view key)>& readOnly) {
  shared_.clear();
  const auto* root = static_cast<const RootNode*>(root_.get());
  if (!root->object()) return;
  bool any = false;
  for (std::string_view name : root->object()->memberNames()) {
    shared_.push_back(readOnly(name));
    any = any || shared_.back();
  }
  if (!any) shared_.clear();
}

void dropUndefined(Value& v, Mode mode) {
  if (v.IsObject()) {
    auto begin = v.MemberBegin();
    rapidjson::SizeType kept = 0, n = v.MemberCount();
    for (rapidjson::SizeType i = 0; i < n; ++i) {
      if (js::isUndefined(begin[i].value)) continue;
      dropUndefined(begin[i].value, mode);
      if (kept != i) {
        begin[kept].name = std::move(begin[i].name);
        begin[kept].value = std::move(begin[i].value);
      }
      ++kept;
    }
    if (kept < n) v.EraseMember(begin + kept, v.MemberEnd());
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (js::isUndefined(e)) {
        if (mode == Mode::Output) e.SetNull();
      } else {
        dropUndefined(e, mode);
      }
    }
  }
}

}  // namespace actions::mapping
