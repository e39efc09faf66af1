// One group per directive: behaviour the recorded corpora reach rarely or not at all. Every
// expectation here was checked against Segment's implementation.
#include <gtest/gtest.h>

#include "mapping_test_util.h"

using mappingtest::run;

namespace {
const char* kEvent = R"({"a":"x","b":"Hello World","n":0,"f":false,"e":"","z":null,"num":12.5,
  "arr":[],"arrs":["a","b"],"obj":{"b":"bee","2":"two","1":"one"},"list":[1,"two",{"three":3}],
  "nested":{"deep":{"k":"v","nn":null}},"sp ace":{"in ner":1}})";
}

TEST(PathDirective, RootDottedBracketAndQuotedPaths) {
  EXPECT_EQ(run(R"({"o":{"@path":"$.list[2].three"}})", kEvent), R"({"o":3})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.list.2.three"}})", kEvent), R"({"o":3})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.['sp ace'][\"in ner\"]"}})", kEvent), R"({"o":1})");
  // Only "$." is special: "$[...]" looks up a key called "$".
  EXPECT_EQ(run(R"({"o":{"@path":"$['sp ace']"}})", kEvent), R"({})");
  EXPECT_EQ(run(R"({"o":{"@path":"nested.deep.k"}})", kEvent), R"({"o":"v"})");
  EXPECT_EQ(run(R"({"@path":"$."})", R"({"x":1})"), R"({"x":1})");
}

TEST(PathDirective, StopsAtTheFirstFalsyValueAndGivesIt) {
  EXPECT_EQ(run(R"({"o":{"@path":"$.n.x"}})", kEvent), R"({"o":0})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.e.x"}})", kEvent), R"({"o":""})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.z.x.y"}})", kEvent), R"({"o":null})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.missing.x"}})", kEvent), R"({})");
}

TEST(PathDirective, LengthsAndIndicesOfArraysAndStrings) {
  EXPECT_EQ(
      run(R"({"o":{"@path":"$.arrs.length"},"p":{"@path":"$.b.length"},"q":{"@path":"$.b.4"}})",
          kEvent),
      R"({"o":2,"p":11,"q":"o"})");
  EXPECT_EQ(run(R"({"o":{"@path":"$.arrs.01"}})", kEvent), R"({})");
}

TEST(PathDirective, ComputedPathMustBeAString) {
  EXPECT_EQ(run(R"({"o":{"@path":{"@template":"$.{{a}}"}}})", R"({"a":"n","n":5})"), R"({"o":5})");
  EXPECT_EQ(run(R"({"o":{"@path":{"@path":"$.num"}}})", kEvent),
            "ERROR: @path: expected string, got number");
}

TEST(TemplateDirective, JavaScriptStringsOfEveryType) {
  EXPECT_EQ(run(R"({"@template":"{{n}}|{{f}}|{{z}}|{{e}}|{{num}}|{{arrs}}|{{obj}}|{{missing}}"})",
                kEvent),
            R"("0|false|||12.5|a,b|[object Object]|")");
  EXPECT_EQ(run(R"({"@template":"{{big}} {{small}}"})", R"({"big":1e21,"small":1e-7})"),
            R"("1e+21 1e-7")");
}

