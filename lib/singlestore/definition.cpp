#include "singlestore/definition.h"

#include <span>
#include <string>
#include <vector>

#include "json/js_text.h"
#include "json/json.h"
#include "kit/errors.h"
#include "kit/requests.h"
#include "kit/timestamp.h"
#include "singlestore/send_data_action.h"
#include "singlestore/settings.h"

// mappings/send_data.json, built into the library so hosts need no files at run time: the build
// turns the file into a string literal (lib/CMakeLists.txt).
#include "actions/send_data_mapping.inc"

namespace actions::singlestore {
namespace {

using kit::Choice;
using kit::FieldType;
using kit::InputField;

// ---------------------------------------------------------------------------------------------
// Hooks for the SingleStore writer (send_data_action.h). The definition is complete except for
// what needs a database; the writer's functions plug in here:
//   kDeliverSendData    (kit::PerformBatch)       delivers a batch of validated Send Data payloads
//   kTestAuthentication (kit::TestAuthentication) connects, creates the table, checks it can write
//   kListDatabases      (kit::DynamicField)       the `database` field's choices (user databases)
// A build without kDeliverSendData refuses a real `send` ("delivery is not available in this
// build") and answers each event of a batch with 501.
const kit::PerformBatch kDeliverSendData = deliverSendData;
const kit::TestAuthentication kTestAuthentication = checkAuthentication;
const kit::DynamicField kListDatabases = listDatabaseChoices;
// ---------------------------------------------------------------------------------------------

constexpr const char* kDefaultSubscription =
    "type = \"track\" or type = \"identify\" or type = \"page\" or type = \"screen\" or "
    "type = \"group\" or type = \"alias\"";

InputField field(std::string label, std::string description, FieldType type) {
  InputField f;
  f.label = std::move(label);
  f.description = std::move(description);
  f.type = type;
  return f;
}

kit::Fields settingsFields() {
  kit::Fields fields;
  InputField host = field("Host", "SingleStore host name or address.", FieldType::String);
  host.required = true;
  fields.push_back({"host", host});
  InputField port = field("Port", "SQL port.", FieldType::Number);
  port.defaultJson = "3306";
  port.minimum = 1;
  port.maximum = 65535;
  fields.push_back({"port", port});
  InputField username = field("Username", "Database user.", FieldType::String);
  username.required = true;
  fields.push_back({"username", username});
  InputField password =
      field("Password",
            "Database password. Never printed, logged or echoed in an error; the "
            "environment variable SINGLESTORE_PASSWORD supplies it when the settings have none.",
            FieldType::Password);
  password.required = true;
  fields.push_back({"password", password});
  InputField dbName = field("Database Name", "Database that receives the rows.", FieldType::String);
  dbName.required = true;
  fields.push_back({"dbName", dbName});
  InputField table = field("Table Name", "Table that receives the rows (created when missing).",
                           FieldType::String);
  table.defaultJson = "\"segment_raw_data\"";
  fields.push_back({"tableName", table});
  InputField ssl = field("SSL Mode", "How the connection uses TLS.", FieldType::String);
  ssl.defaultJson = "\"preferred\"";
  for (const char* m : {"disabled", "preferred", "required", "verify_ca", "verify_identity"})
    ssl.choices.push_back(Choice{m, m});
  fields.push_back({"sslMode", ssl});
  fields.push_back(
      {"sslCa", field("SSL CA Bundle",
                      "CA bundle for verify_ca and verify_identity: the path of a PEM file, or "
                      "the PEM text itself.",
                      FieldType::String)});
  return fields;
}

kit::Fields sendDataFields() {
  kit::Fields fields;
  InputField database = field(
      "Database", "Database to write to; the settings' database when empty.", FieldType::String);
  database.dynamic = true;
  fields.push_back({"database", database});
  InputField messageId = field("Message ID", "Unique event id; the dedup key.", FieldType::String);
  messageId.required = true;
  messageId.defaultJson = R"({"@path":"$.messageId"})";
  fields.push_back({"messageId", messageId});
  InputField timestamp = field("Timestamp", "When the event was generated.", FieldType::Datetime);
  timestamp.required = true;
  timestamp.defaultJson = R"({"@path":"$.timestamp"})";
  fields.push_back({"timestamp", timestamp});
  InputField type = field("Type", "Event type.", FieldType::String);
  type.required = true;
  for (const char* t : {"track", "identify", "page", "screen", "group", "alias"})
    type.choices.push_back(Choice{t, t});
  type.defaultJson = R"({"@path":"$.type"})";
  fields.push_back({"type", type});
  InputField event = field("Event", "Event name; required for track events.", FieldType::String);
  event.requiredWhen = kit::RequiredWhen{
      kit::RequiredWhen::Match::All,
      {kit::FieldCondition{"type", kit::FieldCondition::Operator::Is, "\"track\""}}};
  event.defaultJson = R"({"@path":"$.event"})";
  fields.push_back({"event", event});
  InputField message =
      field("Message", "The JSON stored in the message column.", FieldType::Object);
  message.required = true;
  message.defaultJson = R"({"@path":"$."})";
  fields.push_back({"message", message});
  InputField batchSize = field("Max Batch Size", "Rows per INSERT.", FieldType::Integer);
  batchSize.required = true;
  batchSize.defaultJson = "1000";
  batchSize.minimum = 1;
  batchSize.maximum = 10000;
  fields.push_back({"max_batch_size", batchSize});
  InputField batching = field("Enable Batching", "Send events in batches.", FieldType::Boolean);
  batching.defaultJson = "true";
  fields.push_back({"enable_batching", batching});
  return fields;
}

std::string_view text(const json::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// What the table adds to Segment's validation: values its columns hold as they are, or a clear
// refusal (never a silent truncation).
std::string checkSendDataPayload(const kit::PerformRequest& request) {
  const json::Value& p = request.payload;
  auto member = [&](const char* key) -> const json::Value* {
    auto it = p.FindMember(key);
    return it == p.MemberEnd() ? nullptr : &it->value;
  };
  const json::Value* messageId = member("messageId");
  if (messageId && messageId->IsString() && messageId->GetStringLength() == 0)
    return "Message ID must not be empty: it is the key that keeps events from being stored twice.";
  for (const auto& [key, label] :
       {std::pair{"messageId", "Message ID"}, {"event", "Event"}, {"type", "Type"}}) {
    const json::Value* v = member(key);
    if (!v || !v->IsString()) continue;
    std::size_t chars = json::text::codePointCount(text(*v));
    if (chars > kMaxColumnChars)
      return std::string(label) +
             " must be at most 255 characters (its VARCHAR(255) column) but it was " +
             std::to_string(chars) + " characters.";
    if (std::size_t at = json::text::findLoneSurrogate(text(*v)); at != std::string_view::npos)
      return std::string(label) + " holds half of a character (the lone surrogate " +
             json::text::escapeOfSurrogateAt(text(*v), at) + " at UTF-16 position " +
             std::to_string(json::text::utf16Length(text(*v).substr(0, at))) +
             "): its text column stores only whole characters.";
  }
  // JSON.parse reads a string cut inside an emoji; neither server's JSON column keeps one
  // (docs/table.md, "Lone surrogates").
  if (const json::Value* message = member("message"))
    if (auto lone = json::text::findLoneSurrogate(*message))
      return "Message holds half of a character (the lone surrogate " + lone->escape + " in " +
             (lone->path.empty() ? std::string("the message itself") : lone->path) +
             "): the table's JSON column cannot store it.";
  if (const json::Value* ts = member("timestamp")) {
    kit::TimestampResult t = kit::parseTimestamp(*ts);
    if (!t.micros) return t.error;
  }
  if (const json::Value* db = member("database");
      db && db->IsString() && db->GetStringLength() > 0) {
    std::string why = databaseProblem(text(*db));
    if (!why.empty()) return "Database " + why + ".";
  }
  return "";
}

// Rules on settings beyond their fields' types (singlestore/settings.h).
std::vector<std::string> checkSettings(const kit::AuthRequest& request) {
  return settingsRuleProblems(request.settings);
}

// The Send Data action's performBatch: the writer's delivery, or a clear refusal without it.
void performSendData(const kit::BatchRequest& request, std::span<kit::EventResult> results) {
  if (!kDeliverSendData)
    throw kit::IntegrationError("delivery is not available in this build",
                                kit::error_codes::kNotImplemented, 501);
  kDeliverSendData(request, results);
}

kit::DestinationDefinition build() {
  kit::DestinationDefinition d;
  d.name = "SingleStore";
  d.slug = "actions-singlestore";
  d.mode = "cloud";
  d.description = "Store Segment events as rows of a SingleStore (or MySQL / MariaDB) table.";
  d.authenticationScheme = "custom";
  d.authenticationFields = settingsFields();
  d.checkSettings = checkSettings;
  if (kTestAuthentication) d.testAuthentication = kTestAuthentication;

  kit::ActionDefinition send;
  send.title = "Send Data";
  send.description =
      "Store each event as a row: its messageId, type, event name, timestamp and the whole "
      "message.";
  send.platform = "cloud";
  send.defaultSubscription = kDefaultSubscription;
  send.fields = sendDataFields();
  send.defaultMappingJson = std::string(sendDataDefaultMapping());
  send.performBatch = performSendData;
  send.checkPayload = checkSendDataPayload;
  if (kListDatabases) send.dynamicFields["database"] = kListDatabases;
  d.actions.push_back({std::string(kSendDataAction), std::move(send)});

  kit::Preset preset;
  preset.name = "Send Data";
  preset.subscribe = kDefaultSubscription;
  preset.partnerAction = std::string(kSendDataAction);
  d.presets.push_back(preset);
  return d;
}

}  // namespace

std::string_view sendDataDefaultMapping() {
  return std::string_view(kSendDataMappingJson);
}

const kit::DestinationDefinition& destination() {
  static const kit::DestinationDefinition d = build();
  return d;
}

bool deliveryAvailable() {
  return static_cast<bool>(kDeliverSendData);
}

}  // namespace actions::singlestore
