// The FIBEX reader: the shared catalogues load as dltdump-spec §8.1 says, every warning
// is found where it is, and the lines of messages decoded by a catalogue read from XML.
#include "fibex/fibex_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dlt/catalogue_payload.hpp"
#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "util/error.hpp"

namespace dltdump::fibex {
namespace {

const std::string kShared = DLTDUMP_SHARED_DATA "/fibex/";

std::vector<std::string> names(const std::vector<Warning>& ws) {
  std::vector<std::string> v;
  for (const auto& w : ws) v.push_back(w.name + "@" + std::to_string(w.line) + ":" + std::to_string(w.column));
  return v;
}

TEST(FibexShared, TheThreeCataloguesLoadAsTheSpecSays) {
  if (!std::filesystem::exists(kShared + "fibex-tcb.xml")) GTEST_SKIP() << "../shared/data/fibex is absent";
  const std::vector<std::string> one{kShared + "fibex-tcb.xml"};
  Catalogue c = read_catalogue(one, {});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.catalogue.frames(), 5u);

  const std::vector<std::string> bad{kShared + "fibex-tcb-error-pduid.xml"};
  c = read_catalogue(bad, {});
  // <fx:PDU ID=""> on line 74 (name at column 14), and the frame that refers to the PDU
  // that was dropped, line 218.
  EXPECT_EQ(names(c.warnings), (std::vector<std::string>{"PduIdMissing@74:14", "FramePduRefIdUnknown@218:26"}));
  EXPECT_EQ(c.warnings[0].text(), "[" + bad[0] + "] PduIdMissing : XML Line 74 Pos 14");

