// Every committed PyTorch golden (tests/golden/cases/*.json), through the
// library and through the layerlab-cli binary in batch mode.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/spec.h"
#include "golden_compare.h"

namespace {

using ll_test::json;

std::vector<std::filesystem::path> golden_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(LL_GOLDEN_DIR)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Golden, FilesExistAndAreLarge) {
  size_t cases = 0, errors = 0;
  for (const auto& f : golden_files()) {
    for (const json& c : ll_test::load_json_file(f)) {
      ++cases;
      errors += c["expected"].contains("error");
    }
  }
  EXPECT_GE(golden_files().size(), 10u);
  EXPECT_GE(cases, 400u);
  EXPECT_GE(errors, 60u);
}

TEST(Golden, LibraryMatchesPyTorch) {
  size_t checked = 0;
  for (const auto& f : golden_files()) {
    for (const json& c : ll_test::load_json_file(f)) {
      const json actual = ll::eval_spec(c["spec"]);
      const std::string diff = ll_test::compare_result(c["spec"], c["expected"], actual);
      EXPECT_EQ(diff, "") << f.filename().string() << " / " << c["name"].get<std::string>();
      if (actual.contains("error") && c["spec"].contains("layer") && c["spec"]["layer"].is_string()) {
        // Messages name the layer.
        const std::string layer = c["spec"]["layer"].get<std::string>();
        EXPECT_NE(actual["error"].get<std::string>().find(layer), std::string::npos) << actual["error"];
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
}

TEST(Golden, CliMatchesPyTorch) {
  for (const auto& f : golden_files()) {
    const json cases = ll_test::load_json_file(f);
    json batch = json::array();
    for (const json& c : cases) batch.push_back(c["spec"]);
    const std::string in_path = ::testing::TempDir() + "golden_batch.json";
    std::ofstream(in_path) << batch.dump();
    const std::string cmd = std::string(LL_CLI_PATH) + " eval " + in_path;
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    const int status = pclose(pipe);
    ASSERT_EQ(status, 0) << f;
    const json results = json::parse(out);
    ASSERT_EQ(results.size(), cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
      EXPECT_EQ(ll_test::compare_result(cases[i]["spec"], cases[i]["expected"], results[i]), "")
          << f.filename().string() << " / " << cases[i]["name"].get<std::string>();
    }
  }
}

}  // namespace
