// The public C++ API (include/dltdump/): iteration, filters, errors, memory and capture
// inputs, message lifetimes, typed arguments.
#include "dltdump/dltdump.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "dlt/packet_builder.hpp"
#include "frame_builder.hpp"
#include "input/live_peers.hpp"
#include "pcap/pcap_test_util.hpp"

using dltdump::test::Bytes;
using dltdump::test::PacketSpec;

namespace {

// The dltdump::Error that `f` throws (a test failure, and an empty optional, if it throws
// none): for the caller to check its kind, input, offset and text.
template <class F>
std::optional<dltdump::Error> error_of(F&& f) {
  try {
    f();
  } catch (const dltdump::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return std::nullopt;
}

// `what` holds `part`.
::testing::AssertionResult mentions(const dltdump::Error& e, std::string_view part) {
  const std::string what = e.what();
  if (what.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << what << "\" does not mention \"" << part << "\"";
}

// A verbose log message with one string argument, in a DLT file.
Bytes log_message(const std::string& app, const std::string& ctx, std::uint8_t msin, const std::string& text,
                  std::int32_t seconds, std::uint8_t counter = 0, const std::string& ecu = "ECU1") {
  PacketSpec s;
  s.app = app;
  s.ctx = ctx;
  s.msin = msin;
  s.noar = 1;
  s.ecu = ecu;
  s.counter = counter;
  s.with_time = true;
  s.device_time = 12345;
  return dltdump::test::storage(dltdump::test::packet(s, dltdump::test::arg_string(text, false)), seconds, 250, ecu);
}

// A non-verbose message with message id `id` and two payload bytes.
Bytes nonverbose_message(std::uint32_t id, std::int32_t seconds) {
  PacketSpec s;
  s.msin = 0x40;  // log info, non-verbose
  Bytes payload;
  dltdump::test::put(payload, id, 4, false);
  payload.push_back(1);
  payload.push_back(2);
  return dltdump::test::storage(dltdump::test::packet(s, payload), seconds);
}

// NAV/MAIN warn, HMI/DRAW info, NAV/GPS error, one non-verbose message (id 7).
Bytes sample_file() {
  return dltdump::test::cat({log_message("NAV", "MAIN", 0x31, "route lost", 100, 1),
                             log_message("HMI", "DRAW", 0x41, "frame drawn", 200, 2, "ECU2"),
                             log_message("NAV", "GPS", 0x21, "no fix", 300, 3), nonverbose_message(7, 400)});
}

// The payload texts of what `reader` delivers.
std::vector<std::string> texts(dltdump::Reader& reader) {
  std::vector<std::string> out;
  for (const dltdump::Message& m : reader) out.push_back(m.text());
  return out;
}
std::vector<std::string> texts(const Bytes& bytes, const dltdump::Filter& filter) {
  auto reader = dltdump::Reader::from_memory(bytes, filter);
  return texts(reader);
}

using Texts = std::vector<std::string>;

}  // namespace

TEST(ApiReader, IteratesAFileInMemory) {
  const Bytes file = sample_file();
  auto reader = dltdump::Reader::from_memory(file);
  EXPECT_EQ(reader.format(), dltdump::Format::file);
  std::vector<std::string> seen;
  for (const dltdump::Message& m : reader) {
    seen.push_back(m.app().str() + "/" + m.ctx().str() + ":" + m.text());
    EXPECT_TRUE(m.has_time());
    // Zero copy: the message's bytes are the caller's.
    EXPECT_GE(m.raw().data(), file.data());
    EXPECT_LE(m.raw().data() + m.raw().size(), file.data() + file.size());
  }
  EXPECT_EQ(seen, (Texts{"NAV/MAIN:route lost", "HMI/DRAW:frame drawn", "NAV/GPS:no fix", "APP1/CTX1:[7] --|01 02"}));
  EXPECT_TRUE(reader.next_batch().empty());  // and stays at its end
  EXPECT_EQ(reader.skipped_bytes(), 0u);
  EXPECT_EQ(reader.offset(), file.size());
}

// append_text appends each message's text() to what the string holds (one buffer for the
// texts of many messages, as read_dataframe gathers them).
TEST(ApiReader, AppendTextAppendsTheText) {
  const Bytes file = sample_file();
  auto reader = dltdump::Reader::from_memory(file);
  std::string all = "start|";
  std::string expected = all;
  for (const dltdump::Message& m : reader) {
    m.append_text(all);
    all += '|';
    expected += m.text() + '|';
  }
  EXPECT_EQ(all, "start|route lost|frame drawn|no fix|[7] --|01 02|");
  EXPECT_EQ(all, expected);
}

// Issue #27: a Message no Reader gave dereferenced a null record (a crash); it reads as an
// empty verbose message.
TEST(ApiReader, DefaultMessageIsEmpty) {
  const dltdump::Message m;
  EXPECT_FALSE(m.has_time());
  EXPECT_EQ(m.time().time_since_epoch().count(), 0);
  EXPECT_EQ(m.ecu().value(), 0u);
  EXPECT_EQ(m.app().value(), 0u);
  EXPECT_EQ(m.counter(), 0);
  EXPECT_EQ(m.level(), dltdump::Level::none);
  EXPECT_EQ(m.kind(), dltdump::PayloadKind::verbose);
  EXPECT_EQ(m.message_id(), 0u);
  EXPECT_EQ(m.argument_count(), 0);
  EXPECT_EQ(m.position(), 0u);
  EXPECT_TRUE(m.raw().empty());
  EXPECT_TRUE(m.payload().empty());
  EXPECT_EQ(m.text(), "");
  EXPECT_TRUE(m.args().empty());
}

TEST(ApiReader, HeaderFields) {
  const Bytes file = sample_file();  // read in place: it outlives the reader
  auto reader = dltdump::Reader::from_memory(file);
  auto batch = reader.next_batch();
  ASSERT_EQ(batch.size(), 4u);
  const dltdump::Message& m = batch[1];
  EXPECT_EQ(m.time().time_since_epoch().count(), 200'000'250);
  EXPECT_EQ(m.device_time(), 12345u);
  EXPECT_TRUE(m.has_device_time());
  EXPECT_EQ(m.counter(), 2);
  EXPECT_EQ(m.ecu(), dltdump::Id::of("ECU2"));
  EXPECT_EQ(m.ecu().value(), 0x32554345u);  // "ECU2", byte k in bits 8k..
  EXPECT_EQ(m.app().view(), "HMI");
  EXPECT_EQ(m.level(), dltdump::Level::info);
  EXPECT_EQ(m.type(), dltdump::MessageType::log);
  EXPECT_EQ(m.type_text(), "log info");
  EXPECT_EQ(m.kind(), dltdump::PayloadKind::verbose);
  EXPECT_EQ(m.argument_count(), 1);
  EXPECT_EQ(batch[0].position(), 0u);
  EXPECT_EQ(m.position(), batch[0].raw().size());
  EXPECT_EQ(batch[3].kind(), dltdump::PayloadKind::non_verbose);
  EXPECT_EQ(batch[3].message_id(), 7u);
  EXPECT_EQ(batch[3].level(), dltdump::Level::info);
  EXPECT_TRUE(batch[3].args().empty());
}

TEST(ApiReader, ReadsAPathAsMemory) {
  const Bytes file = sample_file();
  dltdump::testing::TempFile temp(file);
  dltdump::Reader reader(temp.path);
  EXPECT_EQ(reader.name(), temp.path);
  EXPECT_EQ(texts(reader), texts(file, {}));
}

TEST(ApiReader, ReadsACompressedPathDecompressed) {
  const Bytes file = sample_file();
  dltdump::testing::TempFile temp(file);
  const std::string gz = temp.path + ".gz";
  ASSERT_EQ(std::system(("gzip -c '" + temp.path + "' > '" + gz + "'").c_str()), 0);
  dltdump::Reader reader(gz);
  EXPECT_EQ(reader.format(), dltdump::Format::file);
  EXPECT_EQ(texts(reader), texts(file, {}));
  std::remove(gz.c_str());
}

// A corrupt compressed input ends as on the command line: its messages, the packet the
// fault cut counted as skipped bytes (a SKIP line there), then the error; a compressed
// input cut short drops its partial packet (no SKIP line there either).
TEST(ApiReader, ACorruptOrCutCompressedInputEndsAsTheCommandLines) {
  Bytes file = sample_file();
  const Bytes more = log_message("NAV", "MAIN", 0x31, "cut by the fault", 500);
  file.insert(file.end(), more.begin(), more.begin() + 10);  // a packet the stream's end cuts
  dltdump::testing::TempFile temp(file);
  const std::string gz = temp.path + ".gz", cut = temp.path + ".cut.gz";
  ASSERT_EQ(std::system(("gzip -c '" + temp.path + "' > '" + gz + "'").c_str()), 0);
  ASSERT_EQ(std::system(("head -c $(($(stat -c %s '" + gz + "') - 4)) '" + gz + "' > '" + cut + "'").c_str()), 0);
  // The CRC (the trailer's first 4 bytes) made wrong: corrupt once all bytes are out.
  ASSERT_EQ(std::system(("printf '\\377\\377' | dd of='" + gz + "' bs=1 seek=$(($(stat -c %s '" + gz +
                         "') - 8)) conv=notrunc 2> /dev/null")
                            .c_str()),
            0);
  for (const std::string& path : {gz, cut}) {
    dltdump::Reader reader(path);
    std::size_t messages = 0;
    const auto e = error_of([&] {
      for ([[maybe_unused]] const dltdump::Message& m : reader) ++messages;
    });
    EXPECT_EQ(messages, 4u) << path;
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input) << e->what();
    EXPECT_EQ(reader.skipped_bytes(), path == gz ? 10u : 0u) << e->what();
  }
  std::remove(gz.c_str());
  std::remove(cut.c_str());
}

// A Reader reads one stream: an archive (whose members the command line reads one after
// another) is an input error naming it.
TEST(ApiReader, RefusesAnArchive) {
  const Bytes file = sample_file();
  dltdump::testing::TempFile temp(file);
  const std::string tar = temp.path + ".tar";
  ASSERT_EQ(std::system(("tar -cf '" + tar + "' -C / '" + temp.path.substr(1) + "'").c_str()), 0);
  if (const auto e = error_of([&] { dltdump::Reader r(tar); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), tar);
    EXPECT_TRUE(mentions(*e, "a tar archive"));
  }
  std::remove(tar.c_str());
}

// What is said about reading an input names it as it was given, as the command line does
// (docs/manual.md), not by the absolute path made of it: here with a `./` the path keeps.
TEST(ApiReader, NamesAnInputAsGiven) {
  const Bytes file = sample_file();
  dltdump::testing::TempFile temp(file);
  const std::string tar = temp.path + ".tar";
  ASSERT_EQ(std::system(("tar -cf '" + tar + "' -C / '" + temp.path.substr(1) + "'").c_str()), 0);
  const std::size_t slash = tar.rfind('/');
  const std::string given = tar.substr(0, slash) + "/." + tar.substr(slash);
  if (const auto e = error_of([&] { dltdump::Reader r(given); })) {
    EXPECT_EQ(e->input(), given);
    EXPECT_TRUE(mentions(*e, given + ": a tar archive"));
  }
  std::remove(tar.c_str());
}

TEST(ApiReader, EachFilter) {
  const Bytes f = sample_file();
  using dltdump::Filter;
  using dltdump::Level;
  EXPECT_EQ(texts(f, Filter{}.appid("NAV")), (Texts{"route lost", "no fix"}));
  EXPECT_EQ(texts(f, Filter{}.appid("NAV").appid("HMI")), (Texts{"route lost", "frame drawn", "no fix"}));
  EXPECT_EQ(texts(f, Filter{}.ctxid("GPS")), (Texts{"no fix"}));
  EXPECT_EQ(texts(f, Filter{}.ecuid("ECU2")), (Texts{"frame drawn"}));
  EXPECT_EQ(texts(f, Filter{}.not_appid("NAV")), (Texts{"frame drawn", "[7] --|01 02"}));
  EXPECT_EQ(texts(f, Filter{}.level(Level::warn)), (Texts{"route lost", "no fix"}));
  EXPECT_EQ(texts(f, Filter{}.level(Level::error)), (Texts{"no fix"}));
  EXPECT_EQ(texts(f, Filter{}.type(Level::info)), (Texts{"frame drawn", "[7] --|01 02"}));
  EXPECT_EQ(texts(f, Filter{}.kind(dltdump::PayloadKind::non_verbose)), (Texts{"[7] --|01 02"}));
  EXPECT_EQ(texts(f, Filter{}.message_id(7)), (Texts{"[7] --|01 02"}));
  EXPECT_EQ(texts(f, Filter{}.contains("fix")), (Texts{"no fix"}));
  EXPECT_EQ(texts(f, Filter{}.contains("FRAME").ignore_case()), (Texts{"frame drawn"}));
  EXPECT_EQ(texts(f, Filter{}.regex("^(route|no) ")), (Texts{"route lost", "no fix"}));
  EXPECT_EQ(texts(f, Filter{}.appid("NAV").invert()), (Texts{"frame drawn", "[7] --|01 02"}));
  const dltdump::Time t150{std::chrono::seconds(150)}, t300{std::chrono::seconds(300)};
  EXPECT_EQ(texts(f, Filter{}.not_before(t150).not_after(t300)), (Texts{"frame drawn"}));  // 300.000250 > 300
  EXPECT_EQ(texts(f, Filter{}.appid("NAV").level(Level::error)), (Texts{"no fix"}));       // groups AND
  EXPECT_EQ(texts(f, Filter{}.session(5)), Texts{});
  EXPECT_FALSE(Filter{}.restricts());
  EXPECT_TRUE(Filter{}.appid("NAV").restricts());
}

TEST(ApiReader, ErrorsAreDltdumpErrors) {
  if (const auto e = error_of([] { dltdump::Reader r("/nonexistent/trip.dlt"); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), "/nonexistent/trip.dlt");
    EXPECT_TRUE(mentions(*e, "/nonexistent/trip.dlt"));
  }
  EXPECT_THROW(dltdump::Filter{}.appid("TOOLONG"), dltdump::Error);
  EXPECT_THROW(dltdump::Filter{}.appid(""), dltdump::Error);
  // Issue #27: a value holding a NUL was shown cut at the NUL ("A); it is shown whole, escaped.
  if (const auto e = error_of([] { dltdump::Filter{}.appid(std::string_view("A\0B\n", 4)); })) {
    EXPECT_EQ(std::string(e->what()),
              R"(Filter: application id "A\x00B\x0A" is not an id of 1-4 bytes, so it can never match)");
  }
  const Bytes file = sample_file();
  if (const auto e = error_of([&] { dltdump::Reader::from_memory(file, dltdump::Filter{}.regex("(unclosed")); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::argument) << e->what();
  }
  EXPECT_THROW(dltdump::Reader::from_memory(file, dltdump::Filter{}.invert()), dltdump::Error);
  const Bytes gzip{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4};
  if (const auto e = error_of([&] { dltdump::Reader::from_memory(gzip, {}, {}, "x.dlt.gz"); })) {
    EXPECT_EQ(e->input(), "x.dlt.gz");
    EXPECT_TRUE(mentions(*e, "gzip"));
  }
  EXPECT_THROW(dltdump::Catalogue({"/nonexistent/ecu.xml"}), dltdump::Error);
}

// what() is the line the command line prints: control bytes as \xHH, and whole — a NUL in
// a name neither cuts the message nor the name the OS is asked for.
TEST(ApiReader, ErrorTextIsOneEscapedLine) {
  using namespace std::string_literals;
  for (const std::string& name : {"/nonexistent/a\x1b[2Jb\n.dlt"s, "/nonexistent/a\0b.dlt"s}) {
    if (const auto e = error_of([&] { dltdump::Reader r(name); })) {
      EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
      EXPECT_EQ(e->input(), name);
      const std::string what = e->what();
      EXPECT_EQ(what.find_first_of("\x1b\n"), std::string::npos) << what;
      EXPECT_TRUE(what.find("/nonexistent/a\\x1B[2Jb\\x0A.dlt") != std::string::npos ||
                  what.find("/nonexistent/a\\x00b.dlt: a file name cannot hold a NUL byte") != std::string::npos)
          << what;
    }
  }
  if (const auto e = error_of([] { dltdump::Catalogue c({"cat\0.xml"s}); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::fibex);
    EXPECT_TRUE(mentions(*e, "cat\\x00.xml"));
  }
}

TEST(ApiReader, CorruptBytesAreSkipped) {
  Bytes f = sample_file();
  const std::size_t first = log_message("NAV", "MAIN", 0x31, "route lost", 100, 1).size();
  Bytes garbage(37, 0xAB);
  f.insert(f.begin() + static_cast<std::ptrdiff_t>(first), garbage.begin(), garbage.end());
  auto reader = dltdump::Reader::from_memory(f);
  EXPECT_EQ(texts(reader).size(), 4u);
  EXPECT_EQ(reader.skipped_bytes(), 37u);
}

TEST(ApiReader, NetworkRecordingWithFormat) {
  PacketSpec s;
  s.noar = 1;
  Bytes net;
  for (const char* t : {"one", "two"}) {
    const Bytes p = dltdump::test::packet(s, dltdump::test::arg_string(t, false));
    net.insert(net.end(), p.begin(), p.end());
  }
  dltdump::ReaderOptions options;
  options.format = dltdump::Format::network;
  auto reader = dltdump::Reader::from_memory(net, {}, options);
  EXPECT_EQ(texts(reader), (Texts{"one", "two"}));
  EXPECT_EQ(reader.format(), dltdump::Format::network);
}

TEST(ApiReader, CaptureInMemory) {
  PacketSpec s;
  s.noar = 1;
  s.app = "CAP";
  Bytes payload = dltdump::test::packet(s, dltdump::test::arg_string("first", false));
  const Bytes second = dltdump::test::packet(s, dltdump::test::arg_string("second", false));
  payload.insert(payload.end(), second.begin(), second.end());
  dltdump::tools::Addresses a;
  dltdump::testing::NgBuilder ng;
  ng.shb().idb(1).epb(0, 1'700'000'000'000'000ull,
                      dltdump::tools::ethernet(dltdump::tools::ipv4(a, dltdump::tools::udp(a, payload))));
  auto reader = dltdump::Reader::from_memory(ng.file, dltdump::Filter{}.appid("CAP"));
  EXPECT_EQ(reader.format(), dltdump::Format::capture);
  std::vector<std::int64_t> times;
  std::vector<std::string> seen;
  for (const auto& m : reader) {
    seen.push_back(m.text());
    times.push_back(m.time().time_since_epoch().count());
  }
  EXPECT_EQ(seen, (Texts{"first", "second"}));
  EXPECT_EQ(times, (std::vector<std::int64_t>{1'700'000'000'000'000, 1'700'000'000'000'000}));
  // Nothing on our port: the command line's "nothing found" is an error too.
  dltdump::ReaderOptions other;
  other.udp_ports = {4000};
  auto wrong = dltdump::Reader::from_memory(ng.file, {}, other);
  EXPECT_THROW(wrong.next_batch(), dltdump::Error);
}

TEST(ApiReader, MalformedCaptureAfterItsMessages) {
  PacketSpec s;
  s.noar = 1;
  const Bytes payload = dltdump::test::packet(s, dltdump::test::arg_string("before the fault", false));
  dltdump::tools::Addresses a;
  dltdump::testing::NgBuilder ng;
  ng.shb().idb(1).epb(0, 0, dltdump::tools::ethernet(dltdump::tools::ipv4(a, dltdump::tools::udp(a, payload))));
  const std::size_t good = ng.file.size();
  ng.file.insert(ng.file.end(), {6, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0});  // a block length no block has
  auto reader = dltdump::Reader::from_memory(ng.file, {}, {}, "cut.pcapng");
  auto batch = reader.next_batch();  // the message before the fault comes first
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].text(), "before the fault");
  if (const auto e = error_of([&] { reader.next_batch(); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), "cut.pcapng");
    ASSERT_TRUE(e->offset().has_value());  // up to the last packet decoded
    EXPECT_GT(*e->offset(), 0u);
    EXPECT_LE(*e->offset(), good);
    EXPECT_TRUE(mentions(*e, "cut.pcapng"));
  }
  EXPECT_TRUE(reader.next_batch().empty());
}

TEST(ApiReader, MessagesLiveUntilTheNextStep) {
  // Messages crossing the framer's slices are copied into the batch; every view stays
  // valid and right until the next step, however the input is cut.
  Bytes f;
  std::vector<std::string> want;
  for (int i = 0; i < 3000; ++i) {
    const std::string t = "message " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 97), 'x');
    const Bytes m = log_message("APP", "CTX", 0x41, t, i);
    f.insert(f.end(), m.begin(), m.end());
    want.push_back(t);
  }
  dltdump::ReaderOptions options;
  options.batch_messages = 100;
  auto reader = dltdump::Reader::from_memory(f, {}, options);
  std::vector<std::string> got;
  std::size_t batches = 0;
  for (auto batch = reader.next_batch(); !batch.empty(); batch = reader.next_batch()) {
    ++batches;
    for (const auto& m : batch) got.push_back(m.text());  // read after the whole batch was made
  }
  EXPECT_EQ(got, want);
  EXPECT_GT(batches, 3u);
}

