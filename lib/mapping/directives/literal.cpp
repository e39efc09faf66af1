// @literal: its value, resolved like any other piece of mapping (directives inside still run).
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {

NodePtr compileLiteral(const Value& options, Compiler& compiler) {
  return compiler.resolvable(options);
}

}  // namespace actions::mapping::directives
