// DLT output (dltdump-spec §6.4): original bytes for DLT files, storage headers made for
// recordings, skip records as SKIP messages that decode to the skip line's text.
#include "output/dlt_sink.hpp"
#include "output/record_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "dlt/line_formatter.hpp"
#include "dlt/packet_builder.hpp"
#include "dlt/skip_message.hpp"
#include "temp_dir.hpp"
#include "util/shrink_guard.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

// Frames `input` as `format` into a DLT file written by DltSink; returns the file's bytes.
std::string convert(const Bytes& input, dlt::StreamFormat format) {
  TempDir d;
  {
    output::RecordWriter writer(output::FileSeriesOptions{d / "out.dlt", 0, false, {}});
    output::DltSink sink(writer);
    sink.begin_input({"in", format});
    dlt::Framer framer(format);
    framer.feed(input, sink);
    framer.finish(sink);
    sink.finish();
  }
  return read_file(d / "out.dlt");
}

// The lines a DLT file decodes to (no --position).
std::string lines_of(const std::string& file, dlt::StreamFormat format = dlt::StreamFormat::File) {
  struct Lines : dlt::FramerSink {
    dlt::LineFormatter f{{false}};
    util::TextBuffer text;
    void on_message(const dlt::Message& m) override { f.format(m, text); }
    void on_skip(const dlt::SkipRecord& s) override { f.format(s, text); }
  } lines;
  dlt::Framer framer(format);
  framer.set_payload_text(true);
  framer.feed({reinterpret_cast<const std::uint8_t*>(file.data()), file.size()}, lines);
  framer.finish(lines);
  return std::string(lines.text.view());
}

std::string str(const Bytes& b) { return {b.begin(), b.end()}; }

Bytes message(const std::string& ecu, std::uint8_t counter, const std::string& text) {
  PacketSpec s;
  s.ecu = ecu;
  s.counter = counter;
  s.noar = 1;
  return packet(s, arg_string(text, false));
}

}  // namespace

TEST(DltSink, DltFileMessagesAreCopiedByteForByte) {
  const Bytes in =
      cat({storage(message("ECU1", 1, "one"), 100, 5, "STOR"), storage(message("", 2, "two"), 101, 6, "XY")});
  EXPECT_EQ(convert(in, dlt::StreamFormat::File), str(in));
}

// From a source file, runs of messages are written from the file (copied when long,
// appended from its mapping when short), skip messages between them, all in stream order
// and byte for byte what the message-by-message path writes.
TEST(DltSink, RunsFromTheSourceFileWriteWhatSingleMessagesWould) {
  Bytes in;
  for (int i = 0; i < 12000; ++i) {
    const Bytes m = storage(message("ECU1", static_cast<std::uint8_t>(i), "text number " + std::to_string(i)), i, 0);
    in.insert(in.end(), m.begin(), m.end());
    if (i % 5000 == 1000) in.insert(in.end(), {'g', 'a', 'r', 'b', 'a', 'g', 'e'});  // a SKIP message here
    if (i == 11990) in.insert(in.end(), 3, 'x');
  }
  TempDir d;
  {
    std::FILE* f = std::fopen((d / "in.dlt").c_str(), "wb");
    std::fwrite(in.data(), 1, in.size(), f);
    std::fclose(f);
  }
  ASSERT_GT(in.size(), 2 * output::DltRunSizes{}.copy);  // some runs are copied
  for (std::size_t chunk : {in.size(), std::size_t{4096}}) {
    const int fd = ::open((d / "in.dlt").c_str(), O_RDONLY);
    {
      output::RecordWriter writer(output::FileSeriesOptions{d / "out.dlt", 0, true, {}});
      output::DltSink sink(writer);
      sink.begin_input({"in.dlt", dlt::StreamFormat::File, {fd, in}});
      dlt::Framer framer(dlt::StreamFormat::File);
      for (std::size_t at = 0; at < in.size(); at += chunk)
        framer.feed({in.data() + at, std::min(chunk, in.size() - at)}, sink);
      framer.finish(sink);
      sink.end_input();
      ::close(fd);
      sink.finish();
    }
    EXPECT_EQ(read_file(d / "out.dlt"), convert(in, dlt::StreamFormat::File)) << "chunk " << chunk;
  }
}