  const std::vector<std::string> two{kShared + "fibex-tcb.xml", kShared + "fibex-tcb2.xml"};
  c = read_catalogue(two, {});
  ASSERT_EQ(c.warnings.size(), 5u);  // each frame of the second ECU's file
  EXPECT_EQ(c.warnings[0].text(), "[" + two[1] + "] DuplicateEntry : ID_10 [TEST CON1 TCB2]");
  c = read_catalogue(two, {.per_ecu = true, .id_only = false});
  EXPECT_TRUE(c.warnings.empty());
  c = read_catalogue(two, {.per_ecu = true, .id_only = true});
  EXPECT_TRUE(c.warnings.empty());
  c = read_catalogue(two, {.per_ecu = false, .id_only = true});
  EXPECT_EQ(c.warnings.size(), 5u);
}

TEST(FibexShared, ADirectoryIsItsXmlFilesInNameOrder) {
  if (!std::filesystem::exists(kShared + "fibex-tcb.xml")) GTEST_SKIP() << "../shared/data/fibex is absent";
  const std::vector<std::string> dir{kShared};
  const Catalogue c = read_catalogue(dir, {.per_ecu = true, .id_only = false});
  // fibex-tcb-error-pduid.xml first: its ECU TCB then collides with fibex-tcb.xml's.
  ASSERT_GE(c.warnings.size(), 3u);
  EXPECT_EQ(c.warnings[0].name, "PduIdMissing");
  EXPECT_EQ(c.warnings[2].name, "DuplicateEntry");
  EXPECT_NE(c.warnings[2].file.find("fibex-tcb.xml"), std::string::npos);
}

TEST(FibexReader, PathsThatAreNotCataloguesAreOneError) {
  auto code = [](const std::string& path) {
    const std::vector<std::string> p{path};
    try {
      read_catalogue(p, {});
    } catch (const util::Error& e) {
      EXPECT_EQ(e.exit_code(), util::ExitCode::FibexError);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(code("/nonexistent/x.xml"), "Problem when loading FIBEX files: Fibex File not Found /nonexistent/x.xml");
  const auto empty = std::filesystem::temp_directory_path() / "dltdump-fibex-empty";
  std::filesystem::create_directories(empty);
  EXPECT_NE(code(empty.string()).find("no *.xml file in directory"), std::string::npos);
}

// A document of the shape FIBEX files have, with `ecus`, `pdus` and `frames` inside.
std::string doc(const std::string& ecus, const std::string& pdus, const std::string& frames) {
  return "<?xml version=\"1.0\"?>\n<fx:FIBEX xmlns:fx=\"http://www.asam.net/xml/fbx\" "
         "xmlns:ho=\"http://www.asam.net/xml\">\n<fx:ELEMENTS>\n<fx:ECUS>" +
         ecus + "</fx:ECUS>\n<fx:PDUS>\n" + pdus + "</fx:PDUS>\n<fx:FRAMES>\n" + frames +
         "</fx:FRAMES>\n</fx:ELEMENTS>\n</fx:FIBEX>\n";
}
std::string pdu(const std::string& id, const std::string& type, int bytes = 4) {
  return "<fx:PDU ID=\"" + id + "\"><fx:BYTE-LENGTH>" + std::to_string(bytes) +
         "</fx:BYTE-LENGTH><fx:SIGNAL-INSTANCES><fx:SIGNAL-INSTANCE><fx:SIGNAL-REF ID-REF=\"" + type +
         "\"/></fx:SIGNAL-INSTANCE></fx:SIGNAL-INSTANCES></fx:PDU>\n";
}
std::string text_pdu(const std::string& id, const std::string& text) {
  return "<fx:PDU ID=\"" + id + "\"><ho:DESC>" + text + "</ho:DESC><fx:BYTE-LENGTH>0</fx:BYTE-LENGTH></fx:PDU>\n";
}
std::string frame(const std::string& id, const std::vector<std::string>& pdus, const std::string& ext = "") {
  std::string s = "<fx:FRAME ID=\"" + id + "\"><fx:PDU-INSTANCES>";
  for (const auto& p : pdus) s += "<fx:PDU-INSTANCE><fx:PDU-REF ID-REF=\"" + p + "\"/></fx:PDU-INSTANCE>";
  s += "</fx:PDU-INSTANCES><fx:MANUFACTURER-EXTENSION>" +
       (ext.empty() ? "<MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
                      "<APPLICATION_ID>APP1</APPLICATION_ID><CONTEXT_ID>CTX1</CONTEXT_ID>"
                    : ext) +
       "</fx:MANUFACTURER-EXTENSION></fx:FRAME>\n";
  return s;
}
const std::string kEcu = "<fx:ECU ID=\"ECU1\"/>";

std::vector<std::string> warnings_of(const std::string& document, dlt::CatalogueLookup lookup = {}) {
  dlt::CatalogueBuilder b(lookup);
  std::vector<Warning> ws;
  read_document("t.xml", document, b, ws);
  std::vector<std::string> v;
  for (const auto& w : ws) v.push_back(w.name);
  return v;
}

using V = std::vector<std::string>;

TEST(FibexReader, EveryWarningOfTheSpec) {
  const std::string ok = pdu("P1", "S_UINT32");
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("ID_1", {"P1"}))), V{});
  EXPECT_EQ(warnings_of(doc("<fx:ECU ID=\" \"/>", ok, frame("ID_1", {"P1"}))), V{"EcuIdMissing"});
  EXPECT_EQ(warnings_of(doc(kEcu + "<fx:ECU ID=\"ECU2\"/>", ok, frame("ID_1", {"P1"}))), V{"EcusMultipleDefined"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok + pdu("P1", "S_UINT8"), frame("ID_1", {"P1"}))), V{"PduIdDuplicate"});
  EXPECT_EQ(warnings_of(doc(kEcu, pdu("", "S_UINT8"), "")), V{"PduIdMissing"});
  EXPECT_EQ(
      warnings_of(doc(kEcu, "<fx:PDU ID=\"P\"><fx:BYTE-LENGTH>-1</fx:BYTE-LENGTH><ho:DESC>x</ho:DESC></fx:PDU>", "")),
      V{"PduInvalidByteLength"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("ID_1", {"P1"}) + frame("ID_1", {"P1"}))), V{"FrameIdDuplicate"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("", {"P1"}))), V{"FrameIdMissing"});
  EXPECT_EQ(warnings_of(doc(
                kEcu, ok, frame("ID_", {"P1"}) + frame("X_12", {}) + frame("ID_1x", {}) + frame("ID_4294967296", {}))),
            (V{"FrameIdInvalid", "FrameIdInvalid", "FrameIdInvalid", "FrameIdInvalid"}));
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("ID_1", {""}))), V{"FramePduRefIdMissing"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("ID_1", {"P9"}))), V{"FramePduRefIdUnknown"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok, frame("ID_1", {"P1"}, "<MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE>"))),
            (V{"FrameApplicationIdMissing", "FrameContextIdMissing", "FrameMessageInfoMissing"}));
  EXPECT_EQ(warnings_of(doc(kEcu, ok,
                            frame("ID_1", {"P1"},
                                  "<MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO><APPLICATION_ID>A</APPLICATION_ID>"
                                  "<CONTEXT_ID>C</CONTEXT_ID>"))),
            V{"FrameMessageTypeMissing"});
  EXPECT_EQ(warnings_of(doc(kEcu, ok,
                            frame("ID_1", {"P1"},
                                  "<MESSAGE_TYPE>DLT_TYPE_X</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
                                  "<APPLICATION_ID>A</APPLICATION_ID><CONTEXT_ID>C</CONTEXT_ID>"))),
            V{"FrameMessageTypeInvalid"});
  EXPECT_EQ(warnings_of(doc(kEcu, "<fx:PDU ID=\"P\"><fx:BYTE-LENGTH>1</fx:BYTE-LENGTH></fx:PDU>", "")),
            V{"MissingSignalIdRef"});
  EXPECT_EQ(
      warnings_of(doc(kEcu,
                      "<fx:PDU ID=\"P\"><fx:SIGNAL-INSTANCES><fx:SIGNAL-INSTANCE><fx:SIGNAL-REF ID-REF=\"S_UINT8\"/>"
                      "<fx:SIGNAL-REF ID-REF=\"S_UINT8\"/></fx:SIGNAL-INSTANCE></fx:SIGNAL-INSTANCES></fx:PDU>",
                      "")),
      V{"MultipleSignalsInPduDefined"});
  // The ECU after frames: the elements' document order matters.
  const std::string late =
      "<?xml version=\"1.0\"?><fx:FIBEX xmlns:fx=\"http://www.asam.net/xml/fbx\"><fx:ELEMENTS>"
      "<fx:PDUS>" +
      ok + "</fx:PDUS><fx:FRAMES>" + frame("ID_1", {"P1"}) + "</fx:FRAMES><fx:ECUS>" + kEcu +
      "</fx:ECUS></fx:ELEMENTS></fx:FIBEX>";
  EXPECT_EQ(warnings_of(late), V{"EcuIdMustBeBeforeFrames"});
  // Ids a DLT header cannot carry (dltdump's own warnings).
  EXPECT_EQ(warnings_of(doc("<fx:ECU ID=\"ECU_MAIN\"/>", ok,
                            frame("ID_1", {"P1"},
                                  "<MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
                                  "<APPLICATION_ID>APPLICATION</APPLICATION_ID><CONTEXT_ID>C\tX</CONTEXT_ID>"))),
            (V{"EcuIdInvalid", "FrameApplicationIdInvalid", "FrameContextIdInvalid"}));
  // The same frame twice in one catalogue, from two files.
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("a.xml", doc(kEcu, ok, frame("ID_1", {"P1"})), b, ws);
  read_document("b.xml", doc("<fx:ECU ID=\"ECU2\"/>", ok, frame("ID_1", {"P1"})), b, ws);
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].text(), "[b.xml] DuplicateEntry : ID_1 [APP1 CTX1 ECU2]");
}

