#include "compress/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <new>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "compress/zip_directory.hpp"
#include "util/error.hpp"

namespace dltdump::compress {

namespace {

// Bytes handed to libarchive per read: a fault it finds is named at the end of the block it
// was reading, so at most this far past the fault (as a decompressor's step,
// DecompressingSource::kStepBytes).
constexpr std::size_t kBlockBytes = 64u << 10;
// A streamed zip's central directory begins in what libarchive was handed last: it reads
// ahead at most a header's name or extra field (64 KiB each) past what it consumed. So much
// of the windows before the current one is kept (a copy, zips only).
constexpr std::size_t kTailBytes = 4 * kBlockBytes;
// The most of a streamed zip's central directory read for its links (about 100 bytes an
// entry): a larger one is passed over, its links then counted as members skipped.
constexpr std::size_t kMaxDirectoryBytes = 16u << 20;
// A tar header's size: libarchive tells a tar by a whole one.
constexpr std::uint64_t kTarBlockBytes = 512;
// The most a zip's local header may take: 30 bytes, a name and an extra field of up to
// 65535 each.
constexpr std::uint64_t kZipLocalHeaderMost = 30 + 2 * 65535;

bool is_zip(::archive* a) { return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP; }

// The start of reason_of's text for a zip member whose deflate data ran out (zlib's Z_BUF_ERROR).
constexpr std::string_view kZipInputEnded = "the member's compressed data ends before its deflate stream does";

}  // namespace

std::string member_name(const std::string& archive, const std::string& path) {
  // The path's components without the empty and `.` ones: `./a//b.dlt`, `/a/b.dlt` (tar
  // drops a leading `/` when it extracts) and `a/./b.dlt` all name `a/b.dlt`.
  std::string shown;
  std::string_view rest = path;
  for (;;) {
    const std::size_t end = std::min(rest.find('/'), rest.size());
    const std::string_view part = rest.substr(0, end);
    const bool last = end == rest.size();
    if (!part.empty() && part != ".") {
      shown.append(part);
      if (!last) shown.push_back('/');
    }
    if (last) break;
    rest.remove_prefix(end + 1);
  }
  for (char& c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = '?';
  }
  const std::size_t slash = shown.rfind('/');
  std::string folder = slash == std::string::npos ? std::string() : shown.substr(0, slash + 1);
  std::string last = shown.substr(folder.size());
  if (folder.size() > kMaxMemberPath) folder = folder.substr(0, kMaxMemberPath) + ".../";
  if (last.size() > kMaxMemberName) last = last.substr(0, kMaxMemberName) + "...";
  if (last.empty() || last.front() == '.' || last.front() == '-') last.insert(last.begin(), '_');
  return archive + "/" + folder + last;
}

struct ArchiveReader::Io {
  Io(util::InputFile file, std::string n, std::string s, Limits l)
      : raw(std::move(file)), name(std::move(n)), shown(std::move(s)), limits(l) {}

  util::InputFile raw;
  const std::string name;   // the archive, in messages about it
  const std::string shown;  // the archive as given: its members are member_name(shown, path)
  const Limits limits;
  std::uint64_t position = 0;               // mapped: where the next block begins; a pipe: bytes handed out
  std::atomic<std::uint64_t> furthest{0};   // the furthest byte handed out (the file's bytes read; any thread)
  std::atomic<std::uint64_t> block_end{0};  // `position` after the last read or seek (for messages)
  std::span<const std::uint8_t> window;     // a pipe: what is left of its window, handed out by blocks
  std::span<const std::uint8_t> current;    // a pipe: its window, whole
  std::uint64_t current_at = 0;             // where `current` begins in the stream
  std::vector<std::uint8_t> tail;           // a streamed zip: the last bytes before `current`
  bool eof = false;                         // a read met the file's end
  bool directory_first = false;             // a mapped zip with an end record: read through its central directory
  bool sizes_ahead = false;          // a zip member's local header gives its sizes (not a data descriptor after it)
  std::vector<std::uint64_t> links;  // a streamed zip: its links' header offsets, after its last member
  std::uint64_t produced = 0;        // the members' data so far, all members
  std::uint64_t member_bytes = 0;
  std::string member;                 // the current member's path ("": before the first)
  std::optional<std::uint64_t> size;  // its size, when the archive says it
  std::exception_ptr fault;           // what a callback caught (C code in between): rethrown after
  bool opened = false;
  bool failed = false;  // a fault of the archive itself: nothing more is read from it
  bool entry = false;   // next() gave an entry, whose data may not have been read to its end
  // The current member's data came whole, but the archive's bytes end right after it (a
  // zip's data descriptor cut or followed by nothing; a tar's padding cut): the member ends
  // as read, and next() throws the archive's cut with this reason.
  std::string cut_after_member;
  // A member's source exists. A decompressing thread that waits on a silent pipe outlives
  // its DecompressingSource (compress/decompressing_source.hpp), with this member's source:
  // libarchive is then not touched again, nor freed.
  std::atomic<bool> member_open{false};
  // A tar's: where its next header begins (the last member's data and padding after its
  // header), when known. A header found corrupt after libarchive consumed it (a negative
  // size) is named there, not 512 bytes on (a new user's finding).
  std::optional<std::uint64_t> next_tar_header = 0;

