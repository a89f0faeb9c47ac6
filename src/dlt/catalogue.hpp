// A non-verbose catalogue: the frames of one or more FIBEX files, read-only once built,
// and the lookup that finds the frame of a non-verbose message (dltdump-spec §8.2).
//
// Built once, before decoding, by a CatalogueBuilder (the FIBEX reader, fibex/, feeds it
// file by file); then shared by every decoding thread: find() only reads, allocates
// nothing and takes one hash probe sequence. A Catalogue owns its frames, their arguments
// and texts; the frames (and the views in them) stay valid as long as it lives, also when
// it is moved.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dlt/catalogue_frame.hpp"
#include "dlt/message.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// How messages are matched to frames (the options --nv-multiecu and --nv-noexthdr).
struct CatalogueLookup {
  // A message with a standard-header ECU id looks only among the frames of catalogue
  // files of that ECU; so several ECUs' files may use the same ids.
  bool per_ecu = false;
  // The message id alone selects the frame, also when the message has an extended
  // header (otherwise its application and context ids must match the frame's too).
  bool id_only = false;
};

class Catalogue {
 public:
  Catalogue() = default;  // empty: finds nothing

  // The frame of non-verbose message `m` (its headers parsed, payload of at least 4 bytes;
  // `id` its message id), or null. By the lookup rules: with an extended header (unless
  // id_only) the frame of (application, context, id); otherwise of the id alone, the first
  // one loaded. With per_ecu, a message with an ECU id looks among that ECU's frames only.
  const CatalogueFrame* find(const Message& m, std::uint32_t id) const;

  // Gives non-verbose message `m` (headers parsed) its frame, if the catalogue has one:
  // sets m.frame and the frame's application and context ids in `m` (whether the frame
  // reads the payload, m.frame_decodes, is for check_payload to find out).
  // A payload shorter than 4 bytes has no message id: it gets none.
  void describe(Message& m) const;

  std::size_t frames() const { return frames_.size(); }
  bool empty() const { return frames_.empty(); }
  const CatalogueLookup& lookup() const { return lookup_; }

 private:
  friend class CatalogueBuilder;

  // An index key: a scope (an ECU id's word, or kAnyEcu), the application and context ids'
  // words (both kAnyId for a key of the message id alone) and the message id.
  struct Key {
    std::uint32_t scope = 0, app = 0, ctx = 0, id = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct Slot {
    Key key;
    std::uint32_t frame = 0;  // index + 1; 0: empty
  };
  static constexpr std::uint32_t kAnyEcu = 0xFFFFFFFFu;  // no id's word: its bytes are < 0x80
  static constexpr std::uint32_t kAnyId = 0xFFFFFFFFu;
  static std::size_t hash(const Key& k);
  const Slot* probe(const Key& k) const;

  CatalogueLookup lookup_;
  std::vector<CatalogueFrame> frames_;
  std::vector<CatalogueArg> args_;
  std::unique_ptr<char[]> texts_;
  std::vector<FrameStep> steps_;   // every frame's text plan (CatalogueFrame::steps)
  std::unique_ptr<char[]> leads_;  // their lead texts, kFrameLeadSlack zero bytes after the last
  std::vector<Slot> slots_;        // open addressing, a power of two, at most half full
};

// The lookup is inline: it runs once per non-verbose message.
inline std::size_t Catalogue::hash(const Key& k) {
  // Two 64-bit multiplicative mixes: ids are ASCII words, which a plain xor would cluster.
  const std::uint64_t a = (static_cast<std::uint64_t>(k.scope) << 32 | k.app) * 0x9E3779B97F4A7C15ull;
  const std::uint64_t b = (static_cast<std::uint64_t>(k.ctx) << 32 | k.id) * 0xC2B2AE3D27D4EB4Full;
  const std::uint64_t h = a ^ (b >> 7) ^ (b << 29);
  return static_cast<std::size_t>(h ^ (h >> 31));
}

inline const Catalogue::Slot* Catalogue::probe(const Key& k) const {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash(k) & mask;; at = (at + 1) & mask) {
    const Slot& s = slots_[at];
    if (s.frame == 0) return &s;  // the first empty slot: not there (the table is never full)
    if (s.key == k) return &s;
  }
}

