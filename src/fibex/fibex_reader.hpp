// Reads FIBEX files (ASAM MCD-2 NET, as the AUTOSAR DLT standard uses them for non-verbose
// messages; dltdump-spec §8.1) into a dlt::Catalogue, with pugixml as the XML parser.
//
// What is read: the ECU id of each file (fx:ECUS/fx:ECU ID), its PDUs (fx:PDUS/fx:PDU: a
// static text ho:DESC, or one signal fx:SIGNAL-REF whose ID-REF names the base type, and
// fx:BYTE-LENGTH) and its frames (fx:FRAMES/fx:FRAME ID="ID_<message id>": the ordered
// fx:PDU-REFs and, in fx:MANUFACTURER-EXTENSION, APPLICATION_ID, CONTEXT_ID, MESSAGE_TYPE
// and MESSAGE_INFO). Elements are matched by namespace, whatever their prefix; everything
// else is passed over. A PDU must come before the frames that use it, as in the document
// order the schema prescribes.
//
// What is wrong is a Warning (one of the names of §8.1, plus ECU, application and context
// ids longer than four characters: an id a DLT header cannot carry), naming file, line and
// column. dltdump treats any warning as fatal (exit 6), as DltDump does; the reader goes on
// after one so that the user sees them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dlt/catalogue.hpp"

namespace dltdump::fibex {

struct Warning {
  std::string file;  // the path as found (given, or a directory's entry)
  std::string name;  // EcuIdMissing, PduIdDuplicate, … (§8.1)
  // Where: the element's line and column (1-based, columns in characters), or 0 when the
  // warning is about the catalogue rather than a place (DuplicateEntry).
  std::size_t line = 0, column = 0;
  // DuplicateEntry: the frame that collides.
  std::uint32_t id = 0;
  dlt::Id app, ctx, ecu;

  // `[<file>] <name> : XML Line <l> Pos <c>`, or for DuplicateEntry
  // `[<file>] DuplicateEntry : ID_<id> [<app> <ctx> <ecu>]` (control characters as '.').
  std::string text() const;
};

struct Catalogue {
  dlt::Catalogue catalogue;
  std::vector<Warning> warnings;  // in file order, each file's in document order
  // What is said and is no fault (not fatal): `[<path>] given twice: read once`, one line
  // each, without a line end.
  std::vector<std::string> notes;
};

// Reads `paths` in order: each a FIBEX file or a directory (its `*.xml` files, not
// recursive, in byte-wise name order; hidden ones, whose names start with '.', passed
// over). A file or directory given again (by the same or another name, or as a file of a
// directory given too: the same device and inode) is read once, with a note. Throws util::Error with
// ExitCode::FibexError for a path that is neither file nor directory, a directory without a `*.xml` file, a file that
// cannot be read, or a file that is not well-formed XML (the line names file, line and column, and pugixml's reason).
Catalogue read_catalogue(std::span<const std::string> paths, dlt::CatalogueLookup lookup);

// Reads one FIBEX document held in memory (`name` for messages) into `builder` as one
// more file; appends its warnings. Throws util::Error (FibexError) if it is not
// well-formed XML. For tests and the fuzz target; read_catalogue uses it per file.
void read_document(std::string_view name, std::string_view document, dlt::CatalogueBuilder& builder,
                   std::vector<Warning>& warnings);

}  // namespace dltdump::fibex