// A DLT file cut by another program after its messages were framed, before their run was
// written (a slow reader of the output holds the run back): the output holds the whole
// messages before the cut and nothing else — no zeros (a new user's finding: a DLT output
// to a slow pipe got zeros where messages had been). The sink learns of the cut from the
// file's flag (set by a poll, as the writer polls after a write) or from the fault of its
// own copy.
TEST(DltSink, ARunOfAFileCutMeanwhileKeepsTheWholeMessagesBeforeTheCut) {
  Bytes in;
  for (int i = 0; i < 3000; ++i) {
    const Bytes m = storage(message("ECU1", static_cast<std::uint8_t>(i), "text number " + std::to_string(i)), i, 0);
    in.insert(in.end(), m.begin(), m.end());
  }
  const std::size_t cut = in.size() / 2 + 7;  // inside a message, not at a page's start
  std::size_t whole = 0;                      // the end of the last message before the cut
  for (std::size_t at = 0; at < cut;) {
    const std::size_t n =
        dlt::kStorageHeaderBytes + (in[at + dlt::kStorageHeaderBytes + 2] << 8 | in[at + dlt::kStorageHeaderBytes + 3]);
    if (at + n > cut) break;
    whole = at += n;
  }
  ASSERT_GT(whole, 0u);
  for (const bool poll : {true, false}) {
    SCOPED_TRACE(poll ? "told by a poll" : "told by the copy's fault");
    TempDir d;
    {
      std::FILE* f = std::fopen((d / "in.dlt").c_str(), "wb");
      std::fwrite(in.data(), 1, in.size(), f);
      std::fclose(f);
    }
    const int fd = ::open((d / "in.dlt").c_str(), O_RDWR);
    void* map = ::mmap(nullptr, in.size(), PROT_READ, MAP_SHARED, fd, 0);
    ASSERT_NE(map, MAP_FAILED);
    const int slot = util::ShrinkGuard::guard(map, in.size(), fd);
    ASSERT_GE(slot, 0);
    const std::span<const std::uint8_t> bytes{static_cast<const std::uint8_t*>(map), in.size()};
    {
      output::RecordWriter writer(output::FileSeriesOptions{d / "out.dlt", 0, true, {}});
      output::DltSink sink(writer, {std::uint64_t{1} << 40, std::uint64_t{1} << 40});  // one run, held
      sink.begin_input({"in.dlt", dlt::StreamFormat::File, {fd, bytes, util::ShrinkGuard::cut_flag(slot)}});
      dlt::Framer framer(dlt::StreamFormat::File);
      framer.feed(bytes, sink);  // every message framed before the cut
      ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(cut)), 0);
      if (poll) util::ShrinkGuard::poll();
      sink.end_input();
      sink.finish();
    }
    util::ShrinkGuard::release(slot);
    ::munmap(map, in.size());
    ::close(fd);
    EXPECT_TRUE(read_file(d / "out.dlt") == str(Bytes(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(whole))));
  }
}

TEST(DltSink, NetworkPacketsGetAStorageHeaderWithTheStandardHeaderEcu) {
  const Bytes a = message("ECU1", 1, "one"), b = message("", 2, "two");
  Bytes expected = storage(a, 0, 0, "ECU1");
  const Bytes second = storage(b, 0, 0, "");
  expected.insert(expected.end(), second.begin(), second.end());
  EXPECT_EQ(convert(cat({a, b}), dlt::StreamFormat::Network), str(expected));
}

TEST(DltSink, SerialMarkersAreReplacedByStorageHeaders) {
  const Bytes a = message("ECU2", 7, "serial");
  EXPECT_EQ(convert(serial(a), dlt::StreamFormat::Serial), str(storage(a, 0, 0, "ECU2")));
}

TEST(DltSink, StorageHeaderCarriesTheLineTime) {
  std::uint8_t h[dlt::kStorageHeaderBytes];
  const std::uint8_t ecu[4] = {'E', 'C', 'U', '9'};
  dlt::write_storage_header(h, {1709288430123456, true}, ecu);
  EXPECT_EQ(str(Bytes(h, h + 16)), str(storage({}, 1709288430, 123456, "ECU9")));
  dlt::write_storage_header(h, {}, nullptr);
  EXPECT_EQ(str(Bytes(h, h + 16)), str(storage({}, 0, 0, "")));
  // Times a storage header holds only with its signed microseconds (found by fuzz_cli: a
  // skip line's time after 2106 wrapped to 1970 in a DLT output, one before 1970 to 2106).
  const std::int64_t max_seconds = 0xFFFFFFFF;
  for (const std::int64_t us : {max_seconds * 1000000 + 251658239, std::int64_t{-5000000}, max_seconds * 1000000}) {
    dlt::write_storage_header(h, {us, true}, ecu);
    std::uint32_t seconds = 0;
    std::int32_t micros = 0;
    std::memcpy(&seconds, h + 4, 4);
    std::memcpy(&micros, h + 8, 4);
    EXPECT_EQ(util::Timestamp::from_storage(seconds, micros).us, us);
  }
}

