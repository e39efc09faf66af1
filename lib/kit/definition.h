// A destination as data, in the vocabulary of Segment's destination-kit: InputField,
// ActionDefinition (fields, defaultSubscription, perform / performBatch, dynamic fields) and
// DestinationDefinition (settings fields, testAuthentication, actions, presets). The kit
// executes a definition the way Segment does; a destination only describes itself.
//
// This header holds thin types only. JSON-valued parts (a field's default, a preset's mapping)
// are JSON text; the request types handed to perform / performBatch are declared here and
// defined by the kit (lib/kit/requests.h), which gives them the payloads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"
#include "kit/result.h"

namespace actions::kit {

// Segment's field types. `datetime` accepts a date-like string or a number; `text` and
// `password` are strings shown differently; `object` is a JSON object (or, with `properties`,
// one with fields of its own).
enum class FieldType { String, Text, Number, Integer, Datetime, Boolean, Password, Object };

const char* toString(FieldType type);

// One condition of a conditionally required field: `fieldKey` (a sibling, or "parent.child")
// is / is not `value`. An absent value means "is empty" (missing or null).
struct FieldCondition {
  enum class Operator { Is, IsNot };
  std::string fieldKey;
  Operator op = Operator::Is;
  std::optional<std::string> valueJson;  // JSON text of the compared value
};

// A field required only when its conditions hold (all of them, or any of them).
struct RequiredWhen {
  enum class Match { All, Any };
  Match match = Match::All;
  std::vector<FieldCondition> conditions;
};

struct Choice {
  std::string label;
  std::string value;
};

struct NamedField;

struct InputField {
  std::string label;
  std::string description;
  FieldType type = FieldType::String;
  bool required = false;
  std::optional<RequiredWhen> requiredWhen;  // conditionally required (then `required` is false)
  bool allowNull = false;
  bool multiple = false;  // an array of values of `type`; a single value is accepted as one
  std::vector<Choice> choices;
  std::optional<std::string> defaultJson;  // JSON text: a literal or a mapping directive
  std::optional<double> minimum;  // strings: length; numbers: value (as Segment applies them)
  std::optional<double> maximum;
  bool dynamic = false;  // choices come from the action's dynamic field of the same key
  std::vector<NamedField> properties;  // the fields of an object
  bool additionalProperties = false;   // with properties: keep keys that are not fields
};

struct NamedField {
  std::string key;
  InputField field;
};

using Fields = std::vector<NamedField>;

// What the kit hands to an action. Defined in lib/kit/requests.h (they carry JSON values).
struct PerformRequest;
struct BatchRequest;
struct AuthRequest;
struct DynamicRequest;

// The choices of a dynamic field, or the error that prevented listing them.
struct DynamicChoices {
  std::vector<Choice> choices;
  std::string nextPage;
  std::string errorMessage;  // empty on success
  std::string errorCode;
};

// Delivers one validated payload; fills `result`. May throw the kit's errors (lib/kit/errors.h).
using Perform = std::function<void(const PerformRequest& request, EventResult& result)>;
// Delivers validated payloads (in input order) and fills one result per payload. Results come
// pre-filled as failed ("no result"), so a payload the action forgets is never reported
// delivered. Throwing one of the kit's errors fails the whole batch with that error.
using PerformBatch =
    std::function<void(const BatchRequest& request, std::span<EventResult> results)>;
// Destination rules on top of Segment's validation, applied to each validated payload (also in
// dry runs): returns why the payload cannot be delivered, or an empty string.
using PayloadCheck = std::function<std::string(const PerformRequest& request)>;
using DynamicField = std::function<DynamicChoices(const DynamicRequest& request)>;
// Checks the settings can be used (connects, creates what is missing). Throws the kit's errors.
using TestAuthentication = std::function<void(const AuthRequest& request)>;
// Destination rules on settings that passed field validation: one line per problem.
using SettingsCheck = std::function<std::vector<std::string>(const AuthRequest& request)>;

struct ActionDefinition {
  std::string title;
  std::string description;
  std::string platform = "cloud";
  std::string defaultSubscription;  // FQL
  Fields fields;
  // The action's default mapping (JSON text). Empty: built from the fields' defaults.
  std::string defaultMappingJson;
  Perform perform;
  PerformBatch performBatch;
  PayloadCheck checkPayload;
  std::map<std::string, DynamicField> dynamicFields;
};

struct NamedAction {
  std::string key;
  ActionDefinition action;
};

struct Preset {
  std::string name;
  std::string subscribe;      // FQL
  std::string partnerAction;  // an action key
  std::string mappingJson;    // empty: the action's default mapping
  std::string type = "automatic";
};

struct DestinationDefinition {
  std::string name;
  std::string slug;
  std::string mode = "cloud";
  std::string description;
  std::string authenticationScheme = "custom";
  Fields authenticationFields;
  TestAuthentication testAuthentication;
  SettingsCheck checkSettings;
  std::vector<NamedAction> actions;
  std::vector<Preset> presets;

  const ActionDefinition* findAction(std::string_view key) const {
    for (const auto& a : actions)
      if (a.key == key) return &a.action;
    return nullptr;
  }
};

}  // namespace actions::kit
