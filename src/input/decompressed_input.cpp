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

SniffedInput sniff_layers(util::InputFile raw, const std::string& name, InputFormat format, compress::Limits limits) {
  std::optional<util::InputFile> file(std::move(raw));
  Content content = sniff(*file);
  for (int depth = 0; format == InputFormat::Automatic && is_compressed(content) && !is_archive(content); ++depth) {
    const std::optional<compress::Codec> codec = compress::codec_of(file->head(8));
    if (!codec) break;  // lz4: the caller names it
    if (depth == kMaxNesting)
      throw util::input_error(name, "Input " + name + ": " + describe(content) + " inside " +
                                        std::to_string(kMaxNesting) +
                                        " layers of compression; not read (at most that many are undone)");
    const util::InputFile::Identity identity = file->identity();
    const bool regular = file->from_regular_file();
    auto source = std::make_unique<compress::DecompressingSource>(std::move(*file), *codec, name, limits);
    if (!limits.file) limits.file = source.get();        // the inner layers count the file's bytes
    if (!limits.offsets) limits.offsets = source.get();  // and name their faults' offsets in them
    file.reset();
    file.emplace(util::InputFile::from_source(std::move(source), name, identity, regular));
    content = sniff(*file);
  }
  return {std::move(*file), content, limits};
}

SniffedInput open_content(const std::string& path, InputFormat format, compress::Limits limits,
                          const std::string& name) {
  const std::string& shown = name.empty() ? path : name;
  SniffedInput opened = sniff_layers(util::InputFile::open(path, shown), shown, format, limits);
  if (format == InputFormat::Automatic && opened.content == Content::Lz4)
    throw util::input_error(shown, compressed_message(opened.content, shown));
  return opened;
}

SniffedInput open_sniffed(const std::string& path, InputFormat format, compress::Limits limits,
                          const std::string& name) {
  SniffedInput opened = open_content(path, format, limits, name);
  const std::string& shown = name.empty() ? path : name;
  if (format == InputFormat::Automatic && is_archive(opened.content))
    throw util::input_error(shown, compressed_message(opened.content, shown));
  return opened;
}

}  // namespace dltdump::input
