// -o, -f and --split (dltdump-spec §1.2), and how -o chooses the output kind (§6.1).
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "cli/parse_helpers.hpp"
#include "output/output.hpp"

using namespace dltdump;
using namespace dltdump::cli;

using dltdump::test::error;
using dltdump::test::parse;

namespace {
std::uint64_t split(const std::string& v) { return parse({"--split=" + v}).dump.split_bytes; }
}  // namespace

TEST(OutputOptions, OutputAndForce) {
  const Options o = parse({"-o", "out.txt", "-f"});
  EXPECT_EQ(o.dump.output, "out.txt");
  EXPECT_TRUE(o.dump.force);
  EXPECT_EQ(parse({"--output=%FILE%.dlt", "--Force"}).dump.output, "%FILE%.dlt");
  EXPECT_FALSE(parse({}).dump.force);
  EXPECT_EQ(parse({}).dump.split_bytes, 0u);
  EXPECT_EQ(error({"-o", "a", "-o", "b"}), "Option 'output' provided multiple times");
}

TEST(OutputOptions, SplitSizesAndUnits) {
  EXPECT_EQ(split("65536"), 65536u);
  EXPECT_EQ(split("65536b"), 65536u);
  EXPECT_EQ(split("64kB"), 65536u);
  EXPECT_EQ(split("64K"), 65536u);
  EXPECT_EQ(split("100M"), 100u << 20);
  EXPECT_EQ(split("1Gb"), 1u << 30);
  EXPECT_EQ(split("2147483647"), 2147483647u);
  EXPECT_EQ(split("2147483647G"), 2147483647ull << 30);
}

TEST(OutputOptions, SplitErrors) {
  EXPECT_EQ(error({"--split=64kk"}), "Option 'split' provided with unrecognized format '64kk'");
  EXPECT_EQ(error({"--split=k"}), "Option 'split' provided with unrecognized format 'k'");
  EXPECT_EQ(error({"--split=1.5M"}), "Option 'split' provided with unrecognized format '1.5M'");
  EXPECT_EQ(error({"--split=10T"}), "Option 'split' provided with unrecognized format '10T'");
  EXPECT_EQ(error({"--split=2147483648"}), "Option 'split' value out of range");
  EXPECT_EQ(error({"--split=65535"}), "The output file size limit cannot be less than 64kB");
  EXPECT_EQ(error({"--split=63k"}), "The output file size limit cannot be less than 64kB");
}

TEST(OutputOptions, KindByName) {
  using output::OutputKind;
  EXPECT_EQ(output::output_kind(""), OutputKind::Console);
  EXPECT_EQ(output::output_kind("CON:"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("con:"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("/DEV/STDOUT"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("trip.dlt"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("TRIP.DLT"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("part_%CTR%.dlt"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("trip.pcapng"), OutputKind::Pcapng);
  EXPECT_EQ(output::output_kind("trip.PcapNG"), OutputKind::Pcapng);
  EXPECT_EQ(output::output_kind("trip.pcap"), OutputKind::Text);  // legacy PCAP is not written
  EXPECT_EQ(output::output_kind("trip.txt"), OutputKind::Text);
  EXPECT_EQ(output::output_kind("trip.dlt.txt"), OutputKind::Text);
}