TEST(FibexReader, WarningsAtTheEndOfAnElementNameItsEndTag) {
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  const std::string d =
      doc(kEcu, pdu("P1", "S_UINT8"), "<fx:FRAME ID=\"ID_1\">\n  <fx:PDU-INSTANCES/>\n    </fx:FRAME>\n");
  read_document("t.xml", d, b, ws);
  ASSERT_EQ(ws.size(), 4u);  // application, context, type and info missing
  const std::size_t end_line = 1 + std::count(d.begin(), d.begin() + d.find("</fx:FRAME>"), '\n');
  EXPECT_EQ(ws[0].line, end_line);
  EXPECT_EQ(ws[0].column, 7u);  // the name after "    </"
}

TEST(FibexReader, MalformedXmlIsOneErrorWithItsPlace) {
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  try {
    read_document("t.xml", "<a>\n<b></a>", b, ws);
    FAIL();
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::FibexError);
    EXPECT_NE(std::string(e.what()).find("t.xml: not well-formed XML at XML Line 2"), std::string::npos) << e.what();
  }
}

std::string decode(const dlt::Catalogue& c, const std::vector<std::uint8_t>& stream);
std::vector<std::uint8_t> nv(std::uint32_t id, const std::vector<std::uint8_t>& payload, bool be = false);

// The fault of reading `document`, or "" if it is read.
std::string fault_of(const std::string& document) {
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  try {
    read_document("t.xml", document, b, ws);
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::FibexError);
    return e.what();
  }
  return "";
}

TEST(FibexReader, WhatNoXmlReaderTakesIsRefusedAtItsPlace) {
  using namespace std::string_literals;
  const std::string good = doc(kEcu, text_pdu("P", "Free size:"), frame("ID_1", {"P"}));
  EXPECT_EQ(fault_of(good), "");
  std::string nul = good;
  nul[nul.find("Free size:") + 4] = '\0';
  EXPECT_NE(fault_of(nul).find("t.xml: a NUL byte at XML Line 6 Pos 29 "), std::string::npos) << fault_of(nul);
  EXPECT_NE(fault_of("\0\0\0\0binary"s).find("not XML"), std::string::npos);
  EXPECT_NE(fault_of("garbage <x/>").find("t.xml: not XML (XML Line 1 Pos 1"), std::string::npos);
  std::string latin = good;
  latin.replace(latin.find("Free"), 4,
                "Fr\xE9"
                "e");
  EXPECT_NE(fault_of(latin).find("t.xml: not UTF-8 at XML Line 6 Pos 27 "), std::string::npos) << fault_of(latin);
  EXPECT_NE(
      fault_of("<?xml version=\"1.0\" encoding=\"NO-SUCH-CODE\"?><a/>").find("encoding 'NO-SUCH-CODE' is not known"),
      std::string::npos);
  const std::string dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE f [<!ENTITY d \"x\">]>\n<f>&d;</f>";
  EXPECT_NE(fault_of(dtd).find("a DOCTYPE at XML Line 2 Pos"), std::string::npos) << fault_of(dtd);
}

// A directory's hidden files are no catalogue; a file given twice (by any name, or also
// through its directory) is read once, with a note and no DuplicateEntry.
TEST(FibexReader, HiddenFilesArePassedOverAndAFileGivenTwiceIsReadOnce) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "dltdump-fibex-twice";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const std::string a = write("a.xml", doc(kEcu, text_pdu("P", "x"), frame("ID_1", {"P"})));
  write(".a.xml", doc(kEcu, text_pdu("P", "x"), frame("ID_1", {"P"})));
  write(".broken.xml", "<a>");
  const std::vector<std::string> just_dir{dir.string()};
  Catalogue c = read_catalogue(just_dir, {});
  EXPECT_TRUE(c.warnings.empty() && c.notes.empty()) << (c.warnings.empty() ? c.notes[0] : c.warnings[0].text());
  EXPECT_EQ(c.catalogue.frames(), 1u);

  const std::vector<std::string> twice{a, a};
  c = read_catalogue(twice, {});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.notes, (std::vector<std::string>{"[" + a + "] given twice: read once"}));
  EXPECT_EQ(c.catalogue.frames(), 1u);

  const std::string other_name = (dir / ".." / dir.filename() / "a.xml").string();
  const std::vector<std::string> dir_and_file{dir.string(), other_name, dir.string()};
  c = read_catalogue(dir_and_file, {});
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.notes, (std::vector<std::string>{"[" + other_name + "] given twice (also as " + a + "): read once",
                                               "[" + dir.string() + "] given twice: read once"}));
  fs::remove_all(dir);
}