inline const CatalogueFrame* Catalogue::find(const Message& m, std::uint32_t id) const {
  Key k;
  k.scope = lookup_.per_ecu && m.has_ecu ? m.ecu.word() : kAnyEcu;
  const bool by_ids = !lookup_.id_only && m.has_extended;
  k.app = by_ids ? m.app.word() : kAnyId;
  k.ctx = by_ids ? m.ctx.word() : kAnyId;
  k.id = id;
  const Slot* s = probe(k);
  return s && s->frame != 0 ? &frames_[s->frame - 1] : nullptr;
}

inline void Catalogue::describe(Message& m) const {
  if (m.payload.size() < 4) return;
  const CatalogueFrame* f = find(m, nonverbose_message_id(m.payload, m.big_endian));
  if (!f) return;
  m.frame = f;
  m.app = f->app;
  m.ctx = f->ctx;
  m.frame_decodes = false;  // check_payload finds out, in the walk that makes the text
}

// Collects the frames of catalogue files, one file at a time, and indexes them by the
// lookup rules, reporting the frames whose key another frame already has.
class CatalogueBuilder {
 public:
  explicit CatalogueBuilder(CatalogueLookup lookup) { catalogue_.lookup_ = lookup; }

  // A frame whose key an earlier frame has (DuplicateEntry): it is not indexed.
  struct Duplicate {
    std::uint32_t id;
    Id app, ctx, ecu;
  };

  // Starts the frames of a new file.
  void begin_file();
  // Describes an argument of the current file; returns its number for add_frame. `width`:
  // 1, 2, 4 or 8 for the fixed-size types (4 or 8 for Float; another is taken as 8), else
  // 0. `text` (for SignalType::Text) is kept as a line shows it: control characters as
  // '.', bytes that are not UTF-8 as U+FFFD. A signal's `name` and `unit` (other types; empty: none) are
  // kept as given, once per call however many frames use the argument; a name longer than
  // 65535 bytes (more than a DLT VARI name can hold) is dropped.
  std::uint32_t add_arg(SignalType type, std::uint8_t width, std::uint32_t bytes, std::string_view text = {},
                        std::string_view name = {}, std::string_view unit = {});
  // Adds a frame of the current file whose arguments are `args` (numbers add_arg gave
  // in this file), in payload order. `ecu`: the file's ECU id (empty if it names none);
  // `msin`: type and type info as in an MSIN byte.
  void add_frame(std::uint32_t id, Id ecu, Id app, Id ctx, std::uint8_t msin, std::span<const std::uint32_t> args);
  // Ends the current file: its frames are indexed in the order they were added. Returns
  // those that collide with a frame already indexed (by the lookup rules: the same
  // application, context and id — or id alone with id_only — in the same scope).
  std::vector<Duplicate> end_file();

  // The catalogue. The builder is not to be used again.
  Catalogue build();

 private:
  struct PendingArg {
    SignalType type;
    std::uint8_t width;
    std::uint16_t name_size;
    std::uint32_t bytes;
    std::size_t text_at, text_size;
  };
  // Index `frame` under `k`: false if the key is taken (then unchanged).
  bool insert(const Catalogue::Key& k, std::uint32_t frame);
  // Appends frame `f`'s text plan (CatalogueFrame::steps) to `steps` and its lead texts to
  // `leads` (offsets from the frame's first lead).
  static void plan_frame(const CatalogueFrame& f, std::vector<FrameStep>& steps, std::string& leads);
  void grow();

  Catalogue catalogue_;
  std::vector<PendingArg> file_args_;  // the current file's argument descriptions
  std::vector<PendingArg> args_;       // every frame's arguments, in frame order
  std::vector<std::uint32_t> arg_at_;  // per frame: its first argument in args_
  std::string texts_;
  util::TextBuffer shown_;  // a text being made as lines show it
  std::size_t first_frame_of_file_ = 0;
  std::size_t used_slots_ = 0;
};

}  // namespace dltdump::dlt