  std::uint64_t file_bytes() const {
    return limits.file ? limits.file->input_progress() : furthest.load(std::memory_order_relaxed);
  }
  // Where a fault libarchive finds lies in the file: the end of the block it was reading
  // (not the furthest byte: a zip's central directory, at its end, is read first); for a
  // compressed tar, where the decompressor was when it made that block.
  std::uint64_t fault_bytes() const {
    return limits.file ? limits.file->input_of_read() : block_end.load(std::memory_order_relaxed);
  }
  // Where the archive's bytes end, once a read met their end: a mapped file's size, else
  // the bytes handed out (a pipe's, or the tar a compressed file's decompressor made).
  std::uint64_t data_end() const {
    return raw.is_mapped() ? raw.whole().size() : furthest.load(std::memory_order_relaxed);
  }
  // A tar header found corrupt in a compressed archive (x.tar.gz) is most often the
  // decompressor's fault: corrupt deflate data can decode to garbage, and its check (gzip's
  // CRC, at the member's end) comes only after the tar's header checksum failed on it. So
  // the compressed stream is read on to that check, at most kCheckBytes: if it fails, its
  // fault is thrown (a new user's finding: "Damaged tar archive" where `gzip -t` names the
  // CRC). Returns if it does not fail (or is not read: an archive not compressed).
  static constexpr std::uint64_t kCheckBytes = 1ull << 30;
  void throw_compression_fault() {
    if (!limits.file || raw.is_mapped()) return;
    for (std::uint64_t read = 0; read < kCheckBytes;) {
      const std::size_t n = raw.next_window().size();
      if (n == 0) return;
      read += n;
    }
  }
  void rethrow() {
    if (!fault) return;
    failed = true;
    std::rethrow_exception(std::exchange(fault, nullptr));
  }
  // Throws the archive's error: `what` at the current offsets, for `reason`. `bomb`: the
  // offset named is the one the ratio was measured against (file_bytes).
  // `cut`: the archive's bytes end early (util::Error::cut).
  [[noreturn]] void fail(const std::string& what, const std::string& reason, bool bomb = false, bool cut = false) {
    failed = true;
    util::Error e = fault_of(what, reason, bomb ? file_bytes() : fault_bytes(), "the archive");
    if (cut) e.mark_cut();
    throw e;
  }
  // A fault of the current member's data, for `reason`; `at_end`: found at the member's end
  // (its CRC or size wrong: a warning), its data all read. A zip's members are apart:
  // libarchive goes on to the next one when it knows where that begins — through the
  // central directory of a zip file; streamed, past a member whose local header gave its
  // size, or whose end was reached. Then the fault is the member's alone; otherwise (a tar,
  // a zip cut short, a streamed member whose size follows its data: libarchive would have
  // to decompress it to its end) the archive's.
  [[noreturn]] void member_fault(::archive* a, const std::string& reason, bool at_end) {
    // A tar's data has no check: its fault is a cut (the member's bytes end early); so is
    // a zip's found once the reads met the file's end — named as a cut, not by the
    // decoder's reason (a new user's finding: "ZIP decompression failed (-5)", zlib's
    // buffer error, for a zip cut inside a member).
    const std::string what = "archive member data not readable";
    if (!is_zip(a) || (eof && !directory_first && reason.starts_with(kZipInputEnded)))
      fail("archive ends early", "the file is cut short inside the member's data", false, true);
    if (eof && !directory_first) fail(what, reason, false, true);  // a stored member's end not found
    if (!(directory_first || ((sizes_ahead || at_end) && !eof))) fail(what, reason);
    throw fault_of(what, reason, fault_bytes(), "the member");
  }
  // `at`: the file's byte; `archive_at`: the archive's byte the fault is named by (a
  // header's start, the end of its bytes), nullopt for the member's bytes read (none
  // outside a member). The file's
  // byte is named "compressed" when the archive is (a .tar.gz), and left out when it is
  // the archive's byte named.
  util::Error fault_of(const std::string& what, const std::string& reason, std::uint64_t at, const char* stopped,
                       std::optional<std::uint64_t> archive_at = std::nullopt) const {
    const std::string where = member.empty() ? name : member_name(shown, member);
    const std::string inside = archive_at       ? " (archive byte " + std::to_string(*archive_at) + ")"
                               : member.empty() ? std::string()  // the archive's own fault: no member read
                                                : " (member byte " + std::to_string(member_bytes) + ")";
    const std::string place = limits.file  ? "compressed byte " + std::to_string(at) + inside
                              : archive_at ? "byte " + std::to_string(*archive_at)
                                           : "byte " + std::to_string(at) + inside;
    return util::input_error(where, "Input " + where + ": " + what + " at " + place + ": " + reason + "; reading " +
                                        stopped + " stopped there");
  }
  // Keeps the end of `current`, about to be replaced, in `tail` (a zip, or before the format
  // is known).
  void keep_tail(::archive* a) {
    if (archive_format(a) != 0 && !is_zip(a)) return;
    const auto from = current.size() > kTailBytes ? current.end() - kTailBytes : current.begin();
    tail.insert(tail.end(), from, current.end());
    if (tail.size() > kTailBytes) tail.erase(tail.begin(), tail.end() - kTailBytes);
  }
  // Copies the archive's bytes at `at` into `out` when they are still at hand: a mapped
  // file's, a pipe's among the last it handed out (`tail`, `current`). Returns whether.
  bool copy_recent(std::uint64_t at, std::span<std::uint8_t> out) const {
    const std::span<const std::uint8_t> whole = raw.whole();
    if (raw.is_mapped()) {
      if (at > whole.size() || whole.size() - at < out.size()) return false;
      std::copy_n(whole.begin() + static_cast<std::ptrdiff_t>(at), out.size(), out.begin());
      return true;
    }
    if (at < current_at - tail.size() || at + out.size() > current_at + current.size()) return false;
    for (std::size_t i = 0; i < out.size(); ++i, ++at)
      out[i] = at < current_at ? tail[tail.size() - (current_at - at)] : current[at - current_at];
    return true;
  }
  // The bytes the tar header at `at` spans at least: a block, or for an extended header —
  // pax ('x', 'g'), a GNU long name or link ('L', 'K') — its block, its data and the block
  // of the header it extends (a cut inside those is a cut in a header: libarchive said
  // "Truncated tar archive" or nothing, a corrupt header to the line: a new user's finding).
  // A block when the header's bytes are no longer at hand.
  std::uint64_t tar_header_most(std::uint64_t at) const {
    std::array<std::uint8_t, kTarBlockBytes> h{};
    if (!copy_recent(at, h)) return kTarBlockBytes;
    const std::uint8_t type = h[156];
    if (type != 'x' && type != 'g' && type != 'L' && type != 'K') return kTarBlockBytes;
    std::size_t i = 124;  // the size: octal digits, after spaces
    while (i < 136 && h[i] == ' ') ++i;
    std::uint64_t size = 0;
    for (; i < 136 && h[i] >= '0' && h[i] <= '7'; ++i) size = size * 8 + (h[i] - '0');
    return 2 * kTarBlockBytes + (size + kTarBlockBytes - 1) / kTarBlockBytes * kTarBlockBytes;
  }
  // The zip local header that ends at `end` (its name and extra field with it): where it
  // begins, and whether its flags say the sizes follow the member's data (bit 3). Looked for
  // backwards among the bytes at hand, the first whose lengths end it there; nullopt if none.
  struct LocalHeader {
    std::uint64_t offset = 0;
    bool sizes_after = false;
  };
  std::optional<LocalHeader> local_header_before(std::uint64_t end) const {
    constexpr std::uint64_t kFixed = 30, kMost = kFixed + 2 * 65535;
    std::array<std::uint8_t, kFixed> h{};
    for (std::uint64_t at = end >= kFixed ? end - kFixed + 1 : 0; at-- > (end > kMost ? end - kMost : 0);) {
      if (!copy_recent(at, h)) return std::nullopt;
      if (h[0] != 'P' || h[1] != 'K' || h[2] != 3 || h[3] != 4) continue;
      const std::uint64_t lengths = (h[26] | (h[27] << 8)) + (h[28] | (h[29] << 8));
      if (at + kFixed + lengths == end) return LocalHeader{at, (h[6] & 0x08) != 0};
    }
    return std::nullopt;
  }
  // After the last member of a zip read as a stream (a pipe, or a file whose end record
  // does not agree with its directory), libarchive stopped at `from`, its central
  // directory: reads the rest (of a pipe), the links that directory names, and throws the
  // archive's fault when its end record is missing or damaged (zip_end_damage) — the same
  // from a file and from a pipe. A rest over kMaxDirectoryBytes is not judged.
  void read_end(std::uint64_t from) {
    std::vector<std::uint8_t> directory;
    std::span<const std::uint8_t> rest;
    bool whole = false;
    if (raw.is_mapped()) {
      const std::span<const std::uint8_t> file = raw.whole();
      whole = from <= file.size() && file.size() - from <= kMaxDirectoryBytes;
      if (whole) rest = file.subspan(static_cast<std::size_t>(from));
    } else {
      whole = from >= current_at - tail.size() && from <= current_at + current.size();
      if (whole) {
        if (from < current_at)
          directory.assign(tail.end() - static_cast<std::ptrdiff_t>(current_at - from), tail.end());
        directory.insert(directory.end(),
                         current.begin() + static_cast<std::ptrdiff_t>(from > current_at ? from - current_at : 0),
                         current.end());
      }
      for (std::span<const std::uint8_t> w = raw.next_window(); !w.empty(); w = raw.next_window()) {
        whole = whole && directory.size() + w.size() <= kMaxDirectoryBytes;
        if (whole) directory.insert(directory.end(), w.begin(), w.end());
      }
      rest = directory;
    }
    if (!whole) return;
    links = zip_link_offsets(rest);
    const std::string damage = zip_end_damage(rest, from);
    if (damage.empty()) return;
    member.clear();
    failed = true;
    // Named at the archive's end, where its end record is (for a zip inside compression,
    // the file's bytes read, all of them).
    throw fault_of("archive end record damaged", damage, limits.file ? file_bytes() : from + rest.size(), "the archive",
                   from + rest.size());
  }
};

namespace {

using Io = ArchiveReader::Io;

// libarchive's reason for its last fault, without the newline some of its messages end in.
std::string reason_of(::archive* a, const char* otherwise) {
  const char* reason = archive_error_string(a);
  std::string text = reason ? reason : otherwise;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return otherwise;
  // libarchive passes zlib's return codes on as numbers (a new user could not read "ZIP
  // decompression failed (-5)"): what they mean for a member's deflate data comes first.
  if (text == "ZIP decompression failed (-5)")  // Z_BUF_ERROR: no more input
    return std::string(kZipInputEnded) + " (" + text + ")";
  if (text == "ZIP decompression failed (-3)")  // Z_DATA_ERROR
    return "the member's deflate data is corrupt (" + text + ")";
  return text;
}

la_ssize_t read_block(::archive* a, void* data, const void** buffer) {
  Io& io = *static_cast<Io*>(data);
  try {
    std::span<const std::uint8_t> block;
    if (io.raw.is_mapped()) {
      // libarchive is done with the previous block: its pages may go (a forward read; a
      // zip's seek back to its members finds them again in the page cache).
      io.raw.release_before(io.position);
      io.raw.check_not_shrunk();  // the zeros of a file cut meanwhile are not the archive's
      const std::span<const std::uint8_t> whole = io.raw.whole();
      const std::uint64_t at = std::min<std::uint64_t>(io.position, whole.size());
      block = whole.subspan(at, std::min<std::uint64_t>(kBlockBytes, whole.size() - at));
    } else {
      if (io.window.empty()) {
        io.keep_tail(a);
        io.current_at = io.position;
        io.current = io.window = io.raw.next_window();
      }
      block = io.window.first(std::min(kBlockBytes, io.window.size()));
      io.window = io.window.subspan(block.size());
    }
    io.position += block.size();
    io.eof = io.eof || block.empty();
    io.block_end.store(io.position, std::memory_order_relaxed);
    if (io.position > io.furthest.load(std::memory_order_relaxed))
      io.furthest.store(io.position, std::memory_order_relaxed);  // one writer: the reading thread
    *buffer = block.data();
    return static_cast<la_ssize_t>(block.size());
  } catch (...) {
    io.fault = std::current_exception();
    return ARCHIVE_FATAL;
  }
}

// Mapped files only: a zip is read through its central directory, at its end.
la_int64_t seek_to(::archive* /*a*/, void* data, la_int64_t offset, int whence) {
  Io& io = *static_cast<Io*>(data);
  const auto size = static_cast<la_int64_t>(io.raw.whole().size());
  const la_int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? static_cast<la_int64_t>(io.position) : size;
  const la_int64_t to = base + offset;
  if (to < 0 || to > size) return ARCHIVE_FATAL;
  io.position = static_cast<std::uint64_t>(to);
  io.block_end.store(io.position, std::memory_order_relaxed);
  return to;
}

// A member's data, from libarchive's blocks (archive_read_data would drop the bytes it had
// copied when it meets a fault: a cut archive's last member would lose them). A gap between
// blocks, and one at the end, is a sparse member's hole: zeros.
class MemberSource final : public util::ByteSource {
 public:
  MemberSource(::archive* a, Io& io, std::optional<std::uint64_t> size) : archive_(a), io_(io), size_(size) {
    io_.member_open.store(true, std::memory_order_release);
  }
  ~MemberSource() override { io_.member_open.store(false, std::memory_order_release); }
  MemberSource(const MemberSource&) = delete;
  MemberSource& operator=(const MemberSource&) = delete;

