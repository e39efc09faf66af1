// Each filter Segment leaves enabled, as liquidjs computes it. Every enabled filter of the
// registry must appear in the table below.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "liquid/filters.h"
#include "render_helpers.h"

using liquid_test::errorOf;
using liquid_test::render;

namespace {

constexpr const char* kEvent =
    R"({"s":"Hello World","n":3.5,"neg":-2.5,"arr":[1,"two",null,[3]],"nums":[3,1,2],)"
    R"("items":[{"name":"x","price":1.5,"on":true},{"name":"y","price":"2","on":false},{"name":"z"}],)"
    R"("o":{"a":1},"nil":null,"f":false,"e":"","u":"ünï straße 🚀","html":"<p>Hi & 'bye'</p><script>x</script>",)"
    R"("date":"2026-01-02T03:04:05.678Z","ts":1767323045})";

struct Case {
  const char* filter;
  const char* source;
  const char* expected;
};

const Case kCases[] = {
    // strings
    {"append", "{{ s | append: '!' }}", "Hello World!"},
    {"append", "{{ nil | append: n }}", "3.5"},
    {"prepend", "{{ s | prepend: '> ' }}", "> Hello World"},
    {"lstrip", "{{ '  a  ' | lstrip }}|{{ 'xxa' | lstrip: 'x' }}", "a  |a"},
    {"rstrip", "{{ '  a  ' | rstrip }}|{{ 'axx' | rstrip: 'x' }}", "  a|a"},
    {"strip", "{{ ' \t a \n ' | strip }}|{{ 'Hello' | strip: 'Ho' }}", "a|ell"},
    {"downcase", "{{ s | downcase }}|{{ 'ÀÉ ΣΑΣ' | downcase }}", "hello world|àé σας"},
    {"upcase", "{{ s | upcase }}|{{ u | upcase }}", "HELLO WORLD|ÜNÏ STRASSE 🚀"},
    {"capitalize", "{{ 'hELLO wORLD' | capitalize }}|{{ 'ßa' | capitalize }}", "Hello world|SSa"},
    {"remove", "{{ s | remove: 'l' }}", "Heo Word"},
    {"remove_first", "{{ s | remove_first: 'l' }}", "Helo World"},
    {"remove_last", "{{ s | remove_last: 'l' }}", "Hello Word"},
    {"replace", "{{ s | replace: 'l', 'L' }}|{{ 'abc' | replace: '', '-' }}", "HeLLo WorLd|a-b-c"},
    {"replace_first", "{{ s | replace_first: 'l', '$&' }}", "He$&lo World"},
    {"replace_last", "{{ s | replace_last: 'o', '0' }}", "Hello W0rld"},
    {"split", "{{ 'a,b,,c,,' | split: ',' | join: '-' }}|{{ 'abc' | split: '' | size }}",
     "a-b--c|3"},
    {"strip_newlines", "{{ 'a\nb\r\nc\rd' | strip_newlines }}", "abc\rd"},
    {"squish", "{{ '  a \n\t b  ' | squish }}", "a b"},
    {"normalize_whitespace", "{{ '  a \n\t b  ' | normalize_whitespace }}", " a b "},
    {"truncate", "{{ s | truncate: 8 }}|{{ s | truncate: 5, '' }}|{{ s | truncate: 50 }}",
     "Hello...|Hello|Hello World"},
    {"truncatewords", "{{ s | truncatewords: 1 }}|{{ 'a b c' | truncatewords: 2, '--' }}",
     "Hello...|a b--"},
    {"number_of_words", "{{ s | number_of_words }}|{{ '日本語 ok' | number_of_words: 'cjk' }}",
     "2|4"},
    // arrays
    {"join", "{{ arr | join: ', ' }}|{{ nums | join }}", "1, two, , 3|3 1 2"},
    {"first", "{{ nums | first }}|{{ s | first }}|{{ o | first }}", "3|H|"},
    {"last", "{{ nums | last }}|{{ s | last }}", "2|d"},
    {"size", "{{ nums | size }}|{{ s | size }}|{{ u | size }}|{{ n | size }}|{{ o | size }}",
     "3|11|13|0|0"},
    {"sum", "{{ nums | sum }}|{{ items | sum: 'price' }}", "6|3.5"},
    {"compact", "{{ arr | compact | size }}", "3"},
    {"push", "{{ nums | push: 9 | join: ',' }}", "3,1,2,9"},
    {"unshift", "{{ nums | unshift: 9 | join: ',' }}", "9,3,1,2"},
    {"pop", "{{ nums | pop | join: ',' }}", "3,1"},
    {"shift", "{{ nums | shift | join: ',' }}", "1,2"},
    {"slice", "{{ nums | slice: 1, 2 | join: ',' }}|{{ s | slice: -5, 3 }}|{{ u | slice: 11 }}",
     "1,2|Wor|🚀"},
    {"where", "{{ items | where: 'on' | size }}|{{ items | where: 'price', '2' | size }}", "1|1"},
    {"where", "{{ items | where: 'name', 'y' | first | json }}",
     R"({"name":"y","price":"2","on":false})"},
    {"sample", "{{ nums | sample | plus: 0 }}", ""},  // random: checked below
    // math
    {"abs", "{{ neg | abs }}|{{ '-3' | abs }}", "2.5|3"},
    {"at_least", "{{ 1 | at_least: 5 }}|{{ 9 | at_least: 5 }}", "5|9"},
    {"at_most", "{{ 1 | at_most: 5 }}|{{ 9 | at_most: 5 }}", "1|5"},
    {"ceil", "{{ n | ceil }}|{{ neg | ceil }}", "4|-2"},
    {"floor", "{{ n | floor }}|{{ neg | floor }}", "3|-3"},
    {"divided_by",
     "{{ 10 | divided_by: 4 }}|{{ 10 | divided_by: 4, true }}|{{ 1 | divided_by: 0 }}",
     "2.5|2|Infinity"},
    {"minus", "{{ 5 | minus: 7.5 }}|{{ 5 | minus }}", "-2.5|NaN"},
    {"plus", "{{ 0.1 | plus: 0.2 }}|{{ '2' | plus: '3' }}", "0.30000000000000004|5"},
    {"modulo", "{{ 7 | modulo: 3 }}|{{ -7 | modulo: 3 }}|{{ 7 | modulo: -3 }}", "1|2|-2"},
    {"times", "{{ 3 | times: 1.5 }}|{{ 100000000000 | times: 100000000000 }}", "4.5|1e+22"},
    {"round", "{{ 1.005 | round: 2 }}|{{ -2.5 | round }}|{{ 1234.5 | round: -2 }}", "1.01|-3|1200"},
    // html and urls
    {"escape", "{{ html | escape }}",
     "&lt;p&gt;Hi &amp; &#39;bye&#39;&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;"},
    {"xml_escape", "{{ '<a>\"' | xml_escape }}", "&lt;a&gt;&#34;"},
    {"escape_once", "{{ '&lt; & <' | escape_once }}", "&lt; &amp; &lt;"},
    {"strip_html", "{{ html | strip_html }}", "Hi & 'bye'"},
    {"url_encode", "{{ 'a b&c=é/🚀' | url_encode }}", "a+b%26c%3D%C3%A9%2F%F0%9F%9A%80"},
    {"url_decode", "{{ 'a+b%26c%3D%C3%A9' | url_decode }}", "a b&c=é"},
    {"cgi_escape", "{{ \"a b!'()*\" | cgi_escape }}", "a+b%21%27%28%29%2A"},
    {"uri_escape", "{{ 'http://x.io/a b?q=[1]#f' | uri_escape }}", "http://x.io/a%20b?q=[1]#f"},
    {"slugify",
     "{{ ' Ünï Code, here! ' | slugify }}|{{ 'Déjà vu' | slugify: 'latin' }}|{{ 'A b' | slugify: "
     "'raw', true }}",
     "ünï-code-here|deja-vu|A-b"},
    // dates
    {"date", "{{ date | date: '%Y-%m-%d %H:%M:%S.%L %a %b %-d %Z' }}",
     "2026-01-02 03:04:05.678 Fri Jan 2 UTC"},
    {"date", "{{ ts | date: '%s %j %U' }}|{{ date | date }}",
     "1767323045 002 00|Friday, January 2, 2026 at 3:04 am +0000"},
    {"date",
     "{{ date | date: '%H:%M %z', 'America/New_York' }}|{{ date | date: '%H:%M %:z', -330 }}",
     "22:04 -0500|08:34 +05:30"},
    {"date", "{{ 'not a date' | date: '%Y' }}|{{ nil | date: '%Y' }}", "not a date|"},
    {"date_to_xmlschema", "{{ date | date_to_xmlschema }}", "2026-01-02T03:04:05+00:00"},
    {"date_to_rfc822", "{{ date | date_to_rfc822 }}", "Fri, 02 Jan 2026 03:04:05 +0000"},
    {"date_to_string", "{{ date | date_to_string }}|{{ date | date_to_string: 'ordinal', 'US' }}",
     "02 Jan 2026|Jan 2nd, 2026"},
    {"date_to_long_string",
     "{{ date | date_to_long_string }}|{{ date | date_to_long_string: 'ordinal' }}",
     "02 January 2026|2nd January 2026"},
    // misc
    {"default",
     "{{ nil | default: 'd' }}|{{ e | default: 'd' }}|{{ f | default: 'd' }}|{{ f | default: 'd', "
     "allow_false: true }}|{{ 0 | default: 'd' }}",
     "d|d|d|false|0"},
    {"raw", "{{ s | raw }}", "Hello World"},
    {"json", "{{ arr | json }}|{{ o | json: 2 }}", "[1,\"two\",null,[3]]|{\n  \"a\": 1\n}"},
    {"jsonify", "{{ s | jsonify }}", "\"Hello World\""},
    {"inspect", "{{ nums | inspect }}", "[3,1,2]"},
    {"to_integer", "{{ '12.5' | to_integer }}|{{ 'x' | to_integer }}", "12.5|NaN"},
    {"base64_encode", "{{ 'Hello é' | base64_encode }}", "SGVsbG8gw6k="},
    {"base64_decode", "{{ 'SGVsbG8gw6k=' | base64_decode }}", "Hello é"},
    {"sha256", "{{ 'abc' | sha256 }}",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"hmac_sha256", "{{ 'abc' | hmac_sha256: 'key' }}",
     "9c196e32dc0175f86f4b1cb89289d6619de6bee699e4c378e68309ed97a1a6ab"},
};

TEST(LiquidFilters, EachRendersAsLiquidjs) {
  for (const Case& c : kCases) {
    if (std::string(c.filter) == "sample") continue;
    EXPECT_EQ(render(c.source, kEvent), c.expected) << c.filter << ": " << c.source;
  }
}

TEST(LiquidFilters, EveryEnabledFilterIsCovered) {
  std::set<std::string> covered;
  for (const Case& c : kCases) covered.insert(c.filter);
  for (const auto& f : actions::liquid::allFilters()) {
    if (f.function) {
      EXPECT_TRUE(covered.count(std::string(f.name))) << "no test for " << f.name;
    }
  }
}

TEST(LiquidFilters, SamplePicksFromItsInput) {
  for (int i = 0; i < 20; ++i) {
    std::string picked = render("{{ nums | sample }}", kEvent);
    EXPECT_TRUE(picked == "3" || picked == "1" || picked == "2") << picked;
  }
  EXPECT_EQ(render("{{ nums | sample: 2 | size }}", kEvent), "2");
}

// Strings are read by JavaScript's Date parser, code point by code point as V8 reads them
// (liquidjs answers, TZ=UTC): a NUL ends the string, and a non-ASCII letter is no keyword
// letter; a string that is no date comes back unchanged.
TEST(LiquidFilters, DateReadsStringsAsV8Does) {
  constexpr std::string_view kFormat = "{{ s | date: '%Y-%m-%d %H:%M' }}";
  EXPECT_EQ(render(kFormat, R"({"s":"2000-01-01\u0000x"})"), "2000-01-01 00:00");
  EXPECT_EQ(render(kFormat, R"({"s":"1 Jan 2000 10:00 am"})"), "2000-01-01 10:00");
  EXPECT_EQ(render(kFormat, R"({"s":"1 Jan 2000 10:00 am\u2028"})"), "1 Jan 2000 10:00 am\u2028");
  EXPECT_EQ(render(kFormat, R"({"s":"Jan 1 2000 1:00 \u0170m"})"), "Jan 1 2000 1:00 \u0170m");
}

TEST(LiquidFilters, FailuresNameThePlaceOfTheFilter) {
  EXPECT_EQ(errorOf("{{ s | append }}", kEvent), "append expect 2 arguments, line:1, col:1");
  EXPECT_EQ(errorOf("ab{{ '%zz' | url_decode }}"), "URI malformed, line:1, col:3");
  EXPECT_EQ(errorOf("{{ '@@' | base64_decode }}"),
            "invalid base64 provided to base64_decode, line:1, col:1");
  EXPECT_EQ(errorOf("{{ date | date: '%H', 'Mars/Base' }}", kEvent),
            "Invalid time zone specified: Mars/Base, line:1, col:1");
  EXPECT_EQ(errorOf("{{ f | default: 'd', 'x' }}", kEvent),
            "Iterator value x is not an entry object, line:1, col:1");
}

TEST(LiquidFilters, ArgumentsAreExpressions) {
  EXPECT_EQ(render("{{ s | append: o.a | append: nums[1] }}", kEvent), "Hello World11");
  // A `name: value` argument arrives as the pair [name, value], which prints as "name" + value.
  EXPECT_EQ(render("{{ s | truncate: 7, ellipsis: '' }}", kEvent), "ellipsis");
}

}  // namespace
