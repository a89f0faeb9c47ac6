#include "input/input_spec.hpp"
#include "input/format_sniff.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>
#include <filesystem>

using namespace dltdump::input;
namespace util = dltdump::util;

TEST(InputSpec, PathsAndUris) {
  auto rel = parse_input_argument("dir/a.dlt");
  EXPECT_EQ(rel.kind, InputKind::File);
  EXPECT_EQ(rel.path, (std::filesystem::current_path() / "dir/a.dlt").string());
  EXPECT_EQ(parse_input_argument("file:///tmp/a%20b.dlt").path, "/tmp/a b.dlt");
  EXPECT_EQ(parse_input_argument("file://localhost/tmp/x").path, "/tmp/x");
  EXPECT_EQ(parse_input_argument("-").kind, InputKind::Stdin);
}

TEST(InputSpec, Errors) {
  auto message = [](const std::string& arg) {
    try {
      parse_input_argument(arg);
    } catch (const util::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message("http://x"), "Don't know how to interpret http://x.");
  EXPECT_EQ(message("file://host/x"), "Invalid input file://host/x (remote hosts are not supported in file URIs)");
  EXPECT_EQ(message("file:///x%zz"), "Invalid input file:///x%zz (malformed percent escape)");
  EXPECT_EQ(message("file:///x%2"), "Invalid input file:///x%2 (malformed percent escape)");
  EXPECT_EQ(message("file:///tmp/a%00.dlt"), "Invalid input file:///tmp/a%00.dlt (%00: a file name holds no NUL byte)");
}

// The content decides, not the name (input/format_sniff_test has the rest).
TEST(InputSpec, AutomaticFormat) {
  EXPECT_EQ(resolve_format(parse_input_argument("/a/B.PCAPNG"), InputFormat::Automatic, Content::Unknown),
            InputFormat::File);
  EXPECT_EQ(resolve_format(parse_input_argument("/a/b.dlt"), InputFormat::Automatic, Content::Pcap), InputFormat::Pcap);
  EXPECT_EQ(resolve_format(parse_input_argument("/a/b.dlt"), InputFormat::Network, Content::DltFile),
            InputFormat::Network);
  EXPECT_EQ(resolve_format(parse_input_argument("-"), InputFormat::Automatic, Content::DltNetwork),
            InputFormat::Network);
}

namespace {

// An argument that cannot be interpreted is the one error type with exit 2, naming the
// argument as given (issue #20's error model).
TEST(InputSpec, ErrorsCarryTheirExitCodeAndTheArgument) {
  try {
    parse_input_argument("file://host/x");
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::InputUriError);
    EXPECT_EQ(e.culprit(), util::Culprit::Input);
    EXPECT_EQ(e.name(), "file://host/x");
  }
}

}  // namespace