TEST(DltSink, SkippedRegionsBecomeSkipMessagesWithTheSkipLinesText) {
  const Bytes garbage = {'x', 'y', 'z', 0xFF, 0x00, 0x01, 0x02};
  const Bytes in =
      cat({storage(message("ECU1", 41, "before"), 5, 0), garbage, storage(message("ECU1", 9, "after"), 6, 0)});
  const std::string out = convert(in, dlt::StreamFormat::File);
  const std::string lines = lines_of(out);
  // The skip line's text, its time (the last storage header's) and a counter after 41.
  EXPECT_NE(lines.find("1970/01/01 00:00:05.000000 0.0000 42  SKIP SKIP 0 log warn verbose 4 Skipped: 7 bytes; "
                       "Reason: Searching for next packet\n"),
            std::string::npos)
      << lines;
  EXPECT_EQ(lines_of(out).find("SKIP", lines.find("after")), std::string::npos);  // one skip message
  // Every good message is kept as it was.
  EXPECT_NE(out.find(str(storage(message("ECU1", 41, "before"), 5, 0))), std::string::npos);
  EXPECT_NE(out.find(str(storage(message("ECU1", 9, "after"), 6, 0))), std::string::npos);
}

TEST(DltSink, SkipCountsUseTheNarrowestSignedInteger) {
  struct Case {
    std::uint64_t n;
    std::uint8_t type_length;  // TYLE of the count argument
  };
  for (const Case c :
       {Case{127, 1}, Case{128, 2}, Case{32767, 2}, Case{32768, 3}, Case{0x7FFFFFFF, 3}, Case{0x80000000ull, 4}}) {
    std::uint8_t p[dlt::kMaxSkipPacketBytes];
    const dlt::SkipRecord skip{0, c.n, dlt::kReasonInvalidPacket, {}, {}};
    const std::size_t n = dlt::write_skip_packet(skip, 3, p);
    // After the headers (14) and the first argument (4 + 2 + 9): the count's type info.
    EXPECT_EQ(p[14 + 15], 0x20 | c.type_length) << c.n;
    dlt::Message m;
    ASSERT_TRUE(dlt::parse_packet({p, n}, m)) << c.n;
    util::TextBuffer got, want;
    dlt::format_payload_text(m, got);
    dlt::format_skip_text(skip, want);
    EXPECT_EQ(got.view(), want.view());
    EXPECT_EQ(m.app.view(), "SKIP");
    EXPECT_EQ(m.ctx.view(), "SKIP");
    EXPECT_EQ(m.msin, 0x31);
    EXPECT_EQ(m.counter, 3);
  }
}

TEST(DltSink, ConvertingTheOutputAgainChangesNothing) {
  const Bytes in = cat({message("ECU1", 1, "a"), {1, 2, 3}, message("ECU2", 2, "b")});
  const std::string once = convert(in, dlt::StreamFormat::Network);
  const std::string twice = convert(Bytes(once.begin(), once.end()), dlt::StreamFormat::File);
  EXPECT_EQ(once, twice);
}

namespace {

// A message of `whole` (its input's bytes: storage header, serial marker or none, then the
// packet) at `position`, as a copy that outlived its input would arrive.
dlt::Message held_message(const Bytes& whole, std::size_t prefix, std::uint64_t position) {
  dlt::Message m;
  EXPECT_TRUE(dlt::parse_packet({whole.data() + prefix, whole.size() - prefix}, m));
  m.raw = whole;
  m.position = position;
  if (prefix == dlt::kStorageHeaderBytes) m.storage_ecu = dlt::parse_id(whole.data() + 12);
  return m;
}

}  // namespace

// A held context line may be released while a later input is read (its own input closed
// and unmapped): it is written from its own bytes, with its storage header if its input had
// one and with a storage header made for it if not — never from the current input's file
// at its position, and never framed as the current input is.
TEST(DltSink, MessagesOfAnEarlierInputAreWrittenFromTheirOwnBytes) {
  const Bytes from_file = storage(message("", 1, "held from a file"), 100, 5, "STOR");
  const Bytes from_net = message("NETE", 2, "held from a recording");
  const Bytes current = cat({storage(message("ECU1", 3, "the current input, longer than the others"), 200, 0, "ECU1"),
                             storage(message("ECU1", 4, "and more"), 201, 0, "ECU1")});
  TempDir d;
  {
    std::FILE* f = std::fopen((d / "in.dlt").c_str(), "wb");
    std::fwrite(current.data(), 1, current.size(), f);
    std::fclose(f);
  }
  const dlt::Message file_message = held_message(from_file, dlt::kStorageHeaderBytes, 0);
  const dlt::Message net_message = held_message(from_net, 0, 0);
  // During a DLT file read from its mapping (runs of its bytes), at the same positions.
  const int fd = ::open((d / "in.dlt").c_str(), O_RDONLY);
  {
    output::RecordWriter writer(output::FileSeriesOptions{d / "out.dlt", 0, false, {}});
    output::DltSink sink(writer);
    sink.begin_input({"in.dlt", dlt::StreamFormat::File, {fd, current}});
    sink.on_message(file_message);
    sink.on_message(net_message);
    dlt::Framer framer(dlt::StreamFormat::File);
    framer.feed(current, sink);
    framer.finish(sink);
    sink.end_input();
    sink.finish();
  }
  ::close(fd);
  EXPECT_EQ(read_file(d / "out.dlt"), str(cat({from_file, storage(from_net, 0, 0, "NETE"), current})));
  // During a recording: the file's message keeps its storage header (and its ECU).
  {
    output::RecordWriter writer(output::FileSeriesOptions{d / "net.dlt", 0, false, {}});
    output::DltSink sink(writer);
    sink.begin_input({"in.bin", dlt::StreamFormat::Network});
    sink.on_message(file_message);
    sink.end_input();
    sink.finish();
  }
  EXPECT_EQ(read_file(d / "net.dlt"), str(from_file));
}

