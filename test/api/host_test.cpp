// The C example host (examples/host) run against the built library.
#include <gtest/gtest.h>

#include "support/test_env.h"

namespace {

testenv::RunResult runHost(const std::string& args) {
  testenv::TempDir tmp;
  std::string out = tmp.file("out"), err = tmp.file("err");
  int status =
      std::system((std::string(ACTIONS_HOST_PATH) + " " + args + " >" + out + " 2>" + err).c_str());
  testenv::RunResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = testenv::readText(out);
  r.err = testenv::readText(err);
  return r;
}

TEST(CHost, LoadsTheLibraryDescribesAndRunsADryBatch) {
  auto r = runHost(ACTIONS_LIBRARY_PATH);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("== describe\n{\"name\":\"SingleStore\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== validate_settings\n{\"ok\":true"), std::string::npos);
  EXPECT_NE(r.out.find("\"body\":{\"outcome\":\"validated\"}"), std::string::npos);
  EXPECT_NE(r.out.find("The root value is missing the required field 'event'."), std::string::npos);
  EXPECT_NE(r.out.find("\"outcome\":\"skipped\""), std::string::npos);
}

TEST(CHost, SaysWhenTheLibraryCannotBeLoaded) {
  auto r = runHost("/nonexistent/libactions_singlestore.so");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("cannot load"), std::string::npos);
}

}  // namespace