TEST(ApiReader, TypedArguments) {
  using dltdump::test::put;
  PacketSpec s;
  s.noar = 5;
  Bytes payload =
      dltdump::test::cat({dltdump::test::arg_uint(0xBEEF, 2, false, 2u << 15), dltdump::test::arg_sint(-42, 4, false),
                          dltdump::test::arg_string("héllo", false, true)});
  put(payload, 0x83, 4, false);  // FLOA 32 bit
  float f = 2.5f;
  std::uint32_t bits;
  std::memcpy(&bits, &f, 4);
  put(payload, bits, 4, false);
  // A struct of two members: a bool and a uint8 array [1 2 3].
  put(payload, 0x4000, 4, false);
  put(payload, 2, 2, false);
  put(payload, 0x11, 4, false);
  payload.push_back(1);
  put(payload, 0x141, 4, false);  // ARAY | UINT 8 bit
  put(payload, 1, 2, false);      // one dimension
  put(payload, 3, 2, false);      // of 3
  payload.insert(payload.end(), {1, 2, 3});
  const Bytes file = dltdump::test::storage(dltdump::test::packet(s, payload));
  auto reader = dltdump::Reader::from_memory(file);
  auto batch = reader.next_batch();
  ASSERT_EQ(batch.size(), 1u);
  const auto args = batch[0].args();
  ASSERT_EQ(args.size(), 7u);
  using T = dltdump::Argument::Type;
  EXPECT_EQ(args[0].type(), T::uint);
  EXPECT_TRUE(args[0].hex());
  EXPECT_EQ(args[0].as_uint(), 0xBEEFu);
  EXPECT_EQ(args[1].type(), T::sint);
  EXPECT_EQ(args[1].as_int(), -42);
  EXPECT_EQ(args[1].as_double(), -42.0);
  EXPECT_EQ(args[2].type(), T::string);
  EXPECT_EQ(args[2].as_string(), "héllo");
  EXPECT_EQ(args[3].type(), T::floating);
  EXPECT_EQ(args[3].as_double(), 2.5);
  EXPECT_EQ(args[4].type(), T::structure);
  EXPECT_EQ(args[4].count(), 2u);
  EXPECT_EQ(args[5].type(), T::boolean);
  EXPECT_EQ(args[5].depth(), 1);
  EXPECT_TRUE(args[5].as_bool());
  EXPECT_TRUE(args[6].is_array());
  EXPECT_EQ(args[6].count(), 3u);
  EXPECT_EQ(args[6].as_uint(2), 3u);
  EXPECT_EQ(batch[0].text(), "0xbeef -42 héllo 2.5 {true [1 2 3]}");
}