// What pugixml takes and XML 1.0 does not (xmllint, .NET's reader refuse all of it): one
// error naming the place, not a text cut at `&#0;` or an entity left as written.
TEST(FibexReader, WhatPugixmlTakesAndXmlDoesNotIsNotWellFormed) {
  const std::string good = doc(kEcu, text_pdu("P", "Free size:"), frame("ID_1", {"P"}));
  auto with = [&](const std::string& what) {  // "Free size:" with `what` for its space
    std::string d = good;
    d.replace(d.find("Free size:") + 4, 1, what);
    return fault_of(d);
  };
  const std::string at = "t.xml: not well-formed XML at XML Line 6 Pos 29 (";  // the '&' or byte
  EXPECT_EQ(with("&#0;"),
            "Problem when loading FIBEX files: " + at + "a character reference to U+0000, which XML does not allow)");
  EXPECT_NE(with("&#x1;").find(at + "a character reference to U+0001,"), std::string::npos) << with("&#x1;");
  EXPECT_NE(with("&#xD800;").find(at + "a character reference to U+D800,"), std::string::npos);
  EXPECT_NE(with("&#xFFFF;").find(at + "a character reference to U+FFFF,"), std::string::npos);
  EXPECT_NE(with("&#1114112;").find(at + "a character reference past U+10FFFF)"), std::string::npos);
  EXPECT_NE(with("&#99999999999999999999;").find(at + "a character reference past U+10FFFF)"), std::string::npos);
  EXPECT_NE(with("&#;").find(at + "a character reference without digits)"), std::string::npos);
  EXPECT_NE(with("&#12a;").find(at + "a character reference '#12a' that is no number)"), std::string::npos);
  EXPECT_EQ(with("&undefined;"), "Problem when loading FIBEX files: " + at +
                                     "a reference to entity 'undefined', which is not defined (without a DTD only "
                                     "amp, lt, gt, quot and apos are))");
  EXPECT_NE(with("& ").find(at + "a '&' that starts no reference"), std::string::npos) << with("& ");
  EXPECT_EQ(with("\x01"),
            "Problem when loading FIBEX files: " + at + "a control character U+0001, which XML does not allow)");
  EXPECT_NE(with("\x1F").find(at + "a control character U+001F,"), std::string::npos);
  EXPECT_NE(with(std::string(1, '\0')).find("t.xml: a NUL byte at XML Line 6 Pos 29 "), std::string::npos);
  // In an attribute value too; in a comment, CDATA or a processing instruction a '&' is
  // only a character (a control is refused everywhere).
  std::string attr = good;
  attr.replace(attr.find("ID=\"P\""), 7, "ID=\"P&#0;\"");
  EXPECT_NE(fault_of(attr).find("t.xml: not well-formed XML at XML Line 6 Pos 14 (a character reference to U+0000"),
            std::string::npos)
      << fault_of(attr);
  EXPECT_EQ(with(" <!-- & &x; &#0; --> <![CDATA[&#0; & ]]> <?pi & ?> "), "");
  EXPECT_NE(with("<!-- \x02 -->").find(at.substr(0, at.size() - 4) + "34 (a control character U+0002"),
            std::string::npos)
      << with("<!-- \x02 -->");
  // A second attribute of the same name: at its name.
  std::string twice = good;
  twice.replace(twice.find("<fx:FRAME ID=\"ID_1\""), 19, "<fx:FRAME ID=\"ID_1\" ID=\"ID_2\"");
  EXPECT_EQ(fault_of(twice),
            "Problem when loading FIBEX files: t.xml: not well-formed XML at XML Line 9 Pos 21 "
            "(attribute 'ID' given twice in one element)");
  // Found in the text before it is parsed: any quotes, tags over lines, not in comments or
  // CDATA, not fooled by quotes in texts.
  auto with_element = [&](const std::string& element) {
    std::string d = good;
    d.replace(d.find("</fx:FRAMES>"), 0, element);
    return fault_of(d);
  };
  EXPECT_NE(with_element("<x a='1' b=\"2\"\n   a = '3'/>").find("XML Line 11 Pos 4 (attribute 'a' given twice"),
            std::string::npos)
      << with_element("<x a='1' b=\"2\"\n   a = '3'/>");
  EXPECT_NE(with_element("<x><y b=\"1\" b=\"2\"></y></x>").find("XML Line 10 Pos 13 (attribute 'b' given twice"),
            std::string::npos);
  std::string many = "<x";  // more attributes than are compared pairwise
  for (int i = 0; i < 40; ++i) many += " a" + std::to_string(i) + "=\"\"";
  EXPECT_EQ(with_element(many + "/>"), "");
  EXPECT_NE(with_element(many + " a7=\"\" a3=\"\"/>").find("(attribute 'a7' given twice"), std::string::npos)
      << with_element(many + " a7=\"\" a3=\"\"/>");
  EXPECT_EQ(with_element("<x a=\"1\" b=\"1\">\" a=\"1\" a=\"2\" ' </x><!-- <y a=\"1\" a=\"1\"/> -->"
                         "<![CDATA[<y a=\"1\" a=\"1\"/>]]><?pi <y a=\"1\" a=\"1\"/> ?>"),
            "");
  // What XML allows reads as it says.
  const std::string refs = doc(kEcu, text_pdu("P", "a&lt;b&amp;c&gt;&quot;&apos;&#9;&#x41;&#233;&#x1F600;"),
                               frame("ID_1", {"P"}) + "<x a=\"1\" b=\"1\" xmlns:a=\"u\" a:a=\"2\"/>");
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", refs, b, ws);
  const dlt::Catalogue c = b.build();
  EXPECT_NE(decode(c, nv(1, {})).find("[1] a<b&c>\"'.A\xC3\xA9\xF0\x9F\x98\x80\n"), std::string::npos)
      << decode(c, nv(1, {}));
}

