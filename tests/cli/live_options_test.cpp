#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "parse_helpers.hpp"

using namespace dltdump;

namespace {

test::Parsed parse_live(const std::vector<std::string>& args) { return test::parse_args(args); }
using test::failure;

}  // namespace

TEST(LiveOptions, Retries) {
  EXPECT_EQ(test::parse({}).dump.retries, 0);
  EXPECT_EQ(test::parse({"--retries=3"}).dump.retries, 3);
  EXPECT_EQ(test::parse({"--retries=-1"}).dump.retries, -1);
  EXPECT_EQ(test::error({"--retries=x"}),
            "Option 'retries' must be a whole number from -2147483648 to 2147483647, not 'x'");
  EXPECT_EQ(test::error({"--retries=99999999999"}),
            "Option 'retries' must be a whole number from -2147483648 to 2147483647, not '99999999999'");
  // A value is taken from the next argument only if it does not start with '-' (spec §1.1).
  EXPECT_EQ(failure({"--retries", "-1", "tcp://a"}).first, 1);
}

TEST(LiveOptions, RetriesWithoutATcpInputWarn) {
  EXPECT_EQ(test::texts(test::parse({"--retries=3"}).warnings),
            std::vector<std::string>{"Option 'retries' has no effect without a tcp:// input"});
  EXPECT_TRUE(parse_live({"--retries=3", "tcp://127.0.0.1"}).warnings.empty());
}

TEST(LiveOptions, Capture) {
  EXPECT_EQ(parse_live({"--capture", "raw.pcapng", "udp://0.0.0.0"}).dump.capture, "raw.pcapng");
  EXPECT_EQ(failure({"--capture", "raw.pcapng", "tcp://a"}),
            (std::pair<int, std::string>{1, "Option 'capture' needs one udp:// input"}));
  EXPECT_EQ(failure({"--capture", "raw.pcapng", "a.dlt"}).second, "Option 'capture' needs one udp:// input");
  EXPECT_EQ(failure({"--capture", "x.pcapng", "-o", "x.pcapng", "udp://0.0.0.0"}).second,
            "Option 'capture' names the output file 'x.pcapng'");
}

TEST(LiveOptions, OneLiveInputPerRun) {
  EXPECT_EQ(failure({"tcp://a", "b.dlt"}),
            (std::pair<int, std::string>{2, "Only one input argument allowed for live streams."}));
  EXPECT_EQ(failure({"udp://0.0.0.0", "udp://0.0.0.0"}).first, 2);
  EXPECT_EQ(failure({"udp://10.0.0.1?bindto=10.0.0.2"}).first, 2);
  EXPECT_EQ(failure({"ser:/dev/x,fast,8,N,1"}).first, 2);
}
