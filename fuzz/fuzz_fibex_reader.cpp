// Fuzz target: the FIBEX reader on arbitrary documents (truncated XML, wrong references,
// huge lengths, deep nesting, odd namespaces). The first byte picks the lookup options;
// the rest is read as a FIBEX file, twice (the second time every frame collides), and the
// catalogue built. It may warn or refuse (util::Error), never crash, leak or hang; every
// warning names a place inside the document.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "fibex/fibex_reader.hpp"
#include "util/error.hpp"

using namespace dltdump;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  dlt::CatalogueLookup lookup;
  lookup.per_ecu = data[0] & 1;
  lookup.id_only = data[0] & 2;
  const std::string_view doc(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t lines = 1;  // line ends as XML counts them: LF, CR LF, a lone CR
  for (std::size_t i = 0; i < doc.size(); ++i)
    lines += doc[i] == '\n' || (doc[i] == '\r' && (i + 1 == doc.size() || doc[i + 1] != '\n'));
  dlt::CatalogueBuilder builder(lookup);
  std::vector<fibex::Warning> warnings;
  try {
    fibex::read_document("a.xml", doc, builder, warnings);
    fibex::read_document("b.xml", doc, builder, warnings);
  } catch (const util::Error& e) {
    if (e.exit_code() != util::ExitCode::FibexError) std::abort();
  }
  for (const fibex::Warning& w : warnings) {
    if (w.name != "DuplicateEntry" && (w.line < 1 || w.line > lines || w.column < 1)) std::abort();
    if (w.text().find('\n') != std::string::npos) std::abort();
  }
  const dlt::Catalogue catalogue = builder.build();
  (void)catalogue.frames();
  return 0;
}
