// Writing messages to a file as the command line's -o does: dltdump::Writer.
//
//   dltdump::Reader r{"trip.dlt", dltdump::Filter{}.appid("NAV")};
//   dltdump::Writer w{"nav.dlt.zst"};
//   w.write_all(r);
//   w.close();  // every byte written, or an Error naming the file
//
// The file's name says what it holds, as -o says it (dltdump-spec §6.1; docs/library.md,
// "Outputs"): `*.dlt` a DLT file, `*.pcapng` a PCAP-NG capture Wireshark decodes as DLT,
// `*.jsonl`/`*.ndjson` JSON Lines records, `*.csv` CSV rows (a header row first), any
// other name text lines; a `.gz`, `.zst` or `.xz` suffix after the extension compresses
// it (not PCAP-NG). The bytes are the command line's for the same messages: the writers
// are its own (src/output/). A DLT file keeps a message's storage header when its input
// had one and gives one (its time, its ECU id) to a message of a recording or capture.
// Text lines show local time (TZ), the command line's default. JSON and CSV records name
// the input as its Reader was given it. write_all() also writes the regions its Reader
// skipped (those its filter lets through), where the command line writes them: SKIP lines,
// skip records, SKIP messages of a DLT file; write() writes the messages it is given only.
//
// With WriterOptions::name_template the name is an -o template: the Writer writes the
// files it names (one per input with %FILE%, a series with split_bytes) as the command line
// does, and what is said here of its file holds for each of them.
//
// Ownership: the Writer owns its file. write() takes what it needs of a message before it
// returns (the message may be invalidated by its Reader's next step afterwards). Files
// are created as on the command line: with the first message (a Writer closed without a
// message creates no file); an existing file is refused unless WriterOptions::overwrite
// (-f); a name the command line refuses (`*.pcap`, `*.json`, a compressed PCAP-NG, ...)
// is refused when the Writer is made, and so is a name that is the command line's console
// (`CON:`, `/dev/stdout`, any case): a library never writes to its host's standard output. A Writer knows the inputs
// being read only as WriterOptions::inputs names them (the command line's -o never writes over an input): overwriting a
// file a Reader reads that is not named there cuts that input (the Reader ends with an input Error). writes() tells
// whether a name is the Writer's own file, which a Reader must not read (it would read what is being written).
//
// close() writes what is buffered and closes the file. When it returns, every byte has
// been handed to the system (write(2) until done; no fsync: a device's failure after that
// is not seen). A write that fails (a full disk) throws Error (output) naming the file,
// the file ending on a whole record (message, line); that first Error is thrown again by
// every later write() and close(): nothing is lost silently. A file that may not be made —
// it exists without WriterOptions::overwrite, a template's file made and closed before
// ("Not overwriting previously created file"), an input — refuses only the messages of the
// input that needs it (Error output, from write() or write_all()): the Writer goes on with
// other inputs' files, as the command line goes on with its next input, and close() throws
// that first refusal once it has written them. Without close(), the
// destructor closes as close() does but cannot report a failure: call close() to know
// that the file is whole.
//
// Thread-safety: one Writer is used by one thread at a time (it may move between threads
// between calls); Writers are independent of each other.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dltdump/export.hpp"
#include "dltdump/message.hpp"

