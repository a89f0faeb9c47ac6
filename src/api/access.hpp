// The library's side of the public classes (include/dltdump/): what their private parts
// hold and how the API layer makes and reads them. Nothing here is installed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/message_batch.hpp"
#include "dlt/catalogue.hpp"
#include "dlt/message.hpp"
#include "dlt/verbose_argument.hpp"
#include "dltdump/argument.hpp"
#include "dltdump/catalogue.hpp"
#include "dltdump/filter.hpp"
#include "dltdump/message.hpp"
#include "dltdump/reader.hpp"
#include "dltdump/writer.hpp"
#include "filter/filter_spec.hpp"

namespace dltdump {

struct Filter::Spec {
  filter::FilterSpec spec;
};

struct Catalogue::Impl {
  dlt::Catalogue catalogue;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
};

namespace detail {

struct Access {
  static Message message(const dlt::Message& record) {
    Message m;
    m.record_ = &record;
    return m;
  }
  static bool has_record(const Message& m) { return m.record_ != nullptr; }
  static const dlt::Message& record(const Message& m) { return *static_cast<const dlt::Message*>(m.record_); }
  static Argument argument(const dlt::VerboseArgument& a);
  static dlt::VerboseArgument argument(const Argument& a);
  static const filter::FilterSpec& spec(const Filter& f) {
    static const filter::FilterSpec kNone;
    return f.spec_ ? f.spec_->spec : kNone;  // a moved-from Filter passes everything
  }
  static const dlt::Catalogue* catalogue(const std::optional<Catalogue>& c) {
    return c ? &c->impl_->catalogue : nullptr;
  }
  // The skip records of `reader`'s last step (api/message_batch.hpp; none for a moved-from
  // Reader). Defined in reader.cpp, where the Reader's Impl is known.
  static const std::vector<api::MessageBatch::Skip>& skips_of(const Reader& reader);
  // `reader`'s number among the process's Readers (from 1; 0 for a moved-from one).
  static std::uint64_t serial(const Reader& reader);
  // Writes, through `w`, the messages of `batch` (the last step of `reader`) from index
  // `from` on and the step's skipped regions after `from` of its messages, then all the
  // steps `reader` has left, as Writer::write_all (which is write_rest of no batch).
  // Returns how many messages. Defined in writer.cpp.
  // `go_on` (may be null): asked before each step; false stops there.
  static std::uint64_t write_rest(Writer& w, Reader& reader, std::span<const Message> batch, std::size_t from,
                                  const std::function<bool()>* go_on = nullptr);
};

}  // namespace detail
}  // namespace dltdump