// A non-verbose message that the Reader's catalogue decodes has typed arguments too: its
// frame's, with the catalogue's names and units; one the frame does not fit has none.
TEST(ApiReader, TypedArgumentsOfACatalogueFrame) {
  const std::string xml = std::string(::testing::TempDir()) + "dltdump-api-typed.xml";
  {
    std::FILE* f = std::fopen(xml.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(
        "<?xml version=\"1.0\"?>\n<fx:FIBEX xmlns:fx=\"http://www.asam.net/xml/fbx\" "
        "xmlns:ho=\"http://www.asam.net/xml\">\n<fx:ELEMENTS>\n<fx:ECUS><fx:ECU ID=\"ECU1\"/></fx:ECUS>\n<fx:PDUS>\n"
        "<fx:PDU ID=\"T\"><ho:DESC>speed</ho:DESC><fx:BYTE-LENGTH>0</fx:BYTE-LENGTH></fx:PDU>\n"
        "<fx:PDU ID=\"V\"><fx:BYTE-LENGTH>2</fx:BYTE-LENGTH><fx:SIGNAL-INSTANCES><fx:SIGNAL-INSTANCE>"
        "<fx:SIGNAL-REF ID-REF=\"S_UINT16\"/><fx:MANUFACTURER-EXTENSION><VARI_NAME>v</VARI_NAME>"
        "<VARI_UNIT>km/h</VARI_UNIT></fx:MANUFACTURER-EXTENSION></fx:SIGNAL-INSTANCE></fx:SIGNAL-INSTANCES></fx:PDU>\n"
        "</fx:PDUS>\n<fx:FRAMES>\n<fx:FRAME ID=\"ID_7\"><fx:PDU-INSTANCES>"
        "<fx:PDU-INSTANCE><fx:PDU-REF ID-REF=\"T\"/></fx:PDU-INSTANCE>"
        "<fx:PDU-INSTANCE><fx:PDU-REF ID-REF=\"V\"/></fx:PDU-INSTANCE></fx:PDU-INSTANCES>"
        "<fx:MANUFACTURER-EXTENSION><MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
        "<APPLICATION_ID>APP1</APPLICATION_ID><CONTEXT_ID>CTX1</CONTEXT_ID></fx:MANUFACTURER-EXTENSION></fx:FRAME>\n"
        "</fx:FRAMES>\n</fx:ELEMENTS>\n</fx:FIBEX>\n",
        f);
    std::fclose(f);
  }
  dltdump::ReaderOptions options;
  options.catalogue.emplace(std::vector<std::string>{xml}, dltdump::CatalogueLookup{.per_ecu = false, .id_only = true});
  ASSERT_TRUE(options.catalogue->warnings().empty());
  // Id 7 with two payload bytes (1 2: 513), then id 7 with one byte too many, then id 8.
  Bytes too_long = nonverbose_message(7, 400);
  too_long.push_back(3);
  const std::size_t length = too_long.size() - 16;        // after the storage header
  too_long[18] = static_cast<std::uint8_t>(length >> 8);  // the standard header's length (BE)
  too_long[19] = static_cast<std::uint8_t>(length);
  const Bytes file = dltdump::test::cat({nonverbose_message(7, 400), too_long, nonverbose_message(8, 401)});
  auto reader = dltdump::Reader::from_memory(file, {}, std::move(options));
  auto batch = reader.next_batch();
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].text(), "[7] speed 513");
  const auto args = batch[0].args();
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].type(), dltdump::Argument::Type::string);
  EXPECT_EQ(args[0].as_string(), "speed");
  EXPECT_EQ(args[1].type(), dltdump::Argument::Type::uint);
  EXPECT_EQ(args[1].as_uint(), 513u);
  EXPECT_EQ(args[1].name(), "v");
  EXPECT_EQ(args[1].unit(), "km/h");
  EXPECT_EQ(batch[1].text(), "[7] ---|01 02 03");  // the frame does not take 3 bytes: the byte dump
  EXPECT_TRUE(batch[1].args().empty());
  EXPECT_TRUE(batch[2].args().empty());  // no frame for id 8
  std::remove(xml.c_str());
}

