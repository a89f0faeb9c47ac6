// The catalogue's lookup in its four modes (dltdump-spec §8.2), and its duplicates.
#include "dlt/catalogue.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "dlt/packet.hpp"

namespace dltdump::dlt {
namespace {

// Two files: ECU E1 with frames 1 (A/C) and 2 (A/D); ECU E2 with frames 1 (B/C) and 3 (A/C).
struct Loaded {
  Catalogue catalogue;
  std::vector<CatalogueBuilder::Duplicate> duplicates;
};
Loaded load(CatalogueLookup lookup, bool same_frame_twice = false) {
  CatalogueBuilder b(lookup);
  Loaded l;
  auto file = [&](const char* ecu, std::vector<std::tuple<std::uint32_t, const char*, const char*>> frames) {
    b.begin_file();
    const std::uint32_t arg = b.add_arg(SignalType::Uint, 1, 1);
    for (auto [id, app, ctx] : frames)
      b.add_frame(id, Id::from_text(ecu), Id::from_text(app), Id::from_text(ctx), 0x40, std::vector{arg});
    for (auto d : b.end_file()) l.duplicates.push_back(d);
  };
  file("E1", {{1, "A", "C"}, {2, "A", "D"}});
  file("E2", {{1, same_frame_twice ? "A" : "B", "C"}, {3, "A", "C"}});
  l.catalogue = b.build();
  return l;
}

// The ECU of the frame a message finds ("-" none): `ecu`/`app`/`ctx` empty = absent.
std::string find(const Catalogue& c, std::uint32_t id, const char* ecu, const char* app, const char* ctx) {
  Message m;
  m.has_ecu = *ecu != 0;
  m.ecu = Id::from_text(ecu);
  m.has_extended = *app != 0;
  m.app = Id::from_text(app);
  m.ctx = Id::from_text(ctx);
  const CatalogueFrame* f = c.find(m, id);
  return f ? std::string(f->ecu.view()) + "/" + std::string(f->app.view()) : "-";
}

TEST(Catalogue, DefaultLookupIsByIdsWithAnExtendedHeaderElseByIdFirstLoaded) {
  const Loaded l = load({});
  EXPECT_TRUE(l.duplicates.empty());
  EXPECT_EQ(find(l.catalogue, 1, "", "A", "C"), "E1/A");
  EXPECT_EQ(find(l.catalogue, 1, "", "B", "C"), "E2/B");
  EXPECT_EQ(find(l.catalogue, 1, "", "X", "C"), "-");     // no fallback to the id alone
  EXPECT_EQ(find(l.catalogue, 1, "", "", ""), "E1/A");    // the first loaded
  EXPECT_EQ(find(l.catalogue, 1, "E2", "", ""), "E1/A");  // the ECU does not count
  EXPECT_EQ(find(l.catalogue, 9, "", "", ""), "-");
}

TEST(Catalogue, IdOnlyIgnoresApplicationAndContext) {
  const Loaded l = load({.per_ecu = false, .id_only = true});
  ASSERT_EQ(l.duplicates.size(), 1u);  // frame 1 of E2
  EXPECT_EQ(l.duplicates[0].id, 1u);
  EXPECT_EQ(l.duplicates[0].ecu, Id::from_text("E2"));
  EXPECT_EQ(find(l.catalogue, 1, "", "X", "Y"), "E1/A");
  EXPECT_EQ(find(l.catalogue, 3, "", "", ""), "E2/A");
}

TEST(Catalogue, PerEcuLooksAmongThatEcusFramesOnly) {
  const Loaded l = load({.per_ecu = true, .id_only = false}, true);
  EXPECT_TRUE(l.duplicates.empty());  // the same (A, C, 1) in two ECUs' files
  EXPECT_EQ(find(l.catalogue, 1, "E2", "A", "C"), "E2/A");
  EXPECT_EQ(find(l.catalogue, 1, "E1", "A", "C"), "E1/A");
  EXPECT_EQ(find(l.catalogue, 3, "E1", "A", "C"), "-");  // not E1's
  EXPECT_EQ(find(l.catalogue, 1, "E9", "A", "C"), "-");
  EXPECT_EQ(find(l.catalogue, 1, "E2", "", ""), "E2/A");  // id alone within the ECU
  EXPECT_EQ(find(l.catalogue, 1, "", "A", "C"), "E1/A");  // no ECU: over all, the first
  EXPECT_EQ(find(l.catalogue, 3, "", "", ""), "E2/A");
}

TEST(Catalogue, PerEcuAndIdOnly) {
  const Loaded l = load({.per_ecu = true, .id_only = true});
  EXPECT_TRUE(l.duplicates.empty());
  EXPECT_EQ(find(l.catalogue, 1, "E2", "X", "Y"), "E2/B");
  EXPECT_EQ(find(l.catalogue, 2, "E2", "", ""), "-");
  EXPECT_EQ(find(l.catalogue, 1, "", "X", "Y"), "E1/A");
}

TEST(Catalogue, DuplicatesWithinOneEcuAreReportedInEveryMode) {
  for (bool per_ecu : {false, true}) {
    for (bool id_only : {false, true}) {
      CatalogueBuilder b({per_ecu, id_only});
      b.begin_file();
      b.add_frame(1, Id::from_text("E"), Id::from_text("A"), Id::from_text("C"), 0x40, {});
      b.add_frame(1, Id::from_text("E"), Id::from_text("A"), Id::from_text("C"), 0x40, {});
      EXPECT_EQ(b.end_file().size(), 1u) << per_ecu << id_only;
    }
  }
}

TEST(Catalogue, ManyFramesStayFindable) {
  CatalogueBuilder b({});
  b.begin_file();
  for (std::uint32_t id = 0; id < 100000; ++id) b.add_frame(id, Id{}, Id::from_text("A"), Id::from_text("C"), 0x40, {});
  EXPECT_TRUE(b.end_file().empty());
  const Catalogue c = b.build();
  for (std::uint32_t id = 0; id < 100000; id += 997) EXPECT_EQ(find(c, id, "", "A", "C"), "/A");
  EXPECT_EQ(find(c, 100000, "", "A", "C"), "-");
}

}  // namespace
}  // namespace dltdump::dlt