namespace dltdump {

class Reader;

// What a Writer's file holds. `automatic`: what its name says.
enum class OutputFormat : std::uint8_t { automatic, dlt, pcapng, text, json, csv };

// The TIME column of text lines (--time): the local time (TZ), as the command line's default;
// the same in UTC; ISO 8601 in UTC (`2024-03-01T10:00:00.004719Z`); seconds since the first
// line with a time the Writer wrote (one clock for all the files of a template or a split,
// as for a command line's run); or no column (lines begin with the device time).
enum class TimeColumn : std::uint8_t { local, utc, iso, relative, device };

struct WriterOptions {
  // `automatic`: by the name. `dlt` and `pcapng` must be what the name says; `text`,
  // `json` and `csv` (--out) are the records of a text file (a name that says none of
  // DLT, PCAP-NG, JSON Lines, CSV), or what the name says. Another choice: Error (argument).
  OutputFormat format = OutputFormat::automatic;
  bool overwrite = false;  // -f: an existing file is truncated (else refused: Error output)
  // Files never to be written, even with `overwrite` (the inputs being read): the Writer's
  // file being one of them is Error (output) "Not overwriting the input file ...", at the
  // first message. Files are told apart by identity (links, other spellings of a name);
  // one that does not exist when the Writer is made is not known.
  std::vector<std::string> inputs;
  // The name is a template of file names, as -o's (docs/manual.md, "Output file names"):
  // %FILE% the name of each message's input (as its Reader was given it) without folder and
  // extensions, each input getting files of its own — an input's messages are those
  // written one after the other with that input's name, so write each Reader's messages
  // together (a later return to an input whose file was closed is refused as on the command
  // line: Error output "Not overwriting previously created file"); %CTR% the counter of the
  // files split (001, 002, ...); %CDATE%, %CTIME%, %CDATETIME% the local time of each file's
  // first message; %% a %; %NAME% the environment variable NAME. %LC% (a file per
  // lifecycle) needs a sorted run's lifecycles, which a Reader does not give: Error
  // (argument) — a Dump (dltdump/dump.hpp) writes files by lifecycle. false: the name is the file's name (a % is a
  // character of it).
  bool name_template = false;
  // --split: a file holding at least this many bytes (before compression) is closed at the
  // next message and the next file begun. Needs a template that names several files
  // (%CTR% or a date or time variable; else Error argument); 0: no split.
  std::uint64_t split_bytes = 0;
  // Text lines only (a file of text, as the name or `format` says): --time and --position
  // (each line begins with the message's byte offset in its input, `%08x: `). With another
  // format, a choice other than the defaults is Error (argument): JSON and CSV records, DLT
  // and PCAP-NG files keep their own times and positions.
  TimeColumn time = TimeColumn::local;
  bool position = false;
};

class DLTDUMP_API Writer {
 public:
  // Throws Error (argument) for an empty name, a name holding a NUL byte, a console name
  // (`CON:`, `/dev/stdout`), a format the command line does not write or one that
  // contradicts the name; a template that names no file (`%E%` with E unset) or holds %LC%,
  // a split_bytes whose template names one file only.
  explicit Writer(const std::string& path, WriterOptions options = {});
  // A moved-from Writer is closed: write() throws Error (argument), close() does nothing.
  Writer(Writer&& other) noexcept;
  Writer& operator=(Writer&& other) noexcept;  // closes this Writer first, as its destructor
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer();

  // Writes `m`, a message a Reader gave (a default-constructed Message: Error argument).
  // Throws Error (output) when the file cannot be created or a write fails.
  void write(const Message& m);
  void write(std::span<const Message> batch);
  // Writes every message `reader` has left (steps it to its end), and the regions it skips
  // from its next step on (see the top); returns how many messages. At the Reader's end a
  // compressed file's frame ends, as the command line's at each input's end (so inputs
  // written with a write_all each are the command line's bytes). Throws the Reader's
  // Errors as they are (what came before the fault is written), and the Writer's.
  std::uint64_t write_all(Reader& reader);
  // As write_all(reader), asking `go_on` before each of the Reader's steps: false stops
  // there — what the steps taken gave is written, the Reader is not at its end. For a
  // caller whose user may interrupt a long write (Python's Ctrl-C). `go_on` runs on the
  // calling thread.
  std::uint64_t write_all(Reader& reader, const std::function<bool()>& go_on);
  // See the top. Once closed, write() throws Error (argument).
  void close();

  // Whether `path` names a file this Writer has created and not yet closed (by identity:
  // a link, another spelling; with a template, any of the files it made): reading it would
  // read what is being written. False before the first message, after close() and for a
  // name that does not exist.
  bool writes(const std::string& path) const;

  const std::string& path() const noexcept;  // as given (a template: as written)
  OutputFormat format() const noexcept;      // what the file holds (never automatic)
  // Messages taken so far (write(), write_all()). After a failed write (a full disk), those
  // still buffered then are not in the file, which ends on a whole record: this counts them
  // all the same (a new user's finding); the Error says the file is cut.
  std::uint64_t messages() const noexcept;
  // Whether a write failed (a full disk, a file size limit): every later call throws its
  // Error. Not after a refused input (see the top): the Writer goes on with other inputs.
  bool failed() const noexcept;

  struct Impl;

 private:
  friend struct detail::Access;  // the C API's write_all: a step's messages taken in part
  std::unique_ptr<Impl> impl_;
};

}  // namespace dltdump