// A copied run's frame_end gives a compressed copy's frame ends (util::FdWriter's rule,
// frame_full: the first message end at least kFlushBytes past the end before, the first
// frame begun with what the target held) — noted as the run grew, the same ends a walk of
// the headers finds; any other question is walked; whole_prefix gives the last whole
// message before a limit. (The frames used to end before the message that would pass
// kFlushBytes, unlike those of messages written one by one: a new user's finding.)
TEST(DltSink, ACopiedRunsFrameEndsAreThoseOfMessagesOneByOne) {
  Bytes in;
  std::vector<std::uint64_t> ends;
  for (int i = 0; i < 30000; ++i) {
    const Bytes m =
        storage(message("ECU1", static_cast<std::uint8_t>(i), std::string(1 + (i * 7919) % 300, 'a')), i, 0);
    in.insert(in.end(), m.begin(), m.end());
    ends.push_back(in.size());
  }
  ASSERT_GT(in.size(), 3 * util::FdWriter::kFlushBytes);
  // The last message end at or before `limit` (0 if none); the first at or after it.
  auto last_end = [&](std::uint64_t limit) {
    const auto after = std::upper_bound(ends.begin(), ends.end(), limit);
    return after == ends.begin() ? 0 : *(after - 1);
  };
  auto first_end = [&](std::uint64_t at_least) { return *std::lower_bound(ends.begin(), ends.end(), at_least); };
  for (const std::uint64_t held : {std::uint64_t{0}, std::uint64_t{12345}}) {
    struct Copies : output::RecordTarget {
      util::TextBuffer text;
      std::uint64_t held = 0;
      std::vector<std::uint64_t> frames;  // where frame_end says the frames end
      std::uint64_t ask = 0, walked = 0;  // another question (from a message start) and its answer
      util::FdWriter::WholePrefix whole_prefix;
      util::TextBuffer& begin(util::Timestamp, std::uint64_t) override { return text; }
      void end() override {}
      bool takes_blocks() const override { return true; }
      std::uint64_t frame_room() const override { return util::FdWriter::kFlushBytes - held; }
      void copy_block(int, std::string_view, std::uint64_t offset, std::uint64_t length, util::FdWriter::WholePrefix w,
                      const util::FdWriter::FrameEnd& frame_end) override {
        EXPECT_EQ(offset, 0u);
        whole_prefix = std::move(w);
        for (std::uint64_t from = 0, room = frame_room(); from + room <= length; room = util::FdWriter::kFlushBytes)
          frames.push_back(from = frame_end(from, from + room));
        walked = frame_end(ask, ask + 5000);
      }
    } target;
    target.held = held;
    target.ask = ends[5];
    output::DltSink sink(target);
    sink.begin_input({"in.dlt", dlt::StreamFormat::File, {0, in}});
    dlt::Framer framer(dlt::StreamFormat::File);
    framer.feed(in, sink);
    framer.finish(sink);
    sink.end_input();
    ASSERT_GE(target.frames.size(), 3u);
    std::uint64_t from = 0;
    for (std::size_t f = 0; f < target.frames.size(); ++f) {
      const std::uint64_t at_least = from + (f == 0 ? util::FdWriter::kFlushBytes - held : util::FdWriter::kFlushBytes);
      EXPECT_EQ(target.frames[f], first_end(at_least)) << "frame " << f << ", held " << held;
      from = target.frames[f];
    }
    EXPECT_EQ(target.walked, first_end(ends[5] + 5000));
    ASSERT_TRUE(target.whole_prefix);
    EXPECT_EQ(target.whole_prefix(0, 1000), last_end(1000));
    EXPECT_EQ(target.whole_prefix(ends[5], ends[5] + util::FdWriter::kFlushBytes),
              last_end(ends[5] + util::FdWriter::kFlushBytes));
  }
}