  std::size_t read(std::uint8_t* into, std::size_t n) override {
    while (block_.empty() && !ended_) next_block();
    std::size_t given = 0;
    if (at_ < block_at_) {  // a hole before the block
      given = static_cast<std::size_t>(std::min<std::uint64_t>(n, block_at_ - at_));
      std::fill_n(into, given, std::uint8_t{0});
    } else {
      given = std::min(n, block_.size());
      std::copy_n(block_.data(), given, into);
      block_ = block_.subspan(given);
      block_at_ += given;
    }
    at_ += given;
    io_.produced += given;
    io_.member_bytes = at_;
    const std::uint32_t ratio = io_.limits.max_ratio;
    if (ratio != 0 && io_.produced > Limits::kRatioFloor && io_.produced / ratio > io_.file_bytes())
      io_.fail("archive members over " + std::to_string(ratio) + " times the compressed size",
               "a likely decompression bomb (see --max-ratio)", true);
    return given;
  }
  bool ready() const noexcept override { return true; }  // read on the calling thread
  std::uint64_t input_progress() const noexcept override { return io_.file_bytes(); }
  std::uint64_t input_of_read() const noexcept override { return io_.fault_bytes(); }

 private:
  void next_block() {
    // A fault found with the last block's bytes (a zip member's CRC, checked at its end)
    // comes after them, as a compressed stream's check does.
    if (!pending_fault_.empty()) io_.member_fault(archive_, pending_fault_, warned_);
    if (after_block_ends_) {
      ended_ = true;
      return;
    }
    const void* data = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int r = archive_read_data_block(archive_, &data, &size, &offset);
    io_.rethrow();
    if (r == ARCHIVE_EOF) {
      ended_ = true;
      // A hole at the end: up to the member's size.
      if (size_ && *size_ > at_) block_at_ = *size_;
      return;
    }
    // The archive's bytes end just after the member's whole data: libarchive failed to read
    // what follows it — a zip's data descriptor (it reads 24 bytes ahead, so also one
    // followed by nothing: a streamed zip cut at its central directory), handing its
    // last decompressed block with the fault; a tar's padding to its 512-byte block, after
    // the member's size was read. The member is whole (a new user's finding: the last
    // block was dropped, or the member blamed); the archive is cut, said by next().
    if (r == ARCHIVE_FATAL && io_.eof && (is_zip(archive_) ? size > 0 : size == 0 && size_ && at_ >= *size_)) {
      io_.cut_after_member = reason_of(archive_, "corrupt or cut archive");
      if (size == 0) ended_ = true;
      else after_block_ends_ = true;
      block_ = {static_cast<const std::uint8_t*>(data), size};
      block_at_ = std::max<std::uint64_t>(at_, static_cast<std::uint64_t>(std::max<la_int64_t>(offset, 0)));
      return;
    }
    // A warning on a member's data is a fault too (a zip member whose CRC does not match).
    if (r < ARCHIVE_OK) {
      const std::string reason = reason_of(archive_, "corrupt or cut archive");
      pending_fault_ = reason;  // the bytes it came with are read first; a second read throws it again
      warned_ = r == ARCHIVE_WARN;
      if (!warned_ || size == 0) io_.member_fault(archive_, reason, warned_);
    }
    block_ = {static_cast<const std::uint8_t*>(data), size};
    block_at_ = std::max<std::uint64_t>(at_, static_cast<std::uint64_t>(std::max<la_int64_t>(offset, 0)));
  }