TEST(TemplateDirective, TripleBracesFirstThenDoubleOverTheResult) {
  EXPECT_EQ(run(R"({"@template":"<{{{t}}}>"})", R"({"t":"{{a}}","a":"A"})"), R"("<A>")");
  EXPECT_EQ(run(R"({"@template":"{{ a }}{{}}x{{a}"})", R"({"a":"A"})"), R"("A{{}}x{{a}")");
  EXPECT_EQ(run(R"({"@template":"{{ . }}"})", R"({"a":"A"})"), R"("[object Object]")");
}

TEST(IfDirective, BlankFollowsLooseEqualityWithEmptyString) {
  auto blank = [](const char* value) {
    return run(std::string(R"({"@if":{"blank":{"@path":"$.v"},"then":"set","else":"blank"}})"),
               std::string(R"({"v":)") + value + "}");
  };
  EXPECT_EQ(blank("0"), R"("blank")");
  EXPECT_EQ(blank("false"), R"("blank")");
  EXPECT_EQ(blank("[]"), R"("blank")");
  EXPECT_EQ(blank("[[null]]"), R"("blank")");
  EXPECT_EQ(blank("[0]"), R"("set")");
  EXPECT_EQ(blank("\" \""), R"("set")");
  EXPECT_EQ(blank("{}"), R"("set")");
}

TEST(IfDirective, ElseOnlyWhenTruthyAsWritten) {
  EXPECT_EQ(run(R"({"o":{"@if":{"exists":{"@path":"$.x"},"then":1,"else":false}}})"), R"({})");
  EXPECT_EQ(run(R"({"o":{"@if":{"exists":null,"blank":"x","then":1,"else":2}}})"), R"({"o":2})");
  EXPECT_EQ(run(R"({"o":{"@if":{"exists":false}}})"),
            R"(ERROR: @if requires an "exists" key or a "blank" key)");
}

TEST(CaseDirective, FullUnicodeCaseMapping) {
  EXPECT_EQ(run(R"({"@case":{"operator":"upper","value":"straße ǆ ﬁ"}})"), R"("STRASSE Ǆ FI")");
  EXPECT_EQ(run(R"({"@case":{"operator":"lower","value":"ΟΔΟΣ Σ İ"}})"), "\"οδος σ i̇\"");
  EXPECT_EQ(run(R"({"@case":{"operator":"title","value":{"@path":"$.n"}}})", kEvent), "0");
  EXPECT_EQ(run(R"({"@case":{"operator":"title","value":"Ab"}})"),
            R"(ERROR: operator key should have a value of "lower" or "upper")");
}

TEST(ReplaceDirective, ReplacementPatternsAndCaseFolding) {
  EXPECT_EQ(run(R"({"@replace":{"pattern":"l","replacement":"[$&]","value":"hello"}})"),
            R"("he[l][l]o")");
  EXPECT_EQ(run(R"({"@replace":{"pattern":"l","replacement":"$$1$'","value":"al!"}})"),
            R"("a$1!!")");
  EXPECT_EQ(
      run(R"({"@replace":{"pattern":"ÜB","replacement":"_","ignorecase":true,"value":"über ÜBER"}})"),
      R"("_er _ER")");
  EXPECT_EQ(run(R"({"@replace":{"pattern":".","replacement":"!","global":false,"value":"a.b.c"}})"),
            R"("a!b.c")");
  EXPECT_EQ(run(R"({"@replace":{"pattern":"1","replacement":"one","value":{"@path":"$.v"}}})",
                R"({"v":{"a":1}})"),
            R"("")");
}

TEST(ReplaceDirective, SecondPatternIsCheckedWhenItRuns) {
  EXPECT_EQ(run(R"({"@replace":{"pattern":"o","pattern2":"lllllllllll","value":"hello"}})"),
            R"(ERROR: @replace requires a "pattern" less than 10 characters)");
  EXPECT_EQ(
      run(R"({"@replace":{"pattern":"o","pattern2":"l","replacement2":"L","value":"hello"}})"),
      R"("heLL")");
}

TEST(ArrayPathDirective, ItemsOfAComputedArrayAndItemsThatAreNotObjects) {
  EXPECT_EQ(run(R"({"@arrayPath":[{"@literal":[{"k":1},{"k":2}]},{"v":{"@path":"$.k"}}]})"),
            R"([{"v":1},{"v":2}])");
  EXPECT_EQ(run(R"({"@arrayPath":["$.list",{"v":{"@path":"$.three"}}]})", kEvent),
            R"([{},{},{"v":3}])");
  EXPECT_EQ(run(R"({"@arrayPath":["$.list",{"@path":"$.three"}]})", kEvent), R"([null,null,3])");
  EXPECT_EQ(run(R"({"@arrayPath":["$.list",{}]})", kEvent), R"([1,"two",{"three":3}])");
  EXPECT_EQ(
      run(R"({"@arrayPath":["$.list",{"t":{"@transform":{"apply":{"q":1},"mapping":{"@path":"$.q"}}}}]})",
          kEvent),
      "ERROR: data must be an object, got number");
}

TEST(FlattenDirective, SeparatorsKeysAndCollisions) {
  EXPECT_EQ(run(R"({"@flatten":{"separator":".","value":{"a":{"b":1},"a.b":2,"c":[5,{"d":6}]}}})"),
            R"({"a.b":2,"c.0":5,"c.1.d":6})");
  EXPECT_EQ(run(R"({"@flatten":{"separator":"_","omitArrays":true,"value":{"@path":"$."}}})",
                R"({"l":[1],"o":{"p":2}})"),
            R"({"l":[1],"o_p":2})");
  EXPECT_EQ(run(R"({"@flatten":{"separator":".","value":"text"}})"), R"({"":"text"})");
  EXPECT_EQ(run(R"({"@flatten":{"separator":".","value":[10,20]}})"), R"({"0":10,"1":20})");
  EXPECT_EQ(run(R"({"@flatten":{"value":{"a":1}}})"),
            R"(ERROR: @flatten requires a "separator" key)");
}

TEST(JsonDirective, EncodeInJavaScriptKeyOrderAndDecode) {
  EXPECT_EQ(run(R"({"@json":{"mode":"encode","value":{"@path":"$.obj"}}})", kEvent),
            R"("{\"1\":\"one\",\"2\":\"two\",\"b\":\"bee\"}")");
  EXPECT_EQ(
      run(R"({"@json":{"mode":"encode","value":{"a":{"@path":"$.x"},"b":[{"@path":"$.x"}]}}})"),
      R"("{\"b\":[null]}")");
  EXPECT_EQ(run(R"({"o":{"@json":{"mode":"encode","value":{"@path":"$.x"}}}})"), R"({})");
  EXPECT_EQ(run(R"({"@json":{"mode":"decode","value":"{\"a\":1,\"a\":2,\"0\":3}"}})"),
            R"({"0":3,"a":2})");
  EXPECT_EQ(run(R"({"@json":{"mode":"decode","value":"nope"}})"), R"("nope")");
  // JSON.parse reads 1e400 as Infinity, which JSON output writes as null; "Infinity" stays text.
  EXPECT_EQ(run(R"({"@json":{"mode":"decode","value":"[1e400,-1e999,1]"}})"), "[null,null,1]");
  EXPECT_EQ(run(R"({"@json":{"mode":"decode","value":"[Infinity]"}})"), R"("[Infinity]")");
  EXPECT_EQ(run(R"({"o":{"@json":{"mode":"ENCODE","value":1}}})"), R"({})");
}

TEST(MergeDirective, UndefinedOverridesAndNonObjectSources) {
  EXPECT_EQ(run(R"({"@merge":{"direction":"right","objects":[{"a":1},{"a":{"@path":"$.x"}}]}})"),
            R"({})");
  EXPECT_EQ(run(R"({"@merge":{"direction":"left","objects":[{"a":1},{"a":{"@path":"$.x"}}]}})"),
            R"({"a":1})");
  // Inside an array nothing is validated, so strings and arrays reach Object.assign.
  EXPECT_EQ(
      run(R"({"o":[{"@merge":{"direction":"right","objects":[{"b":1},"hi",5,null,["z"]]}}]})"),
      R"({"o":[{"0":"z","1":"i","b":1}]})");
  EXPECT_EQ(run(R"({"@merge":{"objects":[{"a":1}]}})"),
            R"(ERROR: @merge requires a "direction" key)");
}

TEST(TransformDirective, ApplyResultIsThePayloadOfMapping) {
  EXPECT_EQ(
      run(R"({"@transform":{"apply":{"x":[{"@path":"$.m"},2]},"mapping":{"v":{"@path":"$.x.0"},"w":{"@path":"$.x"}}}})"),
      R"({"w":[null,2]})");
  EXPECT_EQ(run(R"({"@transform":{"apply":{"@path":"$.a"},"mapping":{"l":{"@path":"$.length"}}}})",
                kEvent),
            R"({"l":1})");
}

TEST(ExcludeWhenNullDirective, NullsLeaveObjectsButNotArrays) {
  EXPECT_EQ(run(R"({"o":{"@excludeWhenNull":{"a":null,"b":{"c":null,"d":[null]},"e":1}}})"),
            R"({"o":{"b":{"d":[null]},"e":1}})");
  EXPECT_EQ(run(R"({"o":{"@excludeWhenNull":{"@path":"$.z"}}})", kEvent), R"({})");
  EXPECT_EQ(
      run(R"({"@merge":{"direction":"right","objects":[{"a":1},{"@excludeWhenNull":{"a":null}}]}})"),
      R"({})");
}

TEST(LiteralDirective, ResolvesDirectivesInside) {
  EXPECT_EQ(run(R"({"@literal":{"a":{"@path":"$.a"},"b":[1,{"@path":"$.a"}]}})", kEvent),
            R"({"a":"x","b":[1,"x"]})");
}

TEST(LiquidDirective, CompiledWithTheMappingFailingOnlyTheEventsThatReachIt) {
  // Upstream parses the template when it renders it, so a bad template fails per event.
  EXPECT_EQ(run(R"({"f":{"@liquid":"{% for %}"}})"),
            R"(ERROR: tag "for" is disabled, line:1, col:1)");
  EXPECT_EQ(run(R"({"f":{"@if":{"exists":{"@path":"$.x"},"then":{"@liquid":"{% for %}"}}}})"),
            "{}");
  EXPECT_EQ(run(R"({"f":{"@liquid":""}})"), R"({"f":""})");
  EXPECT_EQ(run(R"({"f":{"@liquid":")" + std::string(1001, 'a') + R"("}})"),
            "ERROR: liquid template values are limited to 1000 characters");
  EXPECT_EQ(run(R"({"f":{"@liquid":1}})"),
            "INVALID: /f/@liquid should be a string but it is a number.");
  EXPECT_EQ(run(R"({"f":[{"@liquid":5}]})"), "ERROR: liquid template value must be a string");
}

TEST(LiquidDirective, RendersAgainstEachPayload) {
  EXPECT_EQ(run(R"({"f":{"@arrayPath":["$.l",{"v":{"@liquid":"{{ k | upcase }}"}}]}})",
                R"({"l":[{"k":"a"},{"k":"b"}]})"),
            R"({"f":[{"v":"A"},{"v":"B"}]})");
}
