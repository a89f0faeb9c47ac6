// The C API (include/dltdump/dltdump.h): handles, status codes, last error, no exceptions.
#include "dltdump/dltdump.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "dlt/packet_builder.hpp"
#include "dltdump/reader.hpp"
#include "dltdump/writer.hpp"
#include "input/live_peers.hpp"

using dltdump::test::Bytes;

namespace {

Bytes two_messages() {
  dltdump::test::PacketSpec s;
  s.noar = 1;
  s.app = "NAV";
  const Bytes a = dltdump::test::storage(dltdump::test::packet(s, dltdump::test::arg_string("hello", false)), 10);
  s.app = "HMI";
  s.msin = 0x21;  // log error
  const Bytes b = dltdump::test::storage(dltdump::test::packet(s, dltdump::test::arg_string("world", false)), 20);
  return dltdump::test::cat({a, b});
}

}  // namespace

TEST(CApi, ReadsWithAFilter) {
  const Bytes file = two_messages();
  dltdump_filter* f = dltdump_filter_new();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(dltdump_filter_level(f, 2), DLTDUMP_OK);
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open_memory(file.data(), file.size(), f, &r), DLTDUMP_OK) << dltdump_last_error();
  dltdump_filter_free(f);  // the reader keeps what it needs
  const dltdump_message* m = nullptr;
  ASSERT_EQ(dltdump_reader_next(r, &m), DLTDUMP_OK);
  char text[64];
  EXPECT_EQ(dltdump_message_text(m, text, sizeof text), 5u);
  EXPECT_STREQ(text, "world");
  char small[3];
  EXPECT_EQ(dltdump_message_text(m, small, sizeof small), 5u);
  EXPECT_STREQ(small, "wo");
  char app[5];
  dltdump_id_text(dltdump_message_app(m), app);
  EXPECT_STREQ(app, "HMI");
  EXPECT_EQ(dltdump_message_level(m), 2);
  EXPECT_EQ(dltdump_message_time_us(m), 20'000'000);
  EXPECT_EQ(dltdump_reader_next(r, &m), DLTDUMP_END);
  EXPECT_EQ(m, nullptr);
  dltdump_reader_free(r);
}