TEST(FibexReader, OtherEncodingsReadAsTheyDeclare) {
  // windows-1252: 0x80 is the euro sign, which the line shows.
  std::string d = doc(kEcu, text_pdu("P", "5 \x80"), frame("ID_1", {"P"}));
  d.replace(0, 21, "<?xml version=\"1.0\" encoding=\"windows-1252\"?>");
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", d, b, ws);
  ASSERT_TRUE(ws.empty());
  const dlt::Catalogue c = b.build();
  EXPECT_NE(decode(c, nv(1, {})).find("[1] 5 \xE2\x82\xAC\n"), std::string::npos) << decode(c, nv(1, {}));
}

TEST(FibexReader, PlacesAreTheSameWhateverTheEncodingAndLineEnds) {
  // A frame without application id: its warning's place in UTF-8, CR LF, CR and UTF-16.
  const std::string utf8 =
      doc(kEcu, pdu("P1", "S_UINT8"),
          frame("ID_1", {"P1"},
                "<MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
                "<APPLICATION_ID>TOOLONG</APPLICATION_ID><CONTEXT_ID>C</CONTEXT_ID>"));
  auto where = [](const std::string& document) {
    dlt::CatalogueBuilder b({});
    std::vector<Warning> ws;
    read_document("t.xml", document, b, ws);
    return ws.size() == 1 ? std::to_string(ws[0].line) + ":" + std::to_string(ws[0].column) : "?";
  };
  const std::string want = where(utf8);
  EXPECT_NE(want, "?");
  auto replace_all = [](std::string s, const std::string& a, const std::string& b) {
    for (std::size_t at = 0; (at = s.find(a, at)) != std::string::npos; at += b.size()) s.replace(at, a.size(), b);
    return s;
  };
  EXPECT_EQ(where(replace_all(utf8, "\n", "\r\n")), want);
  EXPECT_EQ(where(replace_all(utf8, "\n", "\r")), want);
  std::string utf16 = "\xFF\xFE";  // UTF-16LE with a byte order mark
  for (char c : replace_all(utf8, "?>", " encoding=\"UTF-16\"?>")) {
    utf16 += c;
    utf16 += '\0';
  }
  EXPECT_EQ(where(utf16), want);
}

TEST(FibexReader, ADocumentThatIsNotFibexIsAWarning) {
  EXPECT_EQ(warnings_of("<html><body>hi</body></html>"), V{"FibexRootMissing"});
  std::string other = doc(kEcu, pdu("P1", "S_UINT8", 1), frame("ID_1", {"P1"}));
  other.replace(other.find("http://www.asam.net/xml/fbx"), 27, "http://example.com/not-fibex");
  EXPECT_EQ(warnings_of(other), V{"FibexRootMissing"});
  EXPECT_EQ(warnings_of(doc(kEcu, pdu("P1", "S_UINT8", 1),
                            frame("ID_1", {"P1"},
                                  "<MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>DLT_LOG_INFO</MESSAGE_INFO>"
                                  "<APPLICATION_ID></APPLICATION_ID><CONTEXT_ID>C</CONTEXT_ID>"))),
            V{"FrameApplicationIdInvalid"});
}

