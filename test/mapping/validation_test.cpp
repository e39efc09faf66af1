// Mapping validation: upstream's messages, each naming its JSON pointer, all problems at once.
#include <gtest/gtest.h>

#include "mapping_test_util.h"

using mappingtest::run;

TEST(MappingValidation, NamesThePointerOfEachProblem) {
  EXPECT_EQ(run(R"({"props":{"@merge":{"direction":"left","objects":{"a":1}}}})"),
            "INVALID: /props/@merge/objects should be an array but it is an object.");
  EXPECT_EQ(run(R"({"a":{"@template":false}})"),
            "INVALID: /a/@template should be a string or a mapping directive but it is a boolean.");
  EXPECT_EQ(run(R"({"a":{"b":{"@nope":1}}})"), "INVALID: /a/b has an invalid directive: @nope.");
}

TEST(MappingValidation, ReportsEveryProblemInUpstreamOrder) {
  EXPECT_EQ(
      run(R"({"a":{"@merge":{"direction":"up","objects":5}},"b":{"@flatten":{"separator":1}}})"),
      "INVALID: /a/@merge/direction should be one of left, right but it is \"up\".\n"
      "/a/@merge/objects should be an array but it is a number.\n"
      "/b/@flatten/separator should be a string but it is a number.\n"
      "/b/@flatten should have field \"value\" but it doesn't.");
}

TEST(MappingValidation, DirectiveKeysMixedWithOthers) {
  EXPECT_EQ(run(R"({"@path":"$.a","x":1})"),
            "INVALID: / should only have one @-prefixed key but it has 2 keys.");
  EXPECT_EQ(run(R"({"a":{"@path":"$.a","@literal":1}})"),
            "INVALID: /a should only have one @-prefixed key but it has 2 keys.");
  // _metadata may sit beside a directive but still counts among the keys.
  EXPECT_EQ(run(R"({"a":{"@path":"x","_metadata":1,"b":2}})"),
            "INVALID: /a should only have one @-prefixed key but it has 3 keys.");
  EXPECT_EQ(run(R"({"a":{"@path":"$.x","_metadata":{"k":1}}})", R"({"x":7})"), R"({"a":7})");
}

TEST(MappingValidation, OptionTypesAndValues) {
  EXPECT_EQ(run(R"({"a":{"@replace":{"pattern":"","value":"x"}}})"),
            "INVALID: /a/@replace/pattern should be a string of length 1 or greater.");
  EXPECT_EQ(run(R"({"a":{"@replace":{"pattern":"abcdefghijk","value":"x"}}})"),
            "INVALID: /a/@replace/pattern should be a string of length 10 or less.");
  // Lengths are JavaScript's: UTF-16 units, so five rockets are ten.
  EXPECT_EQ(run(R"({"a":{"@replace":{"pattern":"🚀🚀🚀🚀🚀","value":"x🚀"}}})"), R"({"a":"x🚀"})");
  EXPECT_EQ(run(R"({"a":{"@replace":{"pattern":"🚀🚀🚀🚀🚀🚀","value":"x"}}})"),
            "INVALID: /a/@replace/pattern should be a string of length 10 or less.");
  EXPECT_EQ(run(R"({"a":{"@replace":{"pattern":"a","value":"x","global":"yes"}}})"),
            "INVALID: /a/@replace/global should be a boolean but it is a string.");
  EXPECT_EQ(run(R"({"a":{"@json":{"mode":"oops","value":1}}})"),
            "INVALID: /a/@json/mode should be one of encode, decode but it is \"oops\".");
  EXPECT_EQ(
      run(R"({"a":{"@arrayPath":[]}})"),
      "INVALID: /a/@arrayPath should be a string or a mapping directive but it is an undefined.");
  EXPECT_EQ(
      run(R"({"a":{"@transform":{"apply":1}}})"),
      "INVALID: /a/@transform/apply should be a object or a mapping directive but it is a number.\n"
      "/a/@transform should have field \"mapping\" but it doesn't.");
  EXPECT_EQ(run(R"({"@transform":{"@path":{}}})"),
            "INVALID: /@transform should be an object but it is a directive.");
}

TEST(MappingValidation, MergeObjectsPointFromTheRootAsUpstreamDoes) {
  EXPECT_EQ(run(R"({"a":{"@merge":{"direction":"left","objects":[{},1]}}})"),
            "INVALID: / should be a object or a mapping directive but it is a number.");
  EXPECT_EQ(run(R"({"a":{"@merge":{"direction":"left","objects":[{"x":{"@bad":1}}]}}})"),
            "INVALID: /x has an invalid directive: @bad.");
}

TEST(MappingValidation, OptionsOfDirectivesAreMappingsToo) {
  // Unknown option keys are validated as mappings too.
  EXPECT_EQ(run(R"({"a":{"@case":{"operator":"upper","extra":{"@bogus":1}}}})"),
            "INVALID: /a/@case/extra has an invalid directive: @bogus.");
  EXPECT_EQ(run(R"({"a":{"@if":{"exists":{"@bogus":1}}}})"),
            "INVALID: /a/@if/exists has an invalid directive: @bogus.");
}

TEST(MappingValidation, RootDirectiveKey) {
  EXPECT_EQ(run(R"({"__segment_internal_directive":{}})"),
            "INVALID: /__segment_internal_directive: The root directive must be an object");
  EXPECT_EQ(run(R"({"__segment_internal_directive":{"@a":{},"@b":{}}})"),
            "INVALID: /__segment_internal_directive: The root mapping must only have a single "
            "directive object");
  // The other keys become the root directive's "mapping", and are validated as such.
  EXPECT_EQ(run(R"({"__segment_internal_directive":{"@transform":{"apply":{}}},"k":{"@bad":1}})"),
            "INVALID: /@transform/mapping/k has an invalid directive: @bad.");
}

TEST(MappingValidation, NotJsonOrTooDeep) {
  EXPECT_EQ(run(R"({"a":)"),
            "INVALID: the mapping is invalid JSON at line 1, column 6: Invalid value");
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += R"({"a":)";
  deep += "1";
  deep += std::string(100000, '}');
  EXPECT_NE(run(deep).find("INVALID: the mapping is invalid JSON"), std::string::npos);
}

TEST(MappingValidation, ArraysAreNotValidatedInsideSoTheirDirectivesFailPerEvent) {
  EXPECT_EQ(run(R"({"a":[{"@bogus":1}]})"),
            "ERROR: @bogus is not a valid directive, got undefined");
  EXPECT_EQ(run(R"({"a":[{"@path":{"@path":"$.x"}}]})"),
            "ERROR: @path: expected string, got undefined");
  EXPECT_EQ(run(R"({"a":[{"@path":"$.x","@literal":1}]})", R"({"x":2})"), R"({"a":[2]})");
}
