#include "input/decompressed_input.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "compress/codec.hpp"
#include "util/error.hpp"

namespace dltdump::input {

namespace {

Content sniff(util::InputFile& file) {
  return sniff_content([&](std::size_t n) { return file.head(n); });
}

}  // namespace

SniffedInput open_sniffed(const std::string& path, InputFormat format, compress::Limits limits) {
  std::optional<util::InputFile> file(util::InputFile::open(path));
  Content content = sniff(*file);
  for (int depth = 0; format == InputFormat::Automatic && is_compressed(content); ++depth) {
    const std::optional<compress::Codec> codec = compress::codec_of(file->head(8));
    if (!codec) throw util::input_error(path, compressed_message(content, path));  // a zip archive
    if (depth == kMaxNesting)
      throw util::input_error(path, "Input " + path + ": " + describe(content) + " inside " +
                                        std::to_string(kMaxNesting) +
                                        " layers of compression; not read (at most that many are undone)");
    const util::InputFile::Identity identity = file->identity();
    auto source = std::make_unique<compress::DecompressingSource>(std::move(*file), *codec, path, limits);
    if (!limits.file) limits.file = source.get();  // the inner layers count the file's bytes
    file.reset();
    file.emplace(util::InputFile::from_source(std::move(source), path, identity));
    content = sniff(*file);
  }
  return {std::move(*file), content};
}

}  // namespace dltdump::input
