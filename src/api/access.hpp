// The library's side of the public classes (include/dltdump/): what their private parts
// hold and how the API layer makes and reads them. Nothing here is installed.
#pragma once

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
#include "filter/filter_spec.hpp"

namespace dltdump {

struct Filter::Spec {
  filter::FilterSpec spec;
};

struct Catalogue::Impl {
  dlt::Catalogue catalogue;
  std::vector<std::string> warnings;
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
  static const std::vector<api::MessageBatch::Skip>& skips(const Reader& reader);
};

}  // namespace detail
}  // namespace dltdump