TEST(CApi, ErrorsAreStatusCodes) {
  dltdump_reader* r = reinterpret_cast<dltdump_reader*>(1);
  EXPECT_EQ(dltdump_reader_open("/nonexistent/x.dlt", nullptr, nullptr, 0, &r), DLTDUMP_ERROR_INPUT);
  EXPECT_EQ(r, nullptr);
  EXPECT_NE(std::string(dltdump_last_error()).find("/nonexistent/x.dlt"), std::string::npos);
  dltdump_filter* f = dltdump_filter_new();
  EXPECT_EQ(dltdump_filter_appid(f, "TOOLONG"), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_filter_appid(f, nullptr), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_filter_level(f, 9), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_filter_regex(f, "(x"), DLTDUMP_OK);  // compiled when a reader is made
  const Bytes file = two_messages();
  EXPECT_EQ(dltdump_reader_open_memory(file.data(), file.size(), f, &r), DLTDUMP_ERROR_ARGUMENT);
  const char* fibex[] = {"/nonexistent/ecu.xml"};
  EXPECT_EQ(dltdump_reader_open("-", nullptr, fibex, 1, &r), DLTDUMP_ERROR_FIBEX);
  dltdump_filter_free(f);
  EXPECT_EQ(dltdump_reader_next(nullptr, nullptr), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_STRNE(dltdump_version(), "");
}

// Issue #27 (6): dltdump_message_text(NULL, ...) crashed; a NULL FIBEX path was an internal
// error ("basic_string: construction from null is not valid").
TEST(CApi, NullArguments) {
  char text[4] = "xyz";
  EXPECT_EQ(dltdump_message_text(nullptr, text, sizeof text), 0u);
  EXPECT_STREQ(text, "");
  EXPECT_NE(std::string(dltdump_last_error()).find("NULL"), std::string::npos) << dltdump_last_error();
  EXPECT_EQ(dltdump_message_text(nullptr, nullptr, 0), 0u);
  const char* fibex[] = {"/nonexistent/ecu.xml", nullptr};
  dltdump_reader* r = nullptr;
  EXPECT_EQ(dltdump_reader_open("-", nullptr, fibex, 2, &r), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  EXPECT_NE(std::string(dltdump_last_error()).find("fibex[1]"), std::string::npos) << dltdump_last_error();
}

// Issue #27: the field accessors dereferenced a NULL message (a crash); each reads it as an
// empty message and says so in the last error.
TEST(CApi, FieldsOfANullMessage) {
  const dltdump_message* none = nullptr;
  const auto said_null = [] { return std::string(dltdump_last_error()).find("m is NULL") != std::string::npos; };
  const auto check = [&](auto value, const char* name) {
    EXPECT_EQ(value, decltype(value){0}) << name;
    EXPECT_TRUE(said_null()) << name << ": " << dltdump_last_error();
  };
  check(dltdump_message_time_us(none), "time_us");
  check(dltdump_message_has_time(none), "has_time");
  check(dltdump_message_device_time(none), "device_time");
  check(dltdump_message_counter(none), "counter");
  check(dltdump_message_ecu(none), "ecu");
  check(dltdump_message_app(none), "app");
  check(dltdump_message_ctx(none), "ctx");
  check(dltdump_message_session(none), "session");
  check(dltdump_message_level(none), "level");
  check(dltdump_message_type(none), "type");
  check(dltdump_message_kind(none), "kind");
  check(dltdump_message_id(none), "id");
  check(dltdump_message_position(none), "position");
}

// Issue #27 (14): bounds the wrong way round, a search text no line can hold.
TEST(CApi, FilterValuesThatCanNeverMatch) {
  dltdump_filter* f = dltdump_filter_new();
  EXPECT_EQ(dltdump_filter_time_range(f, 2'000'000'000'000'000, 1'000'000'000'000'000), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_filter_time_range(f, 1'000'000'000'000'000, 1'000'000'000'000'000), DLTDUMP_OK);
  EXPECT_EQ(dltdump_filter_contains(f, "a\tb"), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_filter_contains(f, "a\xff"), DLTDUMP_ERROR_ARGUMENT);
  dltdump_filter_free(f);
}

// Writers: a DLT file read and written again is the same file (storage headers kept); a
// full disk is DLTDUMP_ERROR_OUTPUT naming the file, at the latest from close.
TEST(CApi, WritesAFile) {
  const Bytes file = two_messages();
  char dir_template[] = "/tmp/dltdump-c-writer-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/out.dlt";
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open_memory(file.data(), file.size(), nullptr, &r), DLTDUMP_OK);
  dltdump_writer* w = nullptr;
  ASSERT_EQ(dltdump_writer_open(path.c_str(), DLTDUMP_OUTPUT_AUTOMATIC, 0, &w), DLTDUMP_OK) << dltdump_last_error();
  const dltdump_message* m = nullptr;
  while (dltdump_reader_next(r, &m) == DLTDUMP_OK) ASSERT_EQ(dltdump_writer_write(w, m), DLTDUMP_OK);
  EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_messages(w), 2u);
  EXPECT_EQ(dltdump_writer_write(w, m), DLTDUMP_ERROR_ARGUMENT);  // m is NULL at the end
  dltdump_writer_free(w);
  dltdump_reader_free(r);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  Bytes written(file.size() + 1);
  written.resize(std::fread(written.data(), 1, written.size(), f));
  std::fclose(f);
  EXPECT_EQ(written, file);
  std::remove(path.c_str());
  ::rmdir(dir_template);

  EXPECT_EQ(dltdump_writer_open("x.pcap", DLTDUMP_OUTPUT_AUTOMATIC, 0, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(w, nullptr);
  EXPECT_EQ(dltdump_writer_open("x.dlt", static_cast<dltdump_output_format>(9), 0, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_open(nullptr, DLTDUMP_OUTPUT_AUTOMATIC, 0, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_close(nullptr), DLTDUMP_ERROR_ARGUMENT);
  dltdump_writer_free(nullptr);

  ASSERT_EQ(dltdump_writer_open("/dev/full", DLTDUMP_OUTPUT_TEXT, 1, &w), DLTDUMP_OK) << dltdump_last_error();
  ASSERT_EQ(dltdump_reader_open_memory(file.data(), file.size(), nullptr, &r), DLTDUMP_OK);
  dltdump_status s = DLTDUMP_OK;
  while (s == DLTDUMP_OK && dltdump_reader_next(r, &m) == DLTDUMP_OK) s = dltdump_writer_write(w, m);
  if (s == DLTDUMP_OK) s = dltdump_writer_close(w);
  EXPECT_EQ(s, DLTDUMP_ERROR_OUTPUT);
  EXPECT_NE(std::string(dltdump_last_error()).find("/dev/full"), std::string::npos) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_ERROR_OUTPUT);  // not forgotten
  dltdump_writer_free(w);
  dltdump_reader_free(r);
}

// Writer options (dltdump_writer_options): the files being read are never written, even
// with overwrite (by identity: a link too), as WriterOptions::inputs in C++; before, the
// C API had no way to name them (a new user's finding). Format and overwrite as in
// dltdump_writer_open; wrong values and NULLs are DLTDUMP_ERROR_ARGUMENT.
TEST(CApi, WriterOptionsNameTheInputsNeverWritten) {
  const Bytes file = two_messages();
  char dir_template[] = "/tmp/dltdump-c-options-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template, input = dir + "/in.dlt", link = dir + "/link.dlt", out = dir + "/out.txt";
  auto read_all = [](const std::string& path) {
    Bytes bytes;
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      for (int c; (c = std::fgetc(f)) != EOF;) bytes.push_back(static_cast<std::uint8_t>(c));
      std::fclose(f);
    }
    return bytes;
  };
  {
    std::FILE* f = std::fopen(input.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(file.data(), 1, file.size(), f), file.size());
    std::fclose(f);
  }
  ASSERT_EQ(::symlink(input.c_str(), link.c_str()), 0);
  dltdump_writer_options* o = dltdump_writer_options_new();
  ASSERT_NE(o, nullptr);
  ASSERT_EQ(dltdump_writer_options_input(o, input.c_str()), DLTDUMP_OK);
  ASSERT_EQ(dltdump_writer_options_overwrite(o, 1), DLTDUMP_OK);
  for (const std::string& target : {input, link}) {
    SCOPED_TRACE(target);
    dltdump_reader* r = nullptr;
    ASSERT_EQ(dltdump_reader_open(input.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK) << dltdump_last_error();
    dltdump_writer* w = nullptr;
    ASSERT_EQ(dltdump_writer_open_with(target.c_str(), o, &w), DLTDUMP_OK) << dltdump_last_error();
    const dltdump_message* m = nullptr;
    ASSERT_EQ(dltdump_reader_next(r, &m), DLTDUMP_OK);
    EXPECT_EQ(dltdump_writer_write(w, m), DLTDUMP_ERROR_OUTPUT);
    EXPECT_NE(std::string(dltdump_last_error()).find("Not overwriting the input file"), std::string::npos)
        << dltdump_last_error();
    EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_ERROR_OUTPUT);
    dltdump_writer_free(w);
    dltdump_reader_free(r);
    EXPECT_EQ(read_all(input), file);
  }
  // Another file with the same options, its format asked: written.
  ASSERT_EQ(dltdump_writer_options_format(o, DLTDUMP_OUTPUT_JSON), DLTDUMP_OK);
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open(input.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK);
  dltdump_writer* w = nullptr;
  ASSERT_EQ(dltdump_writer_open_with(out.c_str(), o, &w), DLTDUMP_OK) << dltdump_last_error();
  dltdump_writer_options_free(o);  // the writer keeps what it needs
  const dltdump_message* m = nullptr;
  while (dltdump_reader_next(r, &m) == DLTDUMP_OK) ASSERT_EQ(dltdump_writer_write(w, m), DLTDUMP_OK);
  EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_messages(w), 2u);
  dltdump_writer_free(w);
  dltdump_reader_free(r);
  const Bytes json = read_all(out);
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json[0], '{');

  // NULL options: the defaults (an existing file is refused).
  ASSERT_EQ(dltdump_reader_open(input.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK);
  ASSERT_EQ(dltdump_writer_open_with(out.c_str(), nullptr, &w), DLTDUMP_OK) << dltdump_last_error();
  ASSERT_EQ(dltdump_reader_next(r, &m), DLTDUMP_OK);
  EXPECT_EQ(dltdump_writer_write(w, m), DLTDUMP_ERROR_OUTPUT);
  dltdump_writer_free(w);
  dltdump_reader_free(r);

  EXPECT_EQ(dltdump_writer_options_input(nullptr, "x"), DLTDUMP_ERROR_ARGUMENT);
  o = dltdump_writer_options_new();
  EXPECT_EQ(dltdump_writer_options_input(o, nullptr), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_options_format(o, static_cast<dltdump_output_format>(9)), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_options_overwrite(nullptr, 1), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_open_with(nullptr, o, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_open_with("x.dlt", o, nullptr), DLTDUMP_ERROR_ARGUMENT);
  dltdump_writer_options_free(o);
  dltdump_writer_options_free(nullptr);

  // A name template (WriterOptions::name_template): %FILE% names the file by the input's;
  // a split needs a template naming a series (%CTR%).
  o = dltdump_writer_options_new();
  ASSERT_EQ(dltdump_writer_options_name_template(o, 1), DLTDUMP_OK);
  const std::string named = dir + "/in_001.txt";
  ASSERT_EQ(dltdump_reader_open(input.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK);
  ASSERT_EQ(dltdump_writer_open_with((dir + "/%FILE%_%CTR%.txt").c_str(), o, &w), DLTDUMP_OK) << dltdump_last_error();
  while (dltdump_reader_next(r, &m) == DLTDUMP_OK) ASSERT_EQ(dltdump_writer_write(w, m), DLTDUMP_OK);
  EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_OK) << dltdump_last_error();
  dltdump_writer_free(w);
  dltdump_reader_free(r);
  const Bytes text = read_all(named);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);  // the two messages' lines
  ASSERT_EQ(dltdump_writer_options_split(o, 65536), DLTDUMP_OK);
  EXPECT_EQ(dltdump_writer_open_with((dir + "/one.txt").c_str(), o, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_NE(std::string(dltdump_last_error()).find("%CTR%"), std::string::npos) << dltdump_last_error();
  ASSERT_EQ(dltdump_writer_open_with((dir + "/part_%CTR%.txt").c_str(), o, &w), DLTDUMP_OK) << dltdump_last_error();
  dltdump_writer_free(w);  // no message: no file
  EXPECT_EQ(dltdump_writer_options_name_template(nullptr, 1), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_options_split(nullptr, 65536), DLTDUMP_ERROR_ARGUMENT);
  dltdump_writer_options_free(o);

  // --time and --position of text lines: ISO times and offsets (the second message is the
  // first's storage header and packet further on); refused for records.
  o = dltdump_writer_options_new();
  ASSERT_EQ(dltdump_writer_options_time(o, DLTDUMP_TIME_ISO), DLTDUMP_OK);
  ASSERT_EQ(dltdump_writer_options_position(o, 1), DLTDUMP_OK);
  const std::string iso = dir + "/iso.txt";
  ASSERT_EQ(dltdump_reader_open(input.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK);
  ASSERT_EQ(dltdump_writer_open_with(iso.c_str(), o, &w), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_write_all(w, r, nullptr), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_close(w), DLTDUMP_OK) << dltdump_last_error();
  dltdump_writer_free(w);
  dltdump_reader_free(r);
  const Bytes lines = read_all(iso);
  const std::string second = "\n" + [&] {
    char offset[32];
    std::snprintf(offset, sizeof offset, "%08zx: ", file.size() / 2);
    return std::string(offset);
  }() + "1970-01-01T00:00:20.000000Z ";
  EXPECT_EQ(std::string(lines.begin(), lines.begin() + 38), "00000000: 1970-01-01T00:00:10.000000Z ");
  EXPECT_NE(std::string(lines.begin(), lines.end()).find(second), std::string::npos)
      << std::string(lines.begin(), lines.end());
  EXPECT_EQ(dltdump_writer_open_with((dir + "/iso.jsonl").c_str(), o, &w), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_NE(std::string(dltdump_last_error()).find("a choice of text lines"), std::string::npos)
      << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_options_time(o, static_cast<dltdump_time_column>(5)), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_options_time(o, static_cast<dltdump_time_column>(9)),
            DLTDUMP_ERROR_ARGUMENT);  // past the enum's bits
  EXPECT_EQ(dltdump_writer_options_time(nullptr, DLTDUMP_TIME_UTC), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_writer_options_position(nullptr, 1), DLTDUMP_ERROR_ARGUMENT);
  dltdump_writer_options_free(o);

  for (const std::string& p : {out, link, input, named, iso}) std::remove(p.c_str());
  ::rmdir(dir_template);
}

// Live inputs through the C API: a TCP stream read to its end, a refused connection as a
// status naming the URI, a UDP reader cancelled from another thread.
// dltdump_writer_write_all: the messages a reader has left, from the middle of its step in
// progress on, and the regions it skips among them, as the C++ Writer's write_all writes the
// whole input (the command line's bytes: Writer tests); what was taken before is not again.
TEST(CApi, WriteAllWritesTheRestWithItsSkippedRegions) {
  const Bytes good = two_messages();
  Bytes file = dltdump::test::cat({good, Bytes(37, 0xEE), good, Bytes(5, 0x44)});  // garbage, a cut tail
  char dir_template[] = "/tmp/dltdump-c-write-all-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template, c_out = dir + "/c.txt", cpp_out = dir + "/cpp.txt";
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open_memory(file.data(), file.size(), nullptr, &r), DLTDUMP_OK) << dltdump_last_error();
  dltdump_writer* w = nullptr;
  ASSERT_EQ(dltdump_writer_open(c_out.c_str(), DLTDUMP_OUTPUT_AUTOMATIC, 0, &w), DLTDUMP_OK) << dltdump_last_error();
  const dltdump_message* m = nullptr;
  ASSERT_EQ(dltdump_reader_next(r, &m), DLTDUMP_OK);  // the first message, taken and written alone
  ASSERT_EQ(dltdump_writer_write(w, m), DLTDUMP_OK);
  std::uint64_t n = 99;
  ASSERT_EQ(dltdump_writer_write_all(w, r, &n), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(dltdump_reader_next(r, &m), DLTDUMP_END);
  EXPECT_EQ(dltdump_writer_write_all(w, r, nullptr), DLTDUMP_OK);  // nothing left
  ASSERT_EQ(dltdump_writer_close(w), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(dltdump_writer_messages(w), 4u);
  dltdump_writer_free(w);
  dltdump_reader_free(r);
  {
    dltdump::Reader whole = dltdump::Reader::from_memory(file);
    dltdump::Writer cpp{cpp_out};
    cpp.write_all(whole);
    cpp.close();
  }
  const auto slurp = [](const std::string& path) {
    std::string bytes;
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      for (int c; (c = std::fgetc(f)) != EOF;) bytes.push_back(static_cast<char>(c));
      std::fclose(f);
    }
    return bytes;
  };
  const std::string text = slurp(c_out);
  EXPECT_EQ(text, slurp(cpp_out));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6) << text;  // 4 messages, 2 SKIP lines
  EXPECT_NE(text.find(" SKIP "), std::string::npos) << text;
  EXPECT_EQ(dltdump_writer_write_all(nullptr, r, nullptr), DLTDUMP_ERROR_ARGUMENT);
  for (const std::string& p : {c_out, cpp_out}) std::remove(p.c_str());
  ::rmdir(dir_template);
}

TEST(CApi, LiveInputs) {
  using namespace std::chrono_literals;
  dltdump::test::TcpServer server;
  dltdump::test::PacketSpec s;
  s.noar = 1;
  const Bytes stream = dltdump::test::cat({dltdump::test::packet(s, dltdump::test::arg_string("one", false)),
                                           dltdump::test::packet(s, dltdump::test::arg_string("two", false))});
  std::thread peer([&] {
    const int c = server.accept_one();
    dltdump::test::send_all(c, stream);
    ::close(c);
  });
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open(server.uri().c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK) << dltdump_last_error();
  std::vector<std::string> seen;
  const dltdump_message* m = nullptr;
  char text[16];
  while (dltdump_reader_next(r, &m) == DLTDUMP_OK) {
    dltdump_message_text(m, text, sizeof text);
    seen.emplace_back(text);
  }
  dltdump_reader_free(r);
  peer.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "two"}));

  server.close_listener();  // nobody listens on its port now
  EXPECT_EQ(dltdump_reader_open(server.uri().c_str(), nullptr, nullptr, 0, &r), DLTDUMP_ERROR_INPUT);
  EXPECT_EQ(std::string(dltdump_last_error()),
            "Couldn't connect to the stream end-point " + server.uri() + " (Connection refused).");

  const std::string udp = "udp://127.0.0.1:" + std::to_string(dltdump::test::unused_port(SOCK_DGRAM));
  ASSERT_EQ(dltdump_reader_open(udp.c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK) << dltdump_last_error();
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    dltdump_reader_cancel(r);
  });
  EXPECT_EQ(dltdump_reader_next(r, &m), DLTDUMP_END);
  canceller.join();
  dltdump_reader_cancel(nullptr);  // does nothing
  dltdump_reader_free(r);
}

