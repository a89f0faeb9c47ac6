// Telling an input's format from its first bytes (`--format=auto`, for files and standard
// input alike; the name does not count).
//
// At offset 0: a storage header marker `DLT\1` is a DLT file, `DLS\1` a serial stream, one
// of the four classic PCAP magics or a PCAP-NG section header a capture; gzip, xz, bzip2,
// zip and zstd data (a zstd frame or skippable frame) are named: the compressed ones are
// read decompressed (input/decompressed_input.hpp), archives member by member. Then
// network recordings, which have no marker: the first packets must parse as valid DLT
// packets back to back (three of them; or all the input holds, ending exactly at its end;
// or two and a third cut short by the end), their ids printable ASCII — one packet that
// happens to parse is not enough; a chain of packets none of which has ids (as text reads:
// a space starts one) only when no marker below decodes. Otherwise a sync marker later in the
// first 64 KiB at which the file or serial framing decodes a message (a recording cut out
// of a longer one, or one that starts with noise) chooses that framing. Nothing of this:
// Unknown, read as a DLT file (whose framing resynchronises on its markers).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "dlt/message.hpp"
#include "input/input_spec.hpp"
#include "util/diagnostic.hpp"

namespace dltdump::input {

enum class Content : std::uint8_t {
  Unknown,
  DltFile,
  DltSerial,
  DltNetwork,
  Pcap,
  Pcapng,
  Gzip,
  Xz,
  Zstd,
  Bzip2,
  Zip,  // read member by member (input/archive_input.hpp), not by --sort or the library
  Lz4,  // not read: named, with how to decompress it
  Tar   // likewise
};

// The input's first min(n, its size) bytes; the same bytes again on each call, more if n
// grows (util::InputFile::head). At most kSniffBytes are asked for.
using HeadReader = std::function<std::span<const std::uint8_t>(std::size_t n)>;
inline constexpr std::size_t kSniffBytes = 3 * (dlt::kMaxPacketBytes + 1) + 4;

// What the first bytes say. Throws what `head` throws.
Content sniff_content(const HeadReader& head);

// The format Automatic means for `content`: File for Unknown (and for compressed data,
// which the caller refuses first).
InputFormat format_of(Content content);
// Whether `content` shows that `format` decodes it (so a warning about inputs that decode
// to nothing but skipped bytes has nothing to add).
bool confirms(Content content, InputFormat format);
bool is_compressed(Content content);
// Tar or Zip: read member by member (input/archive_input.hpp), itself compressed too.
bool is_archive(Content content);

// "a PCAP-NG capture", "gzip-compressed data", ... ("unrecognised data" for Unknown).
const char* describe(Content content);

// The one line for compressed data named `name` ("-" for standard input), e.g.
// `x.dlt.gz: gzip-compressed data; decompress it first (e.g. gzip -dc x.dlt.gz | dltdump -)`.
std::string compressed_message(Content content, const std::string& name);
// Whether content sniffed as `content` is read otherwise without --format than `used`, an
// explicit --format, reads it: compressed data and archives, captures (not for pcap).
bool read_otherwise(Content content, InputFormat used);
// The warning for such content (read_otherwise) that an explicit --format had read as it is,
// in format `used`, when not every byte was skipped (else skipped_only_warning says it).
std::string forced_format_warning(const std::string& name, InputFormat used, Content content);

// The warning for input `name` of `bytes` bytes, all skipped when decoded as `used` (File,
// Serial or Network), whose content was sniffed as `content`: its line names the input and
// suggests the --format values that may fit.
util::Diagnostic skipped_only_warning(const std::string& name, std::uint64_t bytes, InputFormat used, Content content);

// The warning for input `name`, read in format `used` (File, Serial or Network), whose
// skipped region at stream offset `position`, `length` bytes, begins like `content`,
// another format (data of another kind joined to the stream: `cat a.dlt b.pcapng`, `unzip
// -p` of several members); `regions`: how many skipped regions did so.
std::string foreign_region_warning(const std::string& name, InputFormat used, std::uint64_t position,
                                   std::uint64_t length, Content content, std::uint64_t regions);

}  // namespace dltdump::input