TEST(FibexReader, NamespacesCountNotPrefixes) {
  std::string d = doc(kEcu, pdu("P1", "S_UINT8", 1), frame("ID_1", {"P1"}));
  // The same document with other prefixes for both namespaces.
  auto replace_all = [](std::string& s, const std::string& a, const std::string& b) {
    for (std::size_t at = 0; (at = s.find(a, at)) != std::string::npos; at += b.size()) s.replace(at, a.size(), b);
  };
  replace_all(d, "fx:", "fibex:");
  replace_all(d, "xmlns:fx=", "xmlns:fibex=");
  replace_all(d, "ho:", "h:");
  replace_all(d, "xmlns:ho=", "xmlns:h=");
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", d, b, ws);
  EXPECT_TRUE(ws.empty());
  EXPECT_EQ(b.build().frames(), 1u);
}

// Lines of network-format packets decoded with `catalogue`.
class Lines final : public dlt::FramerSink {
 public:
  void on_message(const dlt::Message& m) override { f_.format(m, out_); }
  void on_skip(const dlt::SkipRecord& s) override { f_.format(s, out_); }
  std::string text() const { return std::string(out_.view()); }

 private:
  dlt::LineFormatter f_{{}};
  util::TextBuffer out_;
};

std::string decode(const dlt::Catalogue& c, const std::vector<std::uint8_t>& stream) {
  dlt::Framer framer(dlt::StreamFormat::Network);
  framer.set_payload_text(true);
  framer.set_catalogue(&c);
  Lines lines;
  framer.feed(stream, lines);
  framer.finish(lines);
  return lines.text();
}

// A non-verbose packet without extended header: `payload` after the 4-byte id (LE).
std::vector<std::uint8_t> nv(std::uint32_t id, const std::vector<std::uint8_t>& payload, bool be) {
  std::vector<std::uint8_t> p{static_cast<std::uint8_t>(0x20 | (be ? 2 : 0)), 7, 0, 0};
  for (int k = 0; k < 4; ++k) p.push_back(static_cast<std::uint8_t>(id >> (8 * (be ? 3 - k : k))));
  p.insert(p.end(), payload.begin(), payload.end());
  p[2] = static_cast<std::uint8_t>(p.size() >> 8);
  p[3] = static_cast<std::uint8_t>(p.size());
  return p;
}

TEST(FibexReader, EveryBaseTypeDecodes) {
  const std::string pdus = pdu("B", "S_BOOL", 2) + pdu("S8", "S_SINT8", 1) + pdu("S64", "S_SINT64", 8) +
                           pdu("U16", "S_UINT16", 2) + pdu("H16", "S_HEX16", 2) + pdu("BIN8", "S_BIN8", 1) +
                           pdu("F32", "S_FLOA32", 4) + pdu("F64", "S_FLOA64", 8) + pdu("R", "S_RAW", 0) +
                           pdu("A", "S_STRG_ASCII", 0) + pdu("U", "S_UTF8", 0) + pdu("X", "S_FLOA16", 2) +
                           pdu("X0", "S_FOO", 0) + text_pdu("T", "a &amp; b\nc");
  const std::string d = doc(
      kEcu, pdus, frame("ID_5", {"B", "S8", "S64", "U16", "H16", "BIN8", "F32", "F64", "R", "A", "U", "X", "X0", "T"}));
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", d, b, ws);
  ASSERT_TRUE(ws.empty());
  const dlt::Catalogue c = b.build();
  const std::vector<std::uint8_t> args{0x00, 0x01,                                      // BOOL in 2 bytes: true
                                       0xFE,                                            // -2
                                       0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,  // INT64_MAX
                                       0x34, 0x12,                                      // 4660
                                       0xCD, 0xAB,                                      // 0xabcd
                                       0xA5,                                            // 0b1010 0101
                                       0x00, 0x00, 0xC0, 0x3F,                          // 1.5f
                                       0,    0,    0,    0,    0,    0,    0xF0, 0x7F,  // inf
                                       0x02, 0x00, 0xDE, 0xAD,                          // raw
                                       0x03, 0x00, 'h',  0xA4, 0x00,                    // ASCII "h€"
                                       0x03, 0x00, 'o',  '\n', 'k',                     // UTF-8 with a line end
                                       0x11, 0x22,                                      // unknown, 2 bytes
                                       0x00, 0x00};                                     // unknown, counted, empty
  EXPECT_EQ(decode(c, nv(5, args)),
            "1970/01/01 00:00:00.000000 0.0000 7 ECU1 APP1 CTX1 0 log info non-verbose 14 [5] true -2 "
            "9223372036854775807 4660 0xabcd 0b1010 0101 1.5 inf de ad h€ o.k (02) 11 22 (00) a & b.c\n");
  // One byte short: the byte dump, with the frame's ids and type.
  std::vector<std::uint8_t> shorter(args.begin(), args.end() - 1);
  EXPECT_EQ(decode(c, nv(5, {0x01})),
            "1970/01/01 00:00:00.000000 0.0000 7 ECU1 APP1 CTX1 0 log info non-verbose 1 [5] -|01\n");
  EXPECT_NE(decode(c, nv(5, shorter)).find("non-verbose 1 [5] "), std::string::npos);
  // Big endian payloads read big endian.
  const std::string be_doc = doc(kEcu, pdu("U16", "S_UINT16", 2), frame("ID_6", {"U16"}));
  dlt::CatalogueBuilder b2({});
  read_document("t.xml", be_doc, b2, ws);
  EXPECT_EQ(decode(b2.build(), nv(6, {0x12, 0x34}, true)),
            "1970/01/01 00:00:00.000000 0.0000 7 ECU1 APP1 CTX1 0 log info non-verbose 1 [6] 4660\n");
}