namespace {

std::string read_back(int fd) {
  std::string text(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  EXPECT_EQ(::pread(fd, text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
  return text;
}

}  // namespace

// The command line's run from C: what dltdump_dump_run prints is what the run of the same
// options prints (-c here, against the messages the filter passes), refusals are statuses
// with the command line's words, warnings lines on the diagnostics' descriptor.
TEST(CApi, DumpRunsTheCommandLinesRun) {
  char folder[] = "/tmp/dltdump-c-dump-XXXXXX";
  ASSERT_NE(::mkdtemp(folder), nullptr);
  const std::string path = std::string(folder) + "/two.dlt";
  const Bytes file = two_messages();
  FILE* out_file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(out_file, nullptr);
  ASSERT_EQ(std::fwrite(file.data(), 1, file.size(), out_file), file.size());
  std::fclose(out_file);

  dltdump_dump_options* o = dltdump_dump_options_new();
  ASSERT_NE(o, nullptr);
  ASSERT_EQ(dltdump_dump_options_input(o, path.c_str()), DLTDUMP_OK);
  dltdump_filter* f = dltdump_filter_new();
  ASSERT_EQ(dltdump_filter_level(f, 2), DLTDUMP_OK);
  ASSERT_EQ(dltdump_dump_options_filter(o, f), DLTDUMP_OK);
  dltdump_filter_free(f);  // copied
  ASSERT_EQ(dltdump_dump_options_summary(o, DLTDUMP_SUMMARY_COUNT), DLTDUMP_OK);
  ASSERT_EQ(dltdump_dump_options_threads(o, 1), DLTDUMP_OK);
  const int out = ::memfd_create("c-dump-out", MFD_CLOEXEC), diag = ::memfd_create("c-dump-diag", MFD_CLOEXEC);
  int status = -1;
  ASSERT_EQ(dltdump_dump_run(o, out, diag, &status), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(status, 0);
  EXPECT_EQ(read_back(out), "1\n");  // one message of level error or worse (one input: the count alone, as grep -c)
  EXPECT_EQ(read_back(diag), "");

  // Files by lifecycle: one lifecycle, one file holding both messages.
  ASSERT_EQ(dltdump_dump_options_summary(o, DLTDUMP_SUMMARY_NONE), DLTDUMP_OK);
  ASSERT_EQ(dltdump_dump_options_filter(o, nullptr), DLTDUMP_OK);
  const std::string files = std::string(folder) + "/two_%LC%.dlt";
  ASSERT_EQ(dltdump_dump_options_output(o, files.c_str(), DLTDUMP_OUTPUT_AUTOMATIC, 0), DLTDUMP_OK);
  ASSERT_EQ(dltdump_dump_run(o, out, diag, &status), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(status, 0) << read_back(diag);
  dltdump_reader* r = nullptr;
  ASSERT_EQ(dltdump_reader_open((std::string(folder) + "/two_001.dlt").c_str(), nullptr, nullptr, 0, &r), DLTDUMP_OK)
      << dltdump_last_error();
  const dltdump_message* m = nullptr;
  int messages = 0;
  while (dltdump_reader_next(r, &m) == DLTDUMP_OK) ++messages;
  dltdump_reader_free(r);
  EXPECT_EQ(messages, 2);

  // A refusal: nothing run, the command line's words.
  ASSERT_EQ(dltdump_dump_options_output(o, "x.pcap", DLTDUMP_OUTPUT_AUTOMATIC, 0), DLTDUMP_OK);
  EXPECT_EQ(dltdump_dump_run(o, out, diag, &status), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(std::string(dltdump_last_error()).rfind("Option 'output' names 'x.pcap'", 0), 0u) << dltdump_last_error();
  EXPECT_EQ(dltdump_dump_options_summary(o, static_cast<dltdump_summary>(9)), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_dump_options_output(o, "x.txt", static_cast<dltdump_output_format>(9), 0), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_EQ(dltdump_dump_run(nullptr, out, diag, &status), DLTDUMP_ERROR_ARGUMENT);

  // A warning: a line on the diagnostics' descriptor, and the run goes on.
  ASSERT_EQ(dltdump_dump_options_output(o, nullptr, DLTDUMP_OUTPUT_AUTOMATIC, 0), DLTDUMP_OK);
  ASSERT_EQ(dltdump_dump_options_context(o, 2, 0), DLTDUMP_OK);  // no filter: no effect
  ASSERT_EQ(dltdump_dump_options_summary(o, DLTDUMP_SUMMARY_COUNT), DLTDUMP_OK);
  const int diag2 = ::memfd_create("c-dump-diag2", MFD_CLOEXEC);
  ASSERT_EQ(dltdump_dump_run(o, out, diag2, &status), DLTDUMP_OK) << dltdump_last_error();
  EXPECT_EQ(read_back(diag2),
            "warning: Option 'before-context' has no effect without a filter (context surrounds the lines a filter "
            "selects)\n");
  // -c with --split: refused, as on the command line.
  ASSERT_EQ(dltdump_dump_options_split(o, 1 << 20), DLTDUMP_OK);
  EXPECT_EQ(dltdump_dump_run(o, out, diag2, &status), DLTDUMP_ERROR_ARGUMENT);
  EXPECT_STREQ(dltdump_last_error(), "Option 'count' prints counts on the console; it cannot be combined with 'split'");
  ::close(out);
  ::close(diag);
  ::close(diag2);
  dltdump_dump_options_free(o);
  std::system((std::string("rm -rf ") + folder).c_str());
}