TEST(ApiReader, MovedReaderGoesOn) {
  const Bytes file = sample_file();
  auto reader = dltdump::Reader::from_memory(file, {}, {});
  dltdump::Reader moved = std::move(reader);
  EXPECT_EQ(texts(moved).size(), 4u);
}

// Issue #27 (5): a moved-from Reader is safe to query and at its end (the accessors
// dereferenced its empty Impl).
TEST(ApiReader, MovedFromReaderIsAtItsEnd) {
  const Bytes file = sample_file();
  auto reader = dltdump::Reader::from_memory(file, {}, {}, "sample");
  dltdump::Reader moved{std::move(reader)};
  EXPECT_EQ(reader.name(), "");  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(reader.skipped_bytes(), 0u);
  EXPECT_EQ(reader.offset(), 0u);
  EXPECT_EQ(reader.format(), dltdump::Format::file);
  EXPECT_TRUE(reader.next_batch().empty());
  EXPECT_TRUE(reader.begin() == reader.end());
  EXPECT_EQ(moved.name(), "sample");
  EXPECT_EQ(texts(moved).size(), 4u);
}

// Issue #27 (10): the operating system would open "a.dlt" for "a.dlt\0junk".
TEST(ApiReader, RefusesANameWithANul) {
  const std::string path = ::testing::TempDir() + "nul_name.dlt";
  const Bytes file = sample_file();
  std::FILE* out = std::fopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  std::fwrite(file.data(), 1, file.size(), out);
  std::fclose(out);
  const std::string named = path + std::string(1, '\0') + "junk";
  if (const auto e = error_of([&] { dltdump::Reader r(named); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), named);
    EXPECT_TRUE(mentions(*e, "nul_name.dlt\\x00junk"));
  }
  std::remove(path.c_str());
}