// The same frame's arguments as typed records (the library's Message::args): each type as
// a verbose argument of its value, the values those of the line.
TEST(FibexReader, EveryBaseTypeListsAsTypedArguments) {
  const std::string pdus = pdu("B", "S_BOOL", 1) + pdu("S8", "S_SINT8", 1) + pdu("U16", "S_UINT16", 4) +
                           pdu("H16", "S_HEX16", 2) + pdu("BIN8", "S_BIN8", 1) + pdu("F64", "S_FLOA64", 8) +
                           pdu("R", "S_RAW", 0) + pdu("A", "S_STRG_ASCII", 0) + pdu("U", "S_UTF8", 0) +
                           pdu("X0", "S_FOO", 0) + text_pdu("T", "a &amp; b\nc");
  const std::string d =
      doc(kEcu, pdus, frame("ID_5", {"B", "S8", "U16", "H16", "BIN8", "F64", "R", "A", "U", "X0", "T"}));
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", d, b, ws);
  ASSERT_TRUE(ws.empty());
  const dlt::Catalogue c = b.build();
  const std::vector<std::uint8_t> args{0x01,                                         // true
                                       0xFE,                                         // -2
                                       0x34, 0x12, 0xEE, 0xEE,                       // 4660 (2 of 4 bytes)
                                       0xCD, 0xAB,                                   // 0xabcd
                                       0xA5,                                         // 0b1010 0101
                                       0,    0,    0,    0,    0,    0, 0xF8, 0x3F,  // 1.5
                                       0x02, 0x00, 0xDE, 0xAD,                       // raw
                                       0x03, 0x00, 'h',  0xA4, 0x00,                 // ASCII "h€" and its NUL
                                       0x02, 0x00, 'o',  'k',                        // UTF-8
                                       0x01, 0x00, 0x7E};                            // unknown, counted
  dlt::Message m;
  const dlt::CatalogueFrame* f = c.find(m, 5);
  ASSERT_NE(f, nullptr);
  std::vector<dlt::VerboseArgument> list;
  ASSERT_TRUE(dlt::list_frame_arguments(*f, args, false, list));
  using T = dlt::VerboseArgument::Type;
  using C = dlt::VerboseArgument::Coding;
  ASSERT_EQ(list.size(), 11u);
  EXPECT_EQ(list[0].type, T::Bool);
  EXPECT_EQ(dlt::argument_uint(list[0], 0), 1u);
  EXPECT_EQ(list[1].type, T::Sint);
  EXPECT_EQ(dlt::argument_int(list[1], 0), -2);
  EXPECT_EQ(list[2].type, T::Uint);
  EXPECT_EQ(list[2].width, 2);  // the value's bytes, not BYTE-LENGTH
  EXPECT_EQ(dlt::argument_uint(list[2], 0), 4660u);
  EXPECT_EQ(list[3].coding, C::Hex);
  EXPECT_EQ(dlt::argument_uint(list[3], 0), 0xABCDu);
  EXPECT_EQ(list[4].coding, C::Binary);
  EXPECT_EQ(dlt::argument_uint(list[4], 0), 0xA5u);
  EXPECT_EQ(list[5].type, T::Float);
  EXPECT_EQ(dlt::argument_double(list[5], 0), 1.5);
  EXPECT_EQ(list[6].type, T::Raw);
  EXPECT_EQ(list[6].data.size(), 2u);
  EXPECT_EQ(list[6].data[1], 0xAD);
  EXPECT_EQ(list[7].type, T::String);
  EXPECT_EQ(list[7].coding, C::Decimal);  // ASCII: read as ISO 8859-15, the NUL dropped
  EXPECT_EQ(dlt::argument_string(list[7]), "h\u20ac");
  EXPECT_EQ(list[8].coding, C::Utf8);
  EXPECT_EQ(dlt::argument_string(list[8]), "ok");
  EXPECT_EQ(list[9].type, T::Raw);
  EXPECT_EQ(list[9].data.size(), 1u);
  EXPECT_EQ(list[10].type, T::String);  // the static text, as the line shows it
  EXPECT_EQ(dlt::argument_string(list[10]), "a & b.c");
  for (const auto& a : list) EXPECT_TRUE(a.name.empty() && a.unit.empty());
  // A payload the frame does not take exactly: false, as the line's byte dump.
  list.clear();
  EXPECT_FALSE(dlt::list_frame_arguments(*f, std::span(args).first(args.size() - 1), false, list));
}

}  // namespace
}  // namespace dltdump::fibex

