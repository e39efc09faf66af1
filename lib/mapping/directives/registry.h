// The directives: one small compile function each (in its own file), found by name here.
// Each turns the directive's options into a node with upstream's run-time behaviour.
#pragma once

#include <string_view>

#include "mapping/compiler.h"

namespace actions::mapping::directives {

using Compile = NodePtr (*)(const Value& options, Compiler& compiler);

// The directive called `name` ("@path"), or nullptr when there is none.
Compile find(std::string_view name);

NodePtr compileIf(const Value& options, Compiler& compiler);
NodePtr compileCase(const Value& options, Compiler& compiler);
NodePtr compileReplace(const Value& options, Compiler& compiler);
NodePtr compileArrayPath(const Value& options, Compiler& compiler);
NodePtr compilePath(const Value& options, Compiler& compiler);
NodePtr compileTemplate(const Value& options, Compiler& compiler);
NodePtr compileLiteral(const Value& options, Compiler& compiler);
NodePtr compileFlatten(const Value& options, Compiler& compiler);
NodePtr compileJson(const Value& options, Compiler& compiler);
NodePtr compileMerge(const Value& options, Compiler& compiler);
NodePtr compileTransform(const Value& options, Compiler& compiler);
NodePtr compileExcludeWhenNull(const Value& options, Compiler& compiler);
NodePtr compileLiquid(const Value& options, Compiler& compiler);

// Helpers the directives share.
// The member `key` of `options` when it is an object, else nullptr (JavaScript's opts.key).
const Value* option(const Value& options, std::string_view key);
// Whether options.key is truthy in JavaScript terms.
bool truthyOption(const Value& options, std::string_view key);

}  // namespace actions::mapping::directives
