#include "mapping/compiler.h"

#include "json/js_text.h"
#include "mapping/directives/registry.h"
#include "mapping/validate.h"

namespace actions::mapping {
namespace {

constexpr std::string_view kRootDirectiveKey = "__segment_internal_directive";

// A plain object of the mapping: a new object per event, one member per key.
class ObjectNode final : public Node, public TopLevelObject {
 public:
  struct Member {
    Value name;
    NodePtr node;
  };
  explicit ObjectNode(std::vector<Member> members) : members_(std::move(members)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    static const std::vector<bool> none;
    return evalSharing(payload, ctx, mode, none);
  }

  std::vector<std::string_view> memberNames() const override {
    std::vector<std::string_view> names;
    for (const auto& m : members_) names.push_back(js::keyOf(m.name));
    return names;
  }

  Result evalSharing(const Value& payload, EvalContext& ctx, Mode mode,
                     const std::vector<bool>& shared) const override {
    Value out(rapidjson::kObjectType);
    bool holdsUndefined = false;
    for (std::size_t i = 0; i < members_.size(); ++i) {
      const Member& m = members_[i];
      Result r = m.node->eval(payload, ctx, mode);
      if (r.isUndefined()) {
        if (mode != Mode::Raw) continue;  // upstream's removeUndefined drops the key
        holdsUndefined = true;
      }
      holdsUndefined = holdsUndefined || r.holdsUndefined();
      Value value = i < shared.size() && shared[i] ? r.share(ctx.alloc) : r.take(ctx.alloc);
      out.AddMember(Value(m.name, ctx.alloc), std::move(value), ctx.alloc);
    }
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  std::vector<Member> members_;
};

// A plain array of the mapping: each element resolved.
class ArrayNode final : public Node {
 public:
  explicit ArrayNode(std::vector<NodePtr> elements) : elements_(std::move(elements)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Value out(rapidjson::kArrayType);
    out.Reserve(static_cast<rapidjson::SizeType>(elements_.size()), ctx.alloc);
    bool holdsUndefined = false;
    for (const auto& e : elements_) {
      Result r = e->eval(payload, ctx, mode);
      if (r.isUndefined() && mode == Mode::Output) {
        out.PushBack(Value(), ctx.alloc);  // JSON.stringify writes undefined elements as null
        continue;
      }
      holdsUndefined = holdsUndefined || r.isUndefined() || r.holdsUndefined();
      out.PushBack(r.take(ctx.alloc), ctx.alloc);
    }
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  std::vector<NodePtr> elements_;
};

class FailingNode final : public Node {
 public:
  explicit FailingNode(std::string message) : message_(std::move(message)) {}
  Result eval(const Value&, EvalContext&, Mode) const override { throw ApplyError(message_); }

 private:
  std::string message_;
};

// Whether resolving `v` can give anything but `v` itself.
bool holdsDirective(const Value& v) {
  if (v.IsObject()) {
    if (isDirective(v)) return true;
    for (auto& m : v.GetObject())
      if (holdsDirective(m.value)) return true;
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray())
      if (holdsDirective(e)) return true;
  }
  return false;
}

}  // namespace

Compiler::Compiler() : pool_(std::make_shared<Allocator>()) {}

NodePtr Compiler::constant(const Value& v) {
  void* p = pool_->Malloc(sizeof(Value));
  const Value* stored = new (p) Value(js::copy(v, *pool_));
  return std::make_unique<ConstantNode>(stored);
}

NodePtr Compiler::failing(std::string message) {
  return std::make_unique<FailingNode>(std::move(message));
}

NodePtr Compiler::resolvable(const Value& m) {
  if (!holdsDirective(m)) return constant(m);
  if (m.IsArray()) {
    std::vector<NodePtr> elements;
    elements.reserve(m.Size());
    for (const auto& e : m.GetArray()) elements.push_back(resolvable(e));
    return std::make_unique<ArrayNode>(std::move(elements));
  }
  if (isDirective(m)) {
    const Value& name = *directiveKey(m);
    directives::Compile compile = directives::find(js::keyOf(name));
    if (!compile)
      return failing(std::string(js::keyOf(name)) + " is not a valid directive, got undefined");
    return compile(m.FindMember(name)->value, *this);
  }
  std::vector<ObjectNode::Member> members;
  members.reserve(m.MemberCount());
  js::forEachMember(m, [&](const Value& name, const Value& value) {
    members.push_back({Value(name, *pool_), resolvable(value)});
  });
  return std::make_unique<ObjectNode>(std::move(members));
}

NodePtr Compiler::transformRoot(const Value& mapping, std::vector<std::string>& problems) {
  problems.clear();
  const Value* toProcess = &mapping;
  json::Document folded;
  auto rootIt = mapping.IsObject() ? mapping.FindMember(Value(rapidjson::StringRef(
                                         kRootDirectiveKey.data(), kRootDirectiveKey.size())))
                                   : mapping.MemberEnd();
  if (mapping.IsObject() && rootIt != mapping.MemberEnd()) {
    // Upstream runs the root directive with the other keys as its "mapping".
    const Value& root = rootIt->value;
    auto fail = [&](const char* message) {
      problems.push_back("/" + std::string(kRootDirectiveKey) + ": " + message);
      return nullptr;
    };
    if (root.IsNull()) return fail("Cannot convert undefined or null to object");
    std::size_t keys = root.IsObject()   ? root.MemberCount()
                       : root.IsArray()  ? root.Size()
                       : root.IsString() ? json::text::utf16Length(js::keyOf(root))
                                         : 0;
    if (keys > 1) return fail("The root mapping must only have a single directive object");
    const Value* directive = nullptr;
    if (keys == 1 && root.IsObject()) directive = &root.MemberBegin()->value;
    if (keys == 1 && root.IsArray()) directive = &root[0];
    if (!directive || !(directive->IsObject() || directive->IsArray()))
      return fail("The root directive must be an object");
    folded.CopyFrom(root, folded.GetAllocator());
    Value& target = folded.IsObject() ? folded.MemberBegin()->value : folded[0];
    if (target.IsObject()) {
      Value customer(rapidjson::kObjectType);
      for (auto& m : mapping.GetObject())
        if (js::keyOf(m.name) != kRootDirectiveKey)
          customer.AddMember(Value(m.name, folded.GetAllocator()),
                             Value(m.value, folded.GetAllocator()), folded.GetAllocator());
      auto existing = target.FindMember("mapping");
      if (existing != target.MemberEnd())
        existing->value = customer;
      else
        target.AddMember("mapping", customer, folded.GetAllocator());
    }
    toProcess = &folded;
  }
  problems = validateMapping(*toProcess);
  if (!problems.empty()) return nullptr;
  return resolvable(*toProcess);
}

}  // namespace actions::mapping
