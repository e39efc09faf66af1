// What resolving a piece of mapping gives: undefined, a value borrowed from the event or the
// mapping (not copied), or a value built for this event in the output allocator.
#pragma once

#include <utility>

#include "json/json.h"
#include "mapping/js/value.h"

namespace actions::mapping {

using json::Allocator;
using json::Value;

// Where a resolved value goes. Raw: to a directive that reads it, undefined members and
// elements included (JavaScript objects keep them). Members: undefined members dropped, as
// upstream's removeUndefined does (undefined array elements stay). Output: the final output,
// where undefined array elements become null as JSON.stringify writes them.
enum class Mode { Raw, Members, Output };

class Result {
 public:
  Result() : kind_(Kind::Undefined) {}
  static Result undefined() { return Result(); }
  static Result borrowed(const Value& v) {
    if (js::isUndefined(v)) return Result();
    Result r;
    r.kind_ = Kind::Borrowed;
    r.borrowed_ = &v;
    return r;
  }
  // `holdsUndefined`: an owned container with undefined members or elements somewhere inside.
  static Result owned(Value&& v, bool holdsUndefined = false) {
    if (js::isUndefined(v)) return Result();
    Result r;
    r.kind_ = Kind::Owned;
    r.owned_ = std::move(v);
    r.holdsUndefined_ = holdsUndefined;
    return r;
  }

  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;

  bool isUndefined() const { return kind_ == Kind::Undefined; }
  bool isOwned() const { return kind_ == Kind::Owned; }
  bool holdsUndefined() const { return kind_ == Kind::Owned && holdsUndefined_; }
  const Value& value() const {
    switch (kind_) {
      case Kind::Borrowed:
        return *borrowed_;
      case Kind::Owned:
        return owned_;
      default:
        return js::undefinedRef();
    }
  }
  // The value as a member of something built in `alloc`: owned values move, borrowed ones are
  // copied (in JavaScript key order), undefined becomes the undefined marker.
  Value take(Allocator& alloc) {
    switch (kind_) {
      case Kind::Borrowed:
        return js::copy(*borrowed_, alloc);
      case Kind::Owned:
        return std::move(owned_);
      default:
        return js::undefinedValue();
    }
  }
  // The same, but a borrowed value already in JavaScript's key order is shared, not copied.
  Value share(Allocator& alloc) {
    if (kind_ == Kind::Borrowed && js::inJavaScriptKeyOrder(*borrowed_))
      return js::shared(*borrowed_);
    return take(alloc);
  }

 private:
  enum class Kind : unsigned char { Undefined, Borrowed, Owned };
  Kind kind_;
  bool holdsUndefined_ = false;
  const Value* borrowed_ = nullptr;
  Value owned_;
};

}  // namespace actions::mapping
