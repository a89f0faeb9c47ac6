// A compressed input read as its decompressed stream (a util::ByteSource, which
// util::InputFile::from_source reads as a pipe), decompressed on a thread of its own.
//
// The thread reads the compressed file (its mapping in windows, releasing what it has used,
// or a pipe in chunks), decompresses into 1 MiB chunks and hands them through a queue of at
// most kQueuedChunks to the reading thread, so decoding overlaps decompression and memory
// stays bounded however long the stream: the chunks, the input's window and the decoder's
// state (compress/decompressor.hpp).
//
// Faults come in stream order: every byte decompressed before a fault is read first, then
// read() throws util::input_error naming the input, the codec and both offsets — corrupt
// data, a stream that ends early (a cut file), a stream past the ratio limit (a
// decompression bomb), or the compressed input's own read error.
//
// A mapped zstd file of several frames, with Limits::workers > 1, is decompressed a frame per
// worker (by their headers; at most 8 workers, 2 frames each of kFrameBytes in flight), queued
// in stream order; a mapped xz file of one stream of several blocks, by liblzma's threads.
// Where that way stops — a frame it cannot take (larger, a window over 128 MiB, a
// dictionary), a fault, a frame or block that could cross the ratio limit before one
// thread's check would — the one-thread decoder above reads the file again from its start,
// skipping the bytes already queued: the bytes, the fault and its line are exactly those of
// one thread, whatever the number of workers (a fault costs decompressing up to it twice).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "compress/codec.hpp"
#include "util/byte_source.hpp"
#include "util/input_file.hpp"

namespace dltdump::compress {

struct Limits {
  // The decompressed stream may be at most this many times the compressed bytes read
  // (0: no limit); checked once it is past kRatioFloor, so small inputs never trip it.
  std::uint32_t max_ratio = 500;
  static constexpr std::uint64_t kRatioFloor = 64u << 20;
  // For a layer inside another (x.dlt.gz.xz): the outermost layer, whose compressed bytes
  // are the file's — the ratio and the offsets in messages count those, so that nesting
  // cannot multiply the ratio. Null: this layer reads the file itself. It must outlive this
  // layer (it does: this layer's input owns it).
  const util::ByteSource* file = nullptr;
  // For a layer inside another: the layer whose compressed bytes a fault's message counts
  // (it must outlive this one too). The file's outermost layer, but for an archive's member
  // the member's own outermost layer: a message names the member, and its offset is then
  // where `tar xOf`'s bytes have it, the same from a file and a pipe (a new user's
  // finding: the archive's offset moved with the reads). Null: this layer's own bytes.
  const util::ByteSource* offsets = nullptr;
  // Threads that may decompress a mapped file of several zstd frames side by side (1: the
  // one thread of the stream).
  unsigned workers = 1;
};

class DecompressingSource final : public util::ByteSource {
 public:
  // Decompresses `raw` (owned; read from its current position, so bytes given by head()
  // count) as `codec`; messages name it `name`. Starts the thread.
  DecompressingSource(util::InputFile raw, Codec codec, std::string name, Limits limits);
  // Stops the thread (waits for it to finish its step; one blocked reading a silent pipe is
  // left to end with the process).
  ~DecompressingSource() override;
  DecompressingSource(const DecompressingSource&) = delete;
  DecompressingSource& operator=(const DecompressingSource&) = delete;

  std::size_t read(std::uint8_t* into, std::size_t n) override;
  bool ready() const noexcept override;
  std::uint64_t input_progress() const noexcept override;
  // The compressed bytes consumed when the chunk holding the last byte read was made (at
  // most one chunk, kChunkBytes of decompressed data, past that byte).
  std::uint64_t input_of_read() const noexcept override;

  static constexpr std::size_t kChunkBytes = 1u << 20;
  static constexpr std::size_t kQueuedChunks = 8;
  static constexpr std::size_t kStepBytes = 64u << 10;  // compressed bytes per decoder step
  // A zstd frame decompressed by a worker makes at most this many bytes (a larger one ends
  // the frames' way: see above), so that the frames in flight stay bounded in memory.
  static constexpr std::size_t kFrameBytes = 8u << 20;

  struct Shared;  // the queue and the thread's state (decompressing_source.cpp)

 private:
  std::shared_ptr<Shared> shared_;  // shared with the thread, which may outlive this (above)
  std::thread thread_;
};

}  // namespace dltdump::compress
