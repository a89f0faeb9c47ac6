#include "app/progress.hpp"

#include <gtest/gtest.h>

using dltdump::app::byte_text;
using dltdump::app::Progress;

TEST(Progress, ByteText) {
  EXPECT_EQ(byte_text(0), "0 B");
  EXPECT_EQ(byte_text(1023), "1023 B");
  EXPECT_EQ(byte_text(1024), "1.00 KiB");
  EXPECT_EQ(byte_text(412u << 20), "412.0 MiB");
  EXPECT_EQ(byte_text(1300ull << 20), "1.27 GiB");
  EXPECT_EQ(byte_text(~0ull), "16384.0 PiB");  // the largest unit goes on counting
}

TEST(Progress, Line) {
  EXPECT_EQ(Progress::line(1, 3, "trip.dlt", 412u << 20, 1ull << 30, 380.0 * (1 << 20), 2.2, 200),
            "[2/3] trip.dlt  412.0 MiB of 1.00 GiB 40%  380.0 MiB/s  ETA 0:03");
  // Size, rate and time left unknown: what is known only.
  EXPECT_EQ(Progress::line(0, 1, "-", 5000, 0, 0, -1, 200), "[1/1] -  4.88 KiB");
  EXPECT_EQ(Progress::line(0, 1, "a", 0, 10, 1, 3725, 200), "[1/1] a  0 B of 10 B 0%  1 B/s  ETA 1:02:05");
  // A pass over every input (a sorted run's merge): its label instead of the input's number.
  EXPECT_EQ(Progress::line("sort", "merging", 1u << 20, 4u << 20, 1 << 20, 3, 200),
            "[sort] merging  1.00 MiB of 4.00 MiB 25%  1.00 MiB/s  ETA 0:03");
}

TEST(Progress, LineFitsTheWidthAndShowsNoControl) {
  const std::string name = std::string(100, 'x') + "\x1b[31m\n" + "\xc3\xa4" + "end.dlt";
  for (unsigned width : {40u, 60u, 80u, 200u}) {
    const std::string l = Progress::line(0, 1, name, 1 << 20, 2 << 20, 1 << 20, 1, width);
    EXPECT_LT(l.size(), width) << l;
    EXPECT_EQ(l.find('\x1b'), std::string::npos) << l;
    EXPECT_EQ(l.find('\n'), std::string::npos) << l;
    if (width >= 80) {
      EXPECT_NE(l.find("end.dlt  1.00 MiB of 2.00 MiB 50%"), std::string::npos) << l;
    }
    EXPECT_EQ(l.starts_with("[1/1] ..."), width < 150) << l;  // shortened only where it must be
    // Shortened at a character boundary: no lone UTF-8 continuation byte after the dots.
    const std::size_t dots = l.find("...");
    if (dots != std::string::npos) {
      EXPECT_NE(static_cast<unsigned char>(l[dots + 3]) & 0xC0, 0x80) << l;
    }
  }
}
