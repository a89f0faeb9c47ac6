// Opening an input by its content: a compressed file or standard input (gzip, zstd, xz,
// bzip2, as sniffed) is read as its decompressed stream, which is sniffed again and decoded
// as the uncompressed file would be (compress/decompressing_source.hpp).
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
};

// Opens `path` ("-": standard input) and sniffs it. With `format` Automatic, compressed
// data is read decompressed (nested compressions too, up to kMaxNesting, the ratio limit
// applying to each); given any other format, the bytes are read as they are. Throws
// util::Error (input_error) when it cannot be opened or read, when zip data is found
// (archives are named, not read) or the nesting is deeper. Faults of the compressed
// stream come later, from the reads (compress::DecompressingSource).
SniffedInput open_sniffed(const std::string& path, InputFormat format, compress::Limits limits);

inline constexpr int kMaxNesting = 3;

}  // namespace dltdump::input