  ::archive* archive_;
  Io& io_;
  const std::optional<std::uint64_t> size_;  // the member's size, when the archive says it
  std::span<const std::uint8_t> block_;      // what is left of libarchive's current block
  std::uint64_t block_at_ = 0;               // the member offset where block_ begins
  std::uint64_t at_ = 0;                     // the member offset of the next byte given
  bool ended_ = false;
  std::string pending_fault_;      // a warning that came with block_: the fault after it (or the fault thrown)
  bool warned_ = false;            // pending_fault_ is a warning at the member's end
  bool after_block_ends_ = false;  // block_ is the member's last (io_.cut_after_member)
};

}  // namespace

ArchiveReader::ArchiveReader(util::InputFile raw, std::string name, std::string shown, Limits limits)
    : io_(std::make_unique<Io>(std::move(raw), std::move(name), std::move(shown), limits)),
      archive_(archive_read_new()) {
  if (archive_ == nullptr) throw std::bad_alloc();
  // Only the archive formats: compression around them is undone before (the caller's
  // DecompressingSource), so that every compressed input has the same bounds and messages.
  archive_read_support_format_tar(archive_);
  archive_read_support_format_gnutar(archive_);
  archive_read_support_format_zip(archive_);
  archive_read_set_callback_data(archive_, io_.get());
  archive_read_set_read_callback(archive_, read_block);
  if (io_->raw.is_mapped()) {
    // A zip whose end record is missing or does not agree with its directory is read as a
    // stream, as from a pipe (libarchive's seeking reader would refuse it whole or read
    // it otherwise): its end is judged after its members, the same either way (read_end).
    const std::span<const std::uint8_t> file = io_->raw.whole();
    io_->directory_first = zip_end_record_agrees(file);
    if (io_->directory_first || !zip_has_end_record(file)) archive_read_set_seek_callback(archive_, seek_to);
  }
}

ArchiveReader::~ArchiveReader() {
  if (io_->member_open.load(std::memory_order_acquire)) {
    // A member's reader still runs (a thread waiting on a pipe): what it reads stays, left
    // to end with the process.
    static_cast<void>(io_.release());
    return;
  }
  archive_read_free(archive_);
}

namespace {
// libarchive converts a member's name from the charset its header states (UTF-8: a zip's
// names flagged so, as Python's zipfile, Java and 7-Zip write them; pax headers) to the
// current locale's, which is "C" for a program that never called setlocale: every such name
// with a byte above 0x7F then fails to convert and the member had no name (`x.zip/_`, a new
// user's finding). While it reads headers, the thread uses a UTF-8 locale of its own
// (uselocale is per thread: the process's locale, which a library's caller owns, stays).
// Without C.UTF-8 (glibc has it built in since 2.35) nothing changes.
class Utf8NamesLocale {
 public:
  Utf8NamesLocale() : before_(utf8() ? uselocale(utf8()) : nullptr) {}
  ~Utf8NamesLocale() {
    if (before_) uselocale(before_);
  }
  Utf8NamesLocale(const Utf8NamesLocale&) = delete;
  Utf8NamesLocale& operator=(const Utf8NamesLocale&) = delete;

