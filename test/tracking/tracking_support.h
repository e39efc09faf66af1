// Shared by the tracking tests: a TrackingApi with one key per source, requests at a fixed time,
// and the accepted events parsed back.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>

#include "actions/tracking.h"

namespace tracking_test {

using namespace actions::tracking;

inline constexpr const char* kKey = "wk_1";
inline constexpr const char* kWebKey = "wk_web";

inline Options options() {
  Options o;
  o.writeKeys = {{kKey, ""}, {kWebKey, "website"}};
  return o;
}

// 2026-03-01T12:00:00.250Z
inline std::chrono::system_clock::time_point arrival() {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1772366400250));
}

inline Request request(std::string_view path, std::string_view body,
                       std::string_view authorization = {}) {
  Request r;
  r.endpoint = endpointFor(path);
  r.body = body;
  r.authorization = authorization;
  r.peerAddress = "203.0.113.9";
  r.receivedAt = arrival();
  return r;
}

// "Basic " + base64("wk_1:")
inline std::string basic(std::string_view key) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = std::string(key) + ":", out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(table[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(table[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return "Basic " + out;
}

inline rapidjson::Document parsed(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

inline std::string str(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return "<absent>";
  if (!it->value.IsString()) return "<not a string>";
  return it->value.GetString();
}

}  // namespace tracking_test
