#include "dlt/catalogue.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "dlt/catalogue_payload.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/text_encoding.hpp"

namespace dltdump::dlt {

namespace {
// The types whose value is a fixed number (`width`) of bytes.
bool is_fixed(SignalType t) {
  return t == SignalType::Bool || t == SignalType::Sint || t == SignalType::Uint || t == SignalType::Hex ||
         t == SignalType::Bin || t == SignalType::Float;
}
}  // namespace

void CatalogueBuilder::begin_file() {
  file_args_.clear();
  first_frame_of_file_ = catalogue_.frames_.size();
}

// Every frame holds a copy of each of its arguments: a signal's name and unit share the
// argument's one view (CatalogueArg::name_size splits it), so they cost no size here.
static_assert(sizeof(void*) != 8 || sizeof(CatalogueArg) == 24);

std::uint32_t CatalogueBuilder::add_arg(SignalType type, std::uint8_t width, std::uint32_t bytes, std::string_view text,
                                        std::string_view name, std::string_view unit) {
  // A width outside the contract is read as 8 bytes (util::load_width's rule), so that the
  // frame's needs (never_fits) and its text plan agree on the bytes a value reads.
  if (type == SignalType::Float ? width != 4 && width != 8
                                : is_fixed(type) && width != 1 && width != 2 && width != 4 && width != 8)
    width = 8;
  if (type != SignalType::Text) {
    // A name and unit as given: the JSON records escape what they must.
    if (name.size() > 0xFFFF) name = {};
    file_args_.push_back(
        {type, width, static_cast<std::uint16_t>(name.size()), bytes, texts_.size(), name.size() + unit.size()});
    texts_.append(name);
    texts_.append(unit);
    return static_cast<std::uint32_t>(file_args_.size() - 1);
  }
  // Kept as the line shows it (controls as '.', invalid UTF-8 as U+FFFD): a static text is
  // copied into each line as it is, not decoded again.
  shown_.clear();
  append_utf8(shown_, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  file_args_.push_back({type, width, 0, bytes, texts_.size(), shown_.size()});
  texts_.append(shown_.view());
  return static_cast<std::uint32_t>(file_args_.size() - 1);
}

void CatalogueBuilder::add_frame(std::uint32_t id, Id ecu, Id app, Id ctx, std::uint8_t msin,
                                 std::span<const std::uint32_t> args) {
  CatalogueFrame f;
  f.id = id;
  f.ecu = ecu;
  f.app = app;
  f.ctx = ctx;
  f.msin = msin;
  f.arg_count = static_cast<std::uint32_t>(args.size());
  arg_at_.push_back(static_cast<std::uint32_t>(args_.size()));
  for (std::uint32_t a : args) args_.push_back(file_args_.at(a));
  catalogue_.frames_.push_back(f);
}

void CatalogueBuilder::grow() {
  std::vector<Catalogue::Slot> old = std::move(catalogue_.slots_);
  catalogue_.slots_.assign(old.empty() ? 1024 : 2 * old.size(), Catalogue::Slot{});
  const std::size_t mask = catalogue_.slots_.size() - 1;
  for (const Catalogue::Slot& s : old) {
    if (s.frame == 0) continue;
    std::size_t at = Catalogue::hash(s.key) & mask;
    while (catalogue_.slots_[at].frame != 0) at = (at + 1) & mask;
    catalogue_.slots_[at] = s;
  }
}

bool CatalogueBuilder::insert(const Catalogue::Key& k, std::uint32_t frame) {
  if (2 * (used_slots_ + 1) > catalogue_.slots_.size()) grow();
  // probe() returns a slot of the table itself: const only because find() is.
  auto* s = const_cast<Catalogue::Slot*>(catalogue_.probe(k));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  if (s->frame != 0) return false;
  s->key = k;
  s->frame = frame + 1;
  ++used_slots_;
  return true;
}

std::vector<CatalogueBuilder::Duplicate> CatalogueBuilder::end_file() {
  using Key = Catalogue::Key;
  constexpr std::uint32_t kAll = Catalogue::kAnyEcu, kAny = Catalogue::kAnyId;
  const CatalogueLookup& l = catalogue_.lookup_;
  std::vector<Duplicate> duplicates;
  for (std::size_t i = first_frame_of_file_; i < catalogue_.frames_.size(); ++i) {
    const CatalogueFrame& f = catalogue_.frames_[i];
    const auto n = static_cast<std::uint32_t>(i);
    const Key full_any{kAll, f.app.word(), f.ctx.word(), f.id}, id_any{kAll, kAny, kAny, f.id};
    // The key that must be unique: per ECU (if the file names one) with per_ecu; by
    // (application, context, id), or id alone with id_only. The others: the first wins.
    const bool scoped = l.per_ecu && !f.ecu.empty();
    const std::uint32_t scope = scoped ? f.ecu.word() : kAll;
    const Key unique = l.id_only ? Key{scope, kAny, kAny, f.id} : Key{scope, f.app.word(), f.ctx.word(), f.id};
    if (!insert(unique, n)) {
      duplicates.push_back({f.id, f.app, f.ctx, f.ecu});
      continue;
    }
    if (!l.id_only) insert(Key{scope, kAny, kAny, f.id}, n);
    if (scoped) {
      if (!l.id_only) insert(full_any, n);
      insert(id_any, n);
    }
  }
  return duplicates;
}

namespace {

// The op of a fixed-size value of `width` bytes among the four of its type from `first`
// (widths 1, 2, 4, 8 in that order).
StepOp by_width(StepOp first, unsigned width) {
  const unsigned k = width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : 3;
  return static_cast<StepOp>(static_cast<unsigned>(first) + k);
}

// What a line shows of the length of an unknown type's bytes: `(<length>)`, in lowercase
// hexadecimal of at least two digits (as catalogue_payload.cpp's walk writes it).
void append_length(std::string& out, std::size_t n) {
  std::array<char, 16> digits;
  out += '(';
  out += unknown_length_text(n, digits);
  out += ')';
}

}  // namespace

void CatalogueBuilder::plan_frame(const CatalogueFrame& f, std::vector<FrameStep>& steps, std::string& leads) {
  const std::size_t base = leads.size();
  std::size_t lead_at = base;
  leads += '[';
  leads += std::to_string(f.id);
  leads += "] ";
  auto step = [&](StepOp op, std::uint32_t bytes) {
    steps.push_back(
        {static_cast<std::uint32_t>(lead_at - base), static_cast<std::uint32_t>(leads.size() - lead_at), bytes, op});
    lead_at = leads.size();
  };
  for (std::uint32_t i = 0; i < f.arg_count; ++i) {
    const CatalogueArg& a = f.args[i];
    if (i > 0) leads += ' ';
    switch (a.type) {
      case SignalType::Text: leads += a.text; break;
      case SignalType::Bool: step(StepOp::Bool, a.bytes); break;
      case SignalType::Sint: step(by_width(StepOp::Sint1, a.width), a.bytes); break;
      case SignalType::Uint: step(by_width(StepOp::Uint1, a.width), a.bytes); break;
      case SignalType::Hex:
        leads += "0x";
        step(by_width(StepOp::Hex1, a.width), a.bytes);
        break;
      case SignalType::Bin:
        leads += "0b";
        step(by_width(StepOp::Bin1, a.width), a.bytes);
        break;
      case SignalType::Float: step(a.width == 4 ? StepOp::Float4 : StepOp::Float8, a.bytes); break;
      case SignalType::Raw: step(StepOp::Raw, 0); break;
      case SignalType::Ascii: step(StepOp::Ascii, 0); break;
      case SignalType::Utf8: step(StepOp::Utf8, 0); break;
      case SignalType::Unknown:
        if (a.bytes == 0) {
          step(StepOp::Counted, 0);
        } else {
          append_length(leads, a.bytes);
          leads += ' ';
          step(StepOp::Bytes, a.bytes);
        }
        break;
    }
  }
  step(StepOp::End, 0);
}

Catalogue CatalogueBuilder::build() {
  Catalogue& c = catalogue_;
  c.texts_ = std::make_unique<char[]>(texts_.size() + 1);
  std::memcpy(c.texts_.get(), texts_.data(), texts_.size());
  c.args_.reserve(args_.size());
  for (const PendingArg& a : args_)
    c.args_.push_back(
        {a.type, a.width, a.name_size, a.bytes, std::string_view(c.texts_.get() + a.text_at, a.text_size)});
  for (std::size_t i = 0; i < c.frames_.size(); ++i) {
    CatalogueFrame& f = c.frames_[i];
    f.args = c.args_.data() + arg_at_[i];
    std::uint64_t least = 0;
    for (std::uint32_t k = 0; k < f.arg_count; ++k) {
      const CatalogueArg& a = f.args[k];
      const bool fixed = a.type != SignalType::Text && a.width > 0;
      const bool by_length = a.type == SignalType::Raw || a.type == SignalType::Ascii || a.type == SignalType::Utf8 ||
                             (a.type == SignalType::Unknown && a.bytes == 0);
      if (fixed && a.bytes < a.width) f.never_fits = true;
      if (by_length) {
        f.counted = true;
        least += 2;
      } else if (a.type != SignalType::Text) {
        least += a.bytes;
      }
    }
    // A packet is at most 64 KiB: a frame that needs more never fits.
    if (least > kMaxPacketBytes) f.never_fits = true;
    f.least_bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(least, kMaxPacketBytes + 1));
  }
  // The text plans, once every frame's arguments are in place (a frame that never fits has
  // one too: it is never walked).
  std::string leads;
  std::vector<std::size_t> step_at(c.frames_.size()), lead_at(c.frames_.size());
  c.steps_.reserve(c.args_.size() + c.frames_.size());
  for (std::size_t i = 0; i < c.frames_.size(); ++i) {
    step_at[i] = c.steps_.size();
    lead_at[i] = leads.size();
    plan_frame(c.frames_[i], c.steps_, leads);
  }
  c.leads_ = std::make_unique<char[]>(leads.size() + kFrameLeadSlack);  // zeroed: the slack too
  std::memcpy(c.leads_.get(), leads.data(), leads.size());
  for (std::size_t i = 0; i < c.frames_.size(); ++i) {
    c.frames_[i].steps = c.steps_.data() + step_at[i];
    c.frames_[i].leads = c.leads_.get() + lead_at[i];
  }
  return std::move(catalogue_);
}

}  // namespace dltdump::dlt