// Issue #27 (14): filter values the command line refuses (they can never match) are
// refused by the API too, with the command line's checks.
TEST(ApiReader, FilterValuesThatCanNeverMatch) {
  for (const char* text : {"a\tb", "\x7f", "\xff", "\xc2\x85"}) {
    if (const auto e = error_of([&] { dltdump::Filter{}.contains(text); })) {
      EXPECT_EQ(e->kind(), dltdump::Error::Kind::argument) << text;
    }
  }
  EXPECT_NO_THROW(dltdump::Filter{}.contains("ä b"));
  EXPECT_THROW(dltdump::Filter{}.regex("\xff"), dltdump::Error);
  EXPECT_NO_THROW(dltdump::Filter{}.regex("[^\t]"));
  const dltdump::Time early{std::chrono::seconds(1'000'000'000)};
  const dltdump::Time late{std::chrono::seconds(2'000'000'000)};
  const Bytes file = sample_file();
  if (const auto e =
          error_of([&] { dltdump::Reader::from_memory(file, dltdump::Filter{}.not_before(late).not_after(early)); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::argument);
    EXPECT_TRUE(mentions(*e, "2033-05-18T03:33:20"));
  }
  // Bounds moved one at a time pass through a reversed window: only the Reader checks.
  dltdump::Filter moving = dltdump::Filter{}.not_before(early).not_after(early);
  moving.not_before(late).not_after(late);
  EXPECT_NO_THROW(dltdump::Reader::from_memory(file, moving));
}

// Issue #27 (19): an empty port list read nothing and said "no UDP datagrams to ports ;".
TEST(ApiReader, RefusesEmptyPortLists) {
  const Bytes file = sample_file();
  for (const bool udp : {true, false}) {
    dltdump::ReaderOptions options;
    (udp ? options.udp_ports : options.tcp_ports).clear();
    if (const auto e = error_of([&] { dltdump::Reader::from_memory(file, {}, options); })) {
      EXPECT_EQ(e->kind(), dltdump::Error::Kind::argument);
      EXPECT_TRUE(mentions(*e, udp ? "udp_ports" : "tcp_ports"));
    }
  }
}

// Issue #27 (15): the command line's warning for an input none of whose bytes was a message.
TEST(ApiReader, WarnsOfAnInputWithoutMessages) {
  const Bytes junk(200, 'x');
  auto reader = dltdump::Reader::from_memory(junk, {}, {}, "junk.dlt");
  EXPECT_EQ(reader.warning(), "");  // not at its end yet
  EXPECT_TRUE(texts(reader).empty());
  EXPECT_NE(reader.warning().find("junk.dlt: no DLT message in 200 bytes"), std::string::npos) << reader.warning();
  const Bytes file = sample_file();
  auto good = dltdump::Reader::from_memory(file);
  EXPECT_EQ(texts(good).size(), 4u);
  EXPECT_EQ(good.warning(), "");
}

TEST(ApiTypes, IdsAndNames) {
  constexpr auto id = dltdump::Id::of("NAV");
  static_assert(id.size() == 3);
  EXPECT_EQ(dltdump::Id::from_value(id.value()), id);
  EXPECT_EQ(dltdump::Id::of("ABCDEF").view(), "ABCD");
  EXPECT_EQ(dltdump::name(dltdump::Level::warn), "warn");
  EXPECT_EQ(dltdump::name(dltdump::Format::capture), "capture");
  EXPECT_FALSE(dltdump::version().empty());
  // The TYPE column, whose second word the bindings take for --type names.
  EXPECT_EQ(dltdump::type_text(dltdump::MessageType::log, 2), "log error");
  EXPECT_EQ(dltdump::type_text(dltdump::MessageType::control, 2), "control response");
  EXPECT_EQ(dltdump::type_text(dltdump::MessageType::nw_trace, 7), "nw_trace user1");
  EXPECT_EQ(dltdump::type_text(dltdump::MessageType::app_trace, 0), "app_trace");
}

// The argument count is the line's (and the JSON record's noar): 1 for a non-verbose
// message no catalogue describes (the byte dump).
TEST(ApiReader, NonVerboseArgumentCount) {
  const Bytes file = sample_file();  // kept while the reader reads it
  auto reader = dltdump::Reader::from_memory(file, dltdump::Filter{}.kind(dltdump::PayloadKind::non_verbose));
  const auto batch = reader.next_batch();
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].message_id(), 7u);
  EXPECT_EQ(batch[0].argument_count(), 1);
  EXPECT_EQ(batch[0].level(), dltdump::Level::info);
}

// Live inputs (tcp://, udp://): the command line's own live steps behind next_batch().
namespace {

using namespace std::chrono_literals;

// `count` network-format messages (no storage header), APP1 and APP2 in turn, `msg <i>`.
Bytes network_messages(int count) {
  Bytes out;
  for (int i = 0; i < count; ++i) {
    PacketSpec s;
    s.counter = static_cast<std::uint8_t>(i);
    s.noar = 1;
    s.app = i % 2 ? "APP1" : "APP2";
    const Bytes m = dltdump::test::packet(s, dltdump::test::arg_string("msg " + std::to_string(i), false));
    out.insert(out.end(), m.begin(), m.end());
  }
  return out;
}

std::vector<std::string> network_texts(const Bytes& bytes, const dltdump::Filter& filter = {}) {
  dltdump::ReaderOptions options;
  options.format = dltdump::Format::network;
  auto reader = dltdump::Reader::from_memory(bytes, filter, options);
  return texts(reader);
}

// Cancels `reader` after `after` unless told to stop first: a test that waits for data
// which never comes ends instead of hanging.
class Watchdog {
 public:
  Watchdog(dltdump::Reader& reader, std::chrono::milliseconds after)
      : thread_([this, &reader, after] {
          const auto until = std::chrono::steady_clock::now() + after;
          while (!done_.load() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
          if (!done_.load()) {
            fired_.store(true);
            reader.cancel();
          }
        }) {}
  ~Watchdog() {
    done_.store(true);
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  bool fired() const { return fired_.load(); }

 private:
  std::atomic<bool> done_{false}, fired_{false};
  std::thread thread_;
};

}  // namespace

// A TCP stream is read until the peer closes it: every message, in order, with the PC
// clock as its time, a filter applied, a message cut across two sends whole.
TEST(ApiLive, TcpStreamEndsWhenThePeerCloses) {
  dltdump::test::TcpServer server;
  const Bytes data = network_messages(300);
  std::thread peer([&] {
    const int c = server.accept_one();
    dltdump::test::send_all(c, Bytes(data.begin(), data.begin() + 1001));  // a message cut across two sends
    std::this_thread::sleep_for(50ms);
    dltdump::test::send_all(c, Bytes(data.begin() + 1001, data.end()));
    ::close(c);
  });
  const auto before = std::chrono::system_clock::now();
  dltdump::Reader reader(server.uri());
  EXPECT_EQ(reader.name(), server.uri());
  EXPECT_EQ(reader.format(), dltdump::Format::network);
  std::vector<std::string> seen;
  for (const dltdump::Message& m : reader) {
    seen.push_back(m.text());
    EXPECT_TRUE(m.has_time());
    EXPECT_GE(m.time(), std::chrono::time_point_cast<std::chrono::microseconds>(before));
  }
  peer.join();
  EXPECT_EQ(seen, network_texts(data));
  EXPECT_EQ(reader.offset(), data.size());
  EXPECT_EQ(reader.skipped_bytes(), 0u);
  EXPECT_EQ(reader.warning(), "");

  std::thread peer2([&] {
    const int c = server.accept_one();
    dltdump::test::send_all(c, data);
    ::close(c);
  });
  dltdump::Reader filtered(server.uri(), dltdump::Filter{}.appid("APP1"));
  EXPECT_EQ(texts(filtered), network_texts(data, dltdump::Filter{}.appid("APP1")));
  peer2.join();
}

// UDP datagrams to 127.0.0.1: each sender's datagrams are one stream (a message cut in two
// datagrams is whole); the reader receives until cancelled.
TEST(ApiLive, UdpDatagramsToLoopback) {
  const std::uint16_t port = dltdump::test::unused_port(SOCK_DGRAM);
  const std::string uri = "udp://127.0.0.1:" + std::to_string(port);
  dltdump::Reader reader(uri);  // bound here: datagrams sent from now on are received
  EXPECT_EQ(reader.format(), dltdump::Format::network);
  const Bytes data = network_messages(200);
  std::thread sender([&] { dltdump::test::send_udp(data, port, 1, 20000); });
  std::vector<std::string> seen;
  {
    Watchdog watchdog(reader, 20s);
    while (seen.size() < 200) {
      const auto batch = reader.next_batch();
      if (batch.empty()) break;
      for (const dltdump::Message& m : batch) {
        seen.push_back(m.text());
        EXPECT_TRUE(m.has_time());
      }
    }
    EXPECT_FALSE(watchdog.fired());
  }
  sender.join();
  EXPECT_EQ(seen, network_texts(data));
  reader.cancel();
  EXPECT_TRUE(reader.next_batch().empty());
  EXPECT_TRUE(reader.next_batch().empty());
}

// cancel() from another thread ends a step blocked on a quiet TCP stream: what came is
// delivered, a partial packet at the end is skipped as at a stream's end, no Error.
TEST(ApiLive, CancelFromAnotherThreadEndsABlockedStep) {
  dltdump::test::TcpServer server;
  const Bytes data = network_messages(10);
  std::atomic<bool> release{false};
  std::thread peer([&] {
    const int c = server.accept_one();
    dltdump::test::send_all(c, Bytes(data.begin(), data.end() - 5));  // the last message is cut
    while (!release.load()) std::this_thread::sleep_for(10ms);        // and the stream stays open
    ::close(c);
  });
  dltdump::Reader reader(server.uri());
  const auto start = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    reader.cancel();
  });
  // The network framer may hold the first packets until later ones confirm the stream, so
  // the messages come by the end at the latest; the steps block until the cancel.
  std::vector<std::string> seen;
  for (const dltdump::Message& m : reader) seen.push_back(m.text());
  const auto waited = std::chrono::steady_clock::now() - start;
  canceller.join();
  EXPECT_EQ(seen, network_texts(Bytes(data.begin(), data.end() - data.size() / 10)));
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 5s);
  EXPECT_EQ(reader.skipped_bytes(), data.size() / 10 - 5);  // what came of the last message
  EXPECT_TRUE(reader.next_batch().empty());                 // and stays at its end
  release.store(true);
  peer.join();

  // A UDP reader with nothing to receive, likewise.
  dltdump::Reader udp("udp://127.0.0.1:" + std::to_string(dltdump::test::unused_port(SOCK_DGRAM)));
  std::thread canceller2([&] {
    std::this_thread::sleep_for(100ms);
    udp.cancel();
  });
  EXPECT_TRUE(udp.next_batch().empty());
  canceller2.join();
  // A file's reader cancelled before its first step gives nothing.
  const Bytes file = sample_file();
  auto memory = dltdump::Reader::from_memory(file);
  memory.cancel();
  EXPECT_TRUE(memory.next_batch().empty());
}

// ReaderOptions::keep_waiting is asked about every 100 ms while a live step waits with
// nothing to deliver (a quiet TCP peer, a UDP port nobody sends to), on the stepping
// thread; false ends the reading as cancel() does. (What lets the Python module run its
// signal handlers: Ctrl-C did nothing while a quiet peer sent nothing — a new user's finding.)
TEST(ApiLive, KeepWaitingIsAskedWhileAQuietInputWaits) {
  dltdump::test::TcpServer server;
  std::atomic<bool> release{false};
  std::thread peer([&] {
    const int c = server.accept_one();
    while (!release.load()) std::this_thread::sleep_for(10ms);  // connected, and silent
    ::close(c);
  });
  for (const bool udp : {false, true}) {
    SCOPED_TRACE(udp ? "udp" : "tcp");
    int asked = 0;
    const std::thread::id stepping = std::this_thread::get_id();
    dltdump::ReaderOptions options;
    options.keep_waiting = [&] {
      EXPECT_EQ(std::this_thread::get_id(), stepping);
      return ++asked < 3;
    };
    dltdump::Reader reader(
        udp ? "udp://127.0.0.1:" + std::to_string(dltdump::test::unused_port(SOCK_DGRAM)) : server.uri(),
        dltdump::Filter{}, options);
    Watchdog watchdog(reader, 20s);  // without the option's answer the step would wait forever
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(reader.next_batch().empty());
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(watchdog.fired());
    EXPECT_EQ(asked, 3);
    EXPECT_GE(waited, 150ms);  // asked no more often than every 100 ms
    EXPECT_LT(waited, 5s);
    EXPECT_TRUE(reader.next_batch().empty());
    EXPECT_EQ(asked, 3);
  }
  release.store(true);
  peer.join();
}

// datagrams() counts a UDP input's datagrams as the command line reports them: received,
// dropped by the kernel, dropped by dltdump — a burst larger than the queue (65536
// datagrams) sent while the Reader does not step loses some, and the counts say how many
// (before, the library could not tell: a new user's finding). Other inputs: zeros.
TEST(ApiLive, UdpDatagramsDroppedAreCounted) {
  const std::uint16_t port = dltdump::test::unused_port(SOCK_DGRAM);
  dltdump::Reader reader("udp://127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(reader.datagrams().received, 0u);
  const Bytes one = network_messages(1);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto send_one = [&] { ::sendto(fd, one.data(), one.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to); };
  constexpr std::uint64_t kBurst = 70000;
  for (std::uint64_t i = 0; i < kBurst; ++i) send_one();
  // One more after a pause: the kernel tells the drops before a datagram with it.
  std::this_thread::sleep_for(300ms);
  send_one();
  ::close(fd);
  for (int i = 0; i < 100 && reader.datagrams().received + reader.datagrams().kernel_drops < kBurst + 1; ++i)
    std::this_thread::sleep_for(50ms);
  reader.cancel();
  std::uint64_t delivered = 0;
  for (auto batch = reader.next_batch(); !batch.empty(); batch = reader.next_batch()) delivered += batch.size();
  const dltdump::Reader::Datagrams d = reader.datagrams();
  EXPECT_EQ(d.received + d.kernel_drops, kBurst + 1);
  EXPECT_EQ(delivered, d.received - d.dltdump_drops);  // one message a datagram
  EXPECT_LE(delivered, 1u << 16);
  EXPECT_GT(d.kernel_drops + d.dltdump_drops, 0u);

  const Bytes file = sample_file();
  auto memory = dltdump::Reader::from_memory(file);
  while (!memory.next_batch().empty()) {
  }
  EXPECT_EQ(memory.datagrams().received + memory.datagrams().kernel_drops + memory.datagrams().dltdump_drops, 0u);
}

// A refused connection is one Error, of the input as given, with the command line's line.
TEST(ApiLive, ARefusedConnectionIsOneErrorNamingTheUri) {
  const std::string uri = "tcp://127.0.0.1:" + std::to_string(dltdump::test::unused_port(SOCK_STREAM));
  if (const auto e = error_of([&] { dltdump::Reader r(uri); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), uri);
    EXPECT_FALSE(e->offset().has_value());
    EXPECT_EQ(std::string(e->what()), "Couldn't connect to the stream end-point " + uri + " (Connection refused).");
  }
  // A URI the command line refuses is refused the same way; chunks of a stream are refused.
  if (const auto e = error_of([] { dltdump::Reader r("tcp://host/path"); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::input);
    EXPECT_EQ(e->input(), "tcp://host/path");
  }
  dltdump::ReaderOptions chunked;
  chunked.chunk_bytes = 1 << 20;
  if (const auto e = error_of([&] { dltdump::Reader r(uri, {}, chunked); })) {
    EXPECT_EQ(e->kind(), dltdump::Error::Kind::argument);
  }
}
