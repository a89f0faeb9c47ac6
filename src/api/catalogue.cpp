#include <utility>

#include "api/access.hpp"
#include "api/api_error.hpp"
#include "fibex/fibex_reader.hpp"

namespace dltdump {

Catalogue::Catalogue(const std::vector<std::string>& paths, CatalogueLookup lookup) {
  try {
    for (const std::string& path : paths) api::check_name(path, Error::Kind::fibex);
    fibex::Catalogue read = fibex::read_catalogue(paths, {lookup.per_ecu, lookup.id_only});
    auto impl = std::make_shared<Impl>(Impl{std::move(read.catalogue), {}, std::move(read.notes)});
    for (const auto& w : read.warnings) impl->warnings.push_back(w.text());
    impl_ = std::move(impl);
  } catch (...) {
    api::rethrow_as_api_error(paths.empty() ? std::string() : paths.front(), std::nullopt);
  }
}

const std::vector<std::string>& Catalogue::warnings() const noexcept { return impl_->warnings; }
const std::vector<std::string>& Catalogue::notes() const noexcept { return impl_->notes; }

}  // namespace dltdump
