#include "api/api_error.hpp"

#include <exception>
#include <utility>

#include "util/error.hpp"

namespace dltdump {

Error::Error(Kind kind, std::string input, std::optional<std::uint64_t> offset, const std::string& what)
    : std::runtime_error(what), kind_(kind), input_(std::move(input)), offset_(offset) {}

Error::~Error() = default;

namespace api {

void rethrow_as_api_error(const std::string& input, std::optional<std::uint64_t> offset) {
  try {
    throw;
  } catch (const util::Error& e) {
    switch (e.culprit()) {
      case util::Culprit::Option: throw Error(Error::Kind::argument, {}, std::nullopt, e.what());
      case util::Culprit::Fibex: throw Error(Error::Kind::fibex, e.name(), std::nullopt, e.what());
      case util::Culprit::Internal: throw Error(Error::Kind::internal, input, offset, e.what());
      case util::Culprit::Input:
      case util::Culprit::Output: break;
    }
    throw Error(Error::Kind::input, input, offset, e.what());
  }
}

Error argument_error(const std::string& what) { return Error(Error::Kind::argument, {}, std::nullopt, what); }

}  // namespace api
}  // namespace dltdump
