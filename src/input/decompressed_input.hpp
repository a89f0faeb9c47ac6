// Opening an input by its content: a compressed file or standard input (gzip, zstd, xz,
// bzip2, as sniffed) is read as its decompressed stream, which is sniffed again and decoded
// as the uncompressed file would be (compress/decompressing_source.hpp); an archive found
// so is read member by member (input/archive_input.hpp).
#pragma once

#include <string>

#include "compress/decompressing_source.hpp"
#include "input/format_sniff.hpp"
#include "input/input_spec.hpp"
#include "util/input_file.hpp"

namespace dltdump::input {

struct SniffedInput {
  util::InputFile file;  // what is decoded: the file itself or its decompressed stream
  Content content;       // what its first bytes say
  // The limits for a reader of `file`: `file` set to the outermost compressed layer, if any
  // (compress::Limits::file), so that an archive inside counts the file's bytes.
  compress::Limits limits = {};
};

// Opens `path` ("-": standard input) and sniffs it. With `format` Automatic, compressed
// data is read decompressed (nested compressions too, up to kMaxNesting, the ratio limit
// applying to each) and an archive (tar, also compressed, or zip) is returned as such, its
// content Tar or Zip, for input/archive_input.hpp; given any other format, the bytes are
// read as they are. Throws util::Error (input_error) when it cannot be opened or read, or
// for lz4 data or deeper nesting (named, not read). Faults of the compressed stream come
// later, from the reads (compress::DecompressingSource).
// `name`: the input in messages about reading it and its content — the decompression's
// faults too — as the command line gives it (empty: `path`); opening it names `path`.
SniffedInput open_content(const std::string& path, InputFormat format, compress::Limits limits,
                          const std::string& name = {});

// The same for an input already open (an archive's member), named `name`, except that lz4
// data is returned as such (content Lz4), not refused.
SniffedInput sniff_layers(util::InputFile file, const std::string& name, InputFormat format, compress::Limits limits);

// open_content for readers that take one stream per input (--sort, the library): an
// archive is refused with util::input_error, the one line of compressed_message.
SniffedInput open_sniffed(const std::string& path, InputFormat format, compress::Limits limits,
                          const std::string& name = {});

inline constexpr int kMaxNesting = 3;

}  // namespace dltdump::input
