#include "input/archive_input.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace dltdump::input {

ArchiveInput::ArchiveInput(SniffedInput archive, const std::string& name, const std::string& shown)
    : shown_(shown), limits_(archive.limits), regular_(archive.file.from_regular_file()),
      reader_(std::move(archive.file), name, shown, archive.limits) {}

std::optional<ArchiveInput::Member> ArchiveInput::next() {
  while (auto entry = reader_.next()) {
    if (!entry->regular) continue;
    std::string name = compress::member_name(shown_, entry->path);
    if (entry->encrypted) {
      ++encrypted_;
      skip(std::move(name), "encrypted", entry->offset);
      continue;
    }
    std::unique_ptr<util::ByteSource> source = reader_.member_source();
    compress::Limits limits = limits_;
    // A compressed member's layers count the archive file's bytes, as nested layers do,
    // and name the member's own offsets in their faults.
    limits.file = source.get();
    limits.offsets = nullptr;
    util::InputFile file = util::InputFile::from_source(std::move(source), name, {}, regular_);
    std::optional<SniffedInput> member;
    try {
      member.emplace(sniff_layers(std::move(file), name, InputFormat::Automatic, limits));
    } catch (const util::Error& e) {
      if (!e.ends_input_only()) throw;
      // A fault of the archive found in this member's data (a tar cut inside it) is
      // named after the member, as when it is found while the member is decoded.
      return Member{std::nullopt, std::move(name), e, reader_.failed()};
    }
    if (member->content == Content::Unknown || is_compressed(member->content)) {
      ++skipped_;  // not DLT data: text, another archive, lz4, nothing recognised
      const bool empty = member->content == Content::Unknown && member->file.head(1).empty();
      if (member->content == Content::Unknown && !empty) unrecognised_.push_back(entry->offset);
      skip(std::move(name), empty ? "empty" : describe(member->content), entry->offset);
      continue;
    }
    return Member{std::move(member), std::move(name), std::nullopt};
  }
  forget_links();
  return std::nullopt;
}

void ArchiveInput::skip(std::string name, std::string reason, std::uint64_t offset) {
  auto known = std::find_if(reasons_.begin(), reasons_.end(), [&](const SkipReason& r) { return r.reason == reason; });
  if (known == reasons_.end()) known = reasons_.insert(reasons_.end(), {reason, 0});
  ++known->members;
  if (listed_.size() < kListedSkips) listed_.push_back({std::move(name), std::move(reason), offset});
  else ++not_listed_;
}

void ArchiveInput::forget_links() {
  // A link's data is its target's path: it was skipped as unrecognised data (a path is
  // never DLT data, nor empty).
  const std::string reason = describe(Content::Unknown);
  std::sort(unrecognised_.begin(), unrecognised_.end());  // already so: a stream's members come in order
  std::vector<std::uint64_t> links = reader_.late_links();
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  for (const std::uint64_t link : links) {
    if (!std::binary_search(unrecognised_.begin(), unrecognised_.end(), link)) continue;
    --skipped_;
    const auto known =
        std::find_if(reasons_.begin(), reasons_.end(), [&](const SkipReason& r) { return r.reason == reason; });
    if (known != reasons_.end() && --known->members == 0) reasons_.erase(known);
    const auto listed = std::find_if(listed_.begin(), listed_.end(),
                                     [&](const SkippedMember& m) { return m.offset == link && m.reason == reason; });
    // One listed after it, then not listed for want of room, is not named now: the list
    // keeps the names it has (the count of those not listed stays exact).
    if (listed != listed_.end()) listed_.erase(listed);
    else --not_listed_;
  }
  unrecognised_.clear();
}

std::string skipped_members_line(const std::string& name, const ArchiveInput& archive) {
  std::string line;
  auto add = [&](std::uint64_t n, const char* why) {
    if (n == 0) return;
    line += (line.empty() ? name + ": " : std::string(", ")) + std::to_string(n) +
            (n == 1 ? " archive member" : " archive members") + " skipped (" + why + ")";
  };
  add(archive.skipped(), "not DLT data");
  add(archive.encrypted(), "encrypted");
  return line;
}

}  // namespace dltdump::input
