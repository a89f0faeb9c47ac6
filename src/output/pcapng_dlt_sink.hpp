// Writes messages as a PCAP-NG capture that Wireshark decodes as DLT (an extension; see
// the manual): each message is one UDP/IPv4 datagram in an Ethernet frame, from port 3490
// to 239.255.42.99:3490, carrying the packet from its standard header on (no storage
// header, no serial marker), stamped with the line's time in nanoseconds (0 without one).
//
// * A message whose ECU id comes only from its storage header (a DLT file's message without
//   WEID) gets it in its standard header (WEID set, LEN + 4; its other bytes unchanged),
//   since a capture has no storage header: read back, the line shows the same ECU. A packet
//   with no room left for it (LEN above 65531) is written as it is.
// * One interface per ECU id as the line shows it (if_name = the id), made when that ECU
//   first appears in a file; each ECU also gets its own source address (10.0.0.1, .2, …)
//   so that every ECU is its own flow when the capture is read back.
// * A skip record becomes the synthetic `SKIP` message of DLT output (dlt/skip_message.hpp)
//   on the interface of the empty ECU id: nothing the text output shows is lost.
// * A packet longer than one datagram carries (65507 bytes) continues in the next
//   datagram of the same flow, as a stream sender would send it.
// * Files follow output/file_series.hpp (created on the first message, split by size or by
//   lifecycle; a lifecycle's file continued after another's is a new section of it);
//   each file is a section of its own, closed with interface statistics. Writes go through
//   pcap::PcapngWriter, which keeps the file whole on a failure.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dlt/skip_message.hpp"
#include "output/file_series.hpp"
#include "output/lifecycle_files.hpp"
#include "output/line_output.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/scoped_fd.hpp"

namespace dltdump::output {

class PcapngDltSink final : public LineOutput {
 public:
  explicit PcapngDltSink(FileSeriesOptions options);
  ~PcapngDltSink() override;

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;

  void begin_input(const Input& input) override;
  bool wants_text() const override { return false; }
  bool wrote(const util::FileIdentity& file) const override { return series_.created(file); }
  void flush() override;
  void finish() override;

 private:
  struct Interface {
    std::uint32_t ecu_word;
    std::uint32_t index;    // in the current file
    std::uint32_t ordinal;  // the ECU's place among every ECU of the run: its source address
  };
  // The state of one file being written: a section of its own.
  struct File {
    util::ScopedFd owned;  // its descriptor in files_ (with %LC%); else series_ owns it
    std::optional<pcap::PcapngWriter> writer;
    std::uint64_t base_size = 0;        // bytes the file held before this writer (append)
    std::vector<Interface> interfaces;  // of this section
    // The latest time stamp written to the section: its statistics' end time, so that the
    // same input gives the same file (0 when no packet had a time).
    std::int64_t last_ns = 0;
  };
  // The file a packet of `time` and `lifecycle` goes to, opened if need be.
  File& file_for(util::Timestamp time, std::uint64_t lifecycle);
  // Starts a section in the file series_ has just opened, on `fd`, `size` bytes long.
  void start_section(File& f, std::uint64_t size, int fd);
  // Ends f's section (its statistics), if it has one.
  static void end_section(File& f);
  const Interface& interface_for(File& f, const dlt::Id& ecu);
  static constexpr std::size_t kMaxPacketBytes = dlt::kMaxPacketBytes;
  // `packet` (without WEID, at most kMaxPacketBytes - 4) with `ecu` as its standard-header
  // ECU, in packet_: valid until the next call.
  std::span<const std::uint8_t> with_ecu(std::span<const std::uint8_t> packet, const dlt::Id& ecu);
  // Writes `packet` (in as many datagrams as it needs) to its file.
  void write(const dlt::Id& ecu, util::Timestamp time, std::uint64_t lifecycle, std::span<const std::uint8_t> packet);
  void write_packet(const dlt::Id& ecu, util::Timestamp time, std::uint64_t lifecycle,
                    std::span<const std::uint8_t> packet);
  // Runs `write`; with %LC%, a write that fails (the run ends) still closes every open
  // file, and the error thrown names the files cut short (LifecycleFiles::close_all).
  void closing_all_on_failure(const std::function<void()>& write);
  void close_file(bool full);

  FileSeries series_;
  pcap::SectionInfo section_;
  File file_;          // without %LC%: the series' current file
  bool by_lifecycle_;  // the name holds %LC%: files_ holds the files
  LifecycleFiles<File> files_;
  std::vector<std::uint32_t> ecu_order_;    // every ECU seen in the run: its source address
  std::unique_ptr<std::uint8_t[]> frame_;   // one frame under construction
  std::unique_ptr<std::uint8_t[]> packet_;  // the packet being written, out of its input
  std::uint16_t ip_id_ = 0;
  dlt::SkipCounter counters_;
};

}  // namespace dltdump::output