namespace dltdump::fibex {
namespace {

// A signal PDU whose SIGNAL-INSTANCE carries `extension` (its MANUFACTURER-EXTENSION's
// children) after or before its SIGNAL-REF, as the shared and dlt-viewer's files have it.
std::string vari_pdu(const std::string& id, const std::string& type, int bytes, const std::string& extension,
                     bool extension_first = false) {
  const std::string ref = "<fx:SIGNAL-REF ID-REF=\"" + type + "\"/>";
  const std::string ext = "<fx:MANUFACTURER-EXTENSION>" + extension + "</fx:MANUFACTURER-EXTENSION>";
  return "<fx:PDU ID=\"" + id + "\"><fx:BYTE-LENGTH>" + std::to_string(bytes) +
         "</fx:BYTE-LENGTH><fx:SIGNAL-INSTANCES><fx:SIGNAL-INSTANCE>" + (extension_first ? ext + ref : ref + ext) +
         "</fx:SIGNAL-INSTANCE></fx:SIGNAL-INSTANCES></fx:PDU>\n";
}

// VARI_NAME and VARI_UNIT of a signal instance are the JSON argument's `name` and `unit`, as
// a verbose argument's VARI name and unit are; an empty one is left out; the line is as it was.
TEST(FibexReader, VariableNamesAndUnitsReachJsonArguments) {
  const std::string pdus =
      vari_pdu("N", "S_FLOA32", 4, "<VARI_NAME>reading</VARI_NAME><VARI_UNIT>Kelvin</VARI_UNIT>") +
      vari_pdu("E", "S_UINT8", 1, "<VARI_NAME> measurement_point </VARI_NAME><VARI_UNIT></VARI_UNIT>") +
      vari_pdu("F", "S_SINT16", 2, "<VARI_UNIT>km/h</VARI_UNIT><VARI_NAME>sp\"d\xE2\x80\xA8</VARI_NAME>", true) +
      pdu("P", "S_UINT16", 2) + text_pdu("T", "Temperature") +
      vari_pdu("S", "S_STRG_UTF8", 0, "<VARI_NAME>label</VARI_NAME>");
  const std::string d = doc(kEcu, pdus, frame("ID_9", {"T", "N", "E", "F", "P", "S"}));
  dlt::CatalogueBuilder b({});
  std::vector<Warning> ws;
  read_document("t.xml", d, b, ws);
  ASSERT_TRUE(ws.empty()) << ws[0].text();
  const dlt::Catalogue c = b.build();
  const std::vector<std::uint8_t> args{0x00, 0x00, 0xC0, 0x3F,  // 1.5f
                                       0x07,                    // 7
                                       0xFE, 0xFF,              // -2
                                       0x34, 0x12,              // 4660
                                       0x02, 0x00, 'o',  'k'};  // "ok"
  EXPECT_EQ(decode(c, nv(9, args)),
            "1970/01/01 00:00:00.000000 0.0000 7 ECU1 APP1 CTX1 0 log info non-verbose 6 [9] Temperature 1.5 7 -2 4660 "
            "ok\n");
  dlt::Message m;
  const dlt::CatalogueFrame* f = c.find(m, 9);
  ASSERT_NE(f, nullptr);
  util::TextBuffer out;
  ASSERT_TRUE(dlt::format_frame_args_json(*f, args, false, out));
  EXPECT_EQ(out.view(),
            "{\"type\":\"text\",\"value\":\"Temperature\"},"
            "{\"type\":\"float\",\"name\":\"reading\",\"unit\":\"Kelvin\",\"bits\":32,\"value\":1.5},"
            "{\"type\":\"uint\",\"name\":\"measurement_point\",\"bits\":8,\"value\":7},"
            "{\"type\":\"sint\",\"name\":\"sp\\\"d\\u2028\",\"unit\":\"km/h\",\"bits\":16,\"value\":-2},"
            "{\"type\":\"uint\",\"bits\":16,\"value\":4660},"
            "{\"type\":\"string\",\"name\":\"label\",\"coding\":\"utf8\",\"value\":\"ok\"}");
  // The typed records carry them too.
  std::vector<dlt::VerboseArgument> list;
  ASSERT_TRUE(dlt::list_frame_arguments(*f, args, false, list));
  ASSERT_EQ(list.size(), 6u);
  auto text = [](std::span<const std::uint8_t> b) { return std::string(b.begin(), b.end()); };
  EXPECT_EQ(text(list[1].name), "reading");
  EXPECT_EQ(text(list[1].unit), "Kelvin");
  EXPECT_EQ(text(list[3].unit), "km/h");
  EXPECT_TRUE(list[4].name.empty());
  EXPECT_EQ(text(list[5].name), "label");
}

}  // namespace
}  // namespace dltdump::fibex