 private:
  static locale_t utf8() {
    static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return locale;
  }
  locale_t before_;
};
}  // namespace

std::optional<ArchiveReader::Member> ArchiveReader::next() {
  const Utf8NamesLocale names;
  Io& io = *io_;
  if (io.member_open.load(std::memory_order_acquire))
    io.fail("archive not read further", "the previous member is still being read (its decompression waits for input)");
  if (!io.opened) {
    const int r = archive_read_open1(archive_);
    io.rethrow();
    if (r != ARCHIVE_OK) {
      // Sniffed as an archive, but its bytes end inside the first header (a tar's 512, which
      // libarchive needs to tell the format: it said "Unrecognized archive format", a new
      // user's finding): cut, named as a cut inside a later header is.
      std::array<std::uint8_t, 2> magic{};
      const bool zip = io.copy_recent(0, magic) && magic[0] == 'P' && magic[1] == 'K';
      if (io.eof && io.data_end() < kTarBlockBytes && !zip) {
        io.failed = true;
        util::Error e = io.fault_of("archive ends early", "the file is cut short inside its first header",
                                    io.fault_bytes(), "the archive", 0);
        e.mark_cut();
        throw e;
      }
      io.fail("archive not readable", reason_of(archive_, "not a tar or zip archive"));
    }
    io.opened = true;
  }
  // The last member came whole, the archive's bytes ending right after it: cut there.
  if (!io.cut_after_member.empty()) {
    io.member.clear();
    const std::string reason = std::exchange(io.cut_after_member, {});
    const bool zip = is_zip(archive_);
    const std::uint64_t end = io.data_end();
    io.failed = true;
    util::Error e = io.fault_of(
        "archive ends early",
        zip ? "the file is cut short after a member's data, at its data descriptor or just past it (its CRC "
              "not checked: " +
                  reason + ")"
            : "the file is cut short after a member, inside the padding that ends its last block (no end-of-archive "
              "marker, the zero blocks that end a tar)",
        io.fault_bytes(), "the archive", end);
    e.mark_cut();
    throw e;
  }
  // A tar member's data not read to its end (a member skipped as not DLT data, one whose
  // reading ended early: -m) is passed over here, not inside archive_read_next_header: a
  // cut there is that member's data's, named where the data ends, not a header's.
  if (std::exchange(io.entry, false) && !is_zip(archive_)) {
    const int skipped = archive_read_data_skip(archive_);
    io.rethrow();
    if (skipped != ARCHIVE_OK) {
      io.failed = true;
      const std::uint64_t end = io.data_end();
      // A tar's data has no check: it was cut (libarchive: "Truncated tar archive").
      util::Error e = io.fault_of("archive ends early", "the file is cut short inside a member's data",
                                  io.limits.file ? io.fault_bytes() : end, "the archive", end);
      e.mark_cut();
      throw e;
    }
  }
  ::archive_entry* entry = nullptr;
  const int r = archive_read_next_header(archive_, &entry);
  io.rethrow();
  if (r == ARCHIVE_EOF) {
    // The archive's end marker is not the stream's end: a compressed tar's checksum comes
    // after it, checked only when its decompressor reads to the end (a fault throws).
    // A streamed zip's central directory says which members were links.
    if (is_zip(archive_) && !io.directory_first) {
      io.read_end(static_cast<std::uint64_t>(std::max<la_int64_t>(archive_filter_bytes(archive_, 0), 0)));
    } else if (!io.raw.is_mapped()) {
      while (!io.raw.next_window().empty()) {
      }
    }
    // A tar ends with its end marker, zero blocks, which libarchive reads: one whose bytes
    // end where a header would begin was cut there, after a whole member (a new user's
    // finding: `head -c $((512*N)) x.tar` ended silently, as it does for GNU tar). An
    // archive of zero blocks alone is an empty one, its marker read.
    const la_int64_t header = archive_read_header_position(archive_);
    if (!is_zip(archive_) && header >= 0 && archive_filter_bytes(archive_, 0) <= header) {
      io.member.clear();
      io.failed = true;
      throw io.fault_of(
          "archive ends early",
          "the file is cut short after a member (no end-of-archive marker, the zero blocks that end a tar)",
          io.fault_bytes(), "the archive", static_cast<std::uint64_t>(header));
    }
    return std::nullopt;
  }
  // ARCHIVE_RETRY too: a tar header whose checksum is wrong, which libarchive would pass over
  // to the next header it finds, members and all, without a word.
  // The fault is the header's, not the entry's before it (which may be a link, ignored):
  // the archive is named, with where that header begins in it.
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
    io.member.clear();
    io.failed = true;
    // After a fatal fault (a header cut short) libarchive no longer tells where the header
    // began (ARCHIVE_FATAL, not an offset: the line said byte 0, a new user's finding); it
    // stands there itself, the cut header not consumed (the data before it was passed over
    // above).
    la_int64_t header = archive_read_header_position(archive_);
    if (header < 0) header = archive_filter_bytes(archive_, 0);
    if (!is_zip(archive_) && io.next_tar_header &&
        static_cast<std::uint64_t>(std::max<la_int64_t>(header, 0)) > *io.next_tar_header)
      header = static_cast<la_int64_t>(*io.next_tar_header);
    // The archive's bytes end inside the header (a tar's 512, a zip's local header of 30
    // and its name and extra field): a cut, named as one (libarchive said "Truncated ZIP
    // file header", a corrupt header to the line: a new user's finding).
    const auto at = static_cast<std::uint64_t>(std::max<la_int64_t>(header, 0));
    const std::uint64_t header_most = is_zip(archive_) ? kZipLocalHeaderMost : io.tar_header_most(at);
    if (io.eof && io.data_end() < at + header_most) {
      util::Error e = io.fault_of("archive ends early", "the file is cut short inside a member's header",
                                  io.fault_bytes(), "the archive", at);
      e.mark_cut();
      throw e;
    }
    util::Error header_fault = io.fault_of("archive header corrupt", reason_of(archive_, "corrupt or cut archive"),
                                           io.fault_bytes(), "the archive", at);
    io.throw_compression_fault();
    throw header_fault;
  }
  const char* path = archive_entry_pathname(entry);
  if (path == nullptr) path = archive_entry_pathname_utf8(entry);
  // A tar's hard link is a regular file without data of its own: a link, ignored.
  const bool regular = archive_entry_filetype(entry) == AE_IFREG && archive_entry_hardlink(entry) == nullptr;
  Member member{path ? path : "", regular, archive_entry_is_data_encrypted(entry) != 0,
                static_cast<std::uint64_t>(std::max<la_int64_t>(archive_read_header_position(archive_), 0))};
  io.member = member.path;
  io.entry = true;
  io.sizes_ahead = false;
  // A zip member's offset is its local header's, which libarchive has just read (its header
  // position may lie before it: the previous member's last bytes, not yet consumed).
  if (is_zip(archive_))
    if (const auto local = io.local_header_before(
            static_cast<std::uint64_t>(std::max<la_int64_t>(archive_filter_bytes(archive_, 0), 0)))) {
      member.offset = local->offset;
      io.sizes_ahead = !local->sizes_after;
    }
  io.member_bytes = 0;
  io.size =
      archive_entry_size_is_set(entry)
          ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0)))
          : std::nullopt;
  // Its data begins where libarchive stands, after the header; a sparse file's is shorter
  // than its size says.
  const la_int64_t data_at = archive_filter_bytes(archive_, 0);
  io.next_tar_header.reset();
  if (!is_zip(archive_) && io.size && data_at >= 0 && archive_entry_sparse_count(entry) == 0)
    io.next_tar_header = static_cast<std::uint64_t>(data_at) + (*io.size + 511) / 512 * 512;
  return member;
}

std::unique_ptr<util::ByteSource> ArchiveReader::member_source() {
  return std::make_unique<MemberSource>(archive_, *io_, io_->size);
}

std::uint64_t ArchiveReader::file_bytes() const noexcept { return io_->file_bytes(); }

bool ArchiveReader::failed() const noexcept { return io_->failed; }

const std::vector<std::uint64_t>& ArchiveReader::late_links() const noexcept { return io_->links; }

}  // namespace dltdump::compress
