#include "kit/definition.h"

namespace actions::kit {

const char* toString(FieldType type) {
  switch (type) {
    case FieldType::String:
      return "string";
    case FieldType::Text:
      return "text";
    case FieldType::Number:
      return "number";
    case FieldType::Integer:
      return "integer";
    case FieldType::Datetime:
      return "datetime";
    case FieldType::Boolean:
      return "boolean";
    case FieldType::Password:
      return "password";
    case FieldType::Object:
      return "object";
  }
  return "string";
}

}  // namespace actions::kit
