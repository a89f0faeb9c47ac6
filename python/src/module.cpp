// _dltdump: the binding of the dltdump C++ API (include/dltdump/) for Python. The package
// python/dltdump/ around it turns keyword filters into a Filter and columns into a pandas
// DataFrame; this file holds what must be C++: the reader's loop, the messages' values, the
// error translation. Every decoding step runs without the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <dltdump/dltdump.hpp>

#include "columns.hpp"
#include "interrupt.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace dltdump::python {

namespace {

ReaderOptions reader_options(const std::optional<Catalogue>& catalogue, Format format, std::uint64_t chunk_bytes = 0,
                             std::uint64_t chunk_begin = 0) {
  ReaderOptions options;
  options.catalogue = catalogue;
  options.format = format;
  options.chunk_bytes = chunk_bytes;
  options.chunk_begin = chunk_begin;
  options.keep_waiting = keep_waiting;  // Ctrl-C ends a live input's wait (interrupt.hpp)
  return options;
}

// A message's values, copied out of the reader's batch (which the next step replaces).
struct PyMessage {
  std::string input;
  std::uint64_t position = 0;
  std::optional<std::int64_t> time_us;
  std::optional<double> device_time;
  unsigned counter = 0;
  py::str ecu, app, ctx;
  std::optional<std::int32_t> session;
  std::string kind;
  std::optional<std::string> type, subtype;
  unsigned level = 0;
  std::optional<std::uint32_t> message_id;
  std::optional<unsigned> noar;
  std::string text;
  py::list args;
};

// A number of an argument: value `i`, a Python int (all 128 bits of a 128-bit integer),
// float or bool.
py::object number(const Argument& a, std::uint32_t i) {
  switch (a.type()) {
    case Argument::Type::boolean: return py::bool_(a.as_bool(i));
    case Argument::Type::floating: return py::float_(a.as_double(i));
    case Argument::Type::sint:
    case Argument::Type::uint:
      if (a.width() > 8) {
        const auto bytes = a.bytes().subspan(std::size_t{i} * a.width(), a.width());
        return py::module_::import("builtins")
            .attr("int")
            .attr("from_bytes")(py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                                a.big_endian() ? "big" : "little", "signed"_a = a.type() == Argument::Type::sint);
      }
      if (a.type() == Argument::Type::sint) return py::int_(a.as_int(i));
      return py::int_(a.as_uint(i));
    default: break;
  }
  return py::none();
}

// The value of args[k], consuming a structure's members after it; advances k.
py::object argument_value(const std::vector<Argument>& args, std::size_t& k) {
  const Argument& a = args[k++];
  switch (a.type()) {
    case Argument::Type::string:
    case Argument::Type::trace: {
      // The exact characters, controls too (as the JSON records give them), not the line's
      // '.' of as_string(); invalid UTF-8 as U+FFFD.
      const auto bytes = a.bytes();
      PyObject* s = PyUnicode_Decode(reinterpret_cast<const char*>(bytes.data()), static_cast<Py_ssize_t>(bytes.size()),
                                     a.utf8() ? "utf-8" : "iso8859-15", "replace");
      if (!s) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(s);
    }
    case Argument::Type::raw: return py::bytes(reinterpret_cast<const char*>(a.bytes().data()), a.bytes().size());
    case Argument::Type::structure: {
      py::list members;
      for (std::uint32_t n = 0; n < a.count() && k < args.size(); ++n) members.append(argument_value(args, k));
      return members;
    }
    default: break;
  }
  if (!a.is_array()) return number(a, 0);
  py::list values;
  for (std::uint32_t i = 0; i < a.count(); ++i) values.append(number(a, i));
  return values;
}

PyMessage copy_message(const Message& m, const std::string& input) {
  PyMessage p;
  p.input = input;
  p.position = m.position();
  if (m.has_time()) p.time_us = m.time().time_since_epoch().count();
  if (m.has_device_time()) p.device_time = m.device_time() / 10000.0;
  p.counter = m.counter();
  p.ecu = id_text(m.ecu());
  p.app = id_text(m.app());
  p.ctx = id_text(m.ctx());
  if (m.has_session()) p.session = static_cast<std::int32_t>(m.session());
  const PayloadKind kind = m.kind();
  p.kind = kind == PayloadKind::verbose ? "verbose" : kind == PayloadKind::non_verbose ? "non-verbose" : "control";
  const std::string_view type = m.type_text();
  if (!type.empty()) {
    const std::size_t space = type.find(' ');
    p.type = std::string(type.substr(0, space));
    if (space != std::string_view::npos) p.subtype = std::string(type.substr(space + 1));
  }
  p.level = static_cast<unsigned>(m.level());
  if (kind == PayloadKind::non_verbose) p.message_id = m.message_id();
  if (kind != PayloadKind::control) p.noar = m.argument_count();
  p.text = m.text();
  const std::vector<Argument> args = m.args();
  for (std::size_t k = 0; k < args.size();) {
    const std::uint8_t depth = args[k].depth();
    py::object v = argument_value(args, k);
    if (depth == 0) p.args.append(std::move(v));
  }
  return p;
}

// One input's messages, for a Python for loop.
class Messages {
 public:
  Messages(std::string path, const Filter& filter, const std::optional<Catalogue>& catalogue, Format format)
      : path_(std::move(path)) {
    // Copied with the GIL held: another thread may add to the Python Filter meanwhile.
    const Filter copy = filter;
    ReaderOptions options = reader_options(catalogue, format);
    py::gil_scoped_release released;
    reader_.emplace(path_, copy, std::move(options));
  }
  PyMessage next() {
    if (index_ == batch_.size()) {
      if (!reader_) throw py::stop_iteration();
      std::exception_ptr failed;
      {
        // A live input blocks here until messages arrive: cancel() may come meanwhile
        // from another Python thread, so reader_ changes only with the GIL held.
        py::gil_scoped_release released;
        try {
          batch_ = reader_->next_batch();
        } catch (...) {
          failed = std::current_exception();
        }
      }
      raise_if_interrupted();  // Ctrl-C during the wait: the reader was cancelled
      if (failed) {
        batch_ = {};
        index_ = 0;  // the next call is at the (empty) batch's end: StopIteration, no read
        skipped_ = reader_->skipped_bytes();
        datagrams_ = reader_->datagrams();
        reader_.reset();  // at its end after an Error
        std::rethrow_exception(failed);
      }
      index_ = 0;
      if (batch_.empty()) {
        skipped_ = reader_->skipped_bytes();
        datagrams_ = reader_->datagrams();
        warning_ = reader_->warning();
        reader_.reset();  // the input's resources go at its end, not at the iterator's
        throw py::stop_iteration();
      }
    }
    return copy_message(batch_[index_++], path_);
  }
  std::uint64_t skipped_bytes() const { return reader_ ? reader_->skipped_bytes() : skipped_; }
  Reader::Datagrams datagrams() const { return reader_ ? reader_->datagrams() : datagrams_; }
  const std::string& warning() const { return warning_; }
  // dltdump::Reader::cancel: any thread may call it (with the GIL, so reader_ stays put),
  // also while another one waits in next() without the GIL.
  void cancel() noexcept {
    if (reader_) reader_->cancel();
  }

 private:
  std::string path_;
  std::optional<Reader> reader_;
  std::span<const Message> batch_;
  std::size_t index_ = 0;
  std::uint64_t skipped_ = 0;
  Reader::Datagrams datagrams_;  // the Reader's, kept past its end
  std::string warning_;          // the Reader's, kept past its end
};

const char* kind_name(Error::Kind kind) {
  switch (kind) {
    case Error::Kind::input: return "input";
    case Error::Kind::argument: return "argument";
    case Error::Kind::fibex: return "fibex";
    case Error::Kind::output: return "output";
    case Error::Kind::internal: break;
  }
  return "internal";
}

}  // namespace

}  // namespace dltdump::python

namespace dltdump::python {
namespace {

// --time's words (case-insensitive, as on the command line) as a Writer's TimeColumn.
TimeColumn time_column(const std::string& word) {
  std::string w = word;
  for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (w == "local") return TimeColumn::local;
  if (w == "utc") return TimeColumn::utc;
  if (w == "iso") return TimeColumn::iso;
  if (w == "relative") return TimeColumn::relative;
  if (w == "device") return TimeColumn::device;
  throw Error(Error::Kind::argument, "", std::nullopt,
              "write: time \"" + word + "\" is none of local, utc, iso, relative, device");
}

}  // namespace
}  // namespace dltdump::python

PYBIND11_MODULE(_dltdump, m) {
  using namespace dltdump;
  using namespace dltdump::python;
  m.doc() = "The dltdump C++ API for Python (the package dltdump wraps it: use that).";
  init_numpy();  // now, under the import lock: not first from two threads (columns.hpp)

  // dltdump.Error: the message, and the C++ Error's kind, input and offset as attributes.
  static py::exception<Error> error_type(m, "Error", PyExc_Exception);
  error_type.doc() =
      "What dltdump finds wrong: an input that cannot be opened or is malformed, a filter "
      "value that can never match, a FIBEX file that cannot be read. str(e) is the command "
      "line's message; e.kind is 'input', 'argument', 'fibex', 'output' (a file written) or "
      "'internal'; e.input the input (or written file) at fault ('' for none); e.offset how far it was decoded (None "
      "when unknown).";
  // An instance (not raised yet) for `e`: its message is what() — the command line's one
  // escaped line (dltdump::Error keeps it so).
  static const auto error_object = [](const Error& e) {
    py::object exc = py::handle(error_type.ptr())(e.what());
    exc.attr("kind") = kind_name(e.kind());
    exc.attr("input") = py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(e.input().data(), static_cast<Py_ssize_t>(e.input().size()), "replace"));
    exc.attr("offset") = e.offset() ? py::object(py::int_(*e.offset())) : py::none();
    return exc;
  };
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      PyErr_SetObject(error_type.ptr(), error_object(e).ptr());
    }
  });
  m.def(
      "error",
      [](const std::string& kind, const std::string& input, const std::string& message) {
        const Error::Kind k = kind == "argument" ? Error::Kind::argument
                              : kind == "fibex"  ? Error::Kind::fibex
                              : kind == "input"  ? Error::Kind::input
                              : kind == "output" ? Error::Kind::output
                                                 : Error::Kind::internal;
        return error_object(Error(k, input, std::nullopt, message));
      },
      "kind"_a, "input"_a, "message"_a,
      "An Error to raise (kind 'input', 'argument', 'fibex' or 'internal'), its message shown as the command line "
      "shows a diagnostic (controls and bytes that are no UTF-8 as \\xHH), as every Error's is.");

  py::enum_<Format>(m, "Format", "The input format (--format).")
      .value("automatic", Format::automatic)
      .value("file", Format::file)
      .value("serial", Format::serial)
      .value("network", Format::network)
      .value("capture", Format::capture);

  py::class_<Filter>(m, "Filter",
                     "The command line's filter options as a value (dltdump::Filter): each method adds to its "
                     "group and returns the filter. Any value of a group matches; every group given must.")
      .def(py::init<>())
      .def(py::init<const Filter&>(), "other"_a, "A copy of `other`.")
      .def("ecuid", &Filter::ecuid, py::return_value_policy::reference_internal, "--ecuid")
      .def("appid", &Filter::appid, py::return_value_policy::reference_internal, "--appid")
      .def("ctxid", &Filter::ctxid, py::return_value_policy::reference_internal, "--ctxid")
      .def("not_ecuid", &Filter::not_ecuid, py::return_value_policy::reference_internal, "--not-ecuid")
      .def("not_appid", &Filter::not_appid, py::return_value_policy::reference_internal, "--not-appid")
      .def("not_ctxid", &Filter::not_ctxid, py::return_value_policy::reference_internal, "--not-ctxid")
      .def("session", &Filter::session, py::return_value_policy::reference_internal, "--sessionid")
      .def(
          "level", [](Filter& f, unsigned level) -> Filter& { return f.level(static_cast<Level>(level)); },
          py::return_value_policy::reference_internal, "--level: 1 (fatal) to 6 (verbose), or more severe")
      .def(
          "type",
          [](Filter& f, unsigned type, unsigned info) -> Filter& {
            return f.type(static_cast<MessageType>(type), static_cast<std::uint8_t>(info));
          },
          py::return_value_policy::reference_internal, "--type: message type (MSTP 0-3) and type info (MTIN)")
      .def(
          "not_type",
          [](Filter& f, unsigned type, unsigned info) -> Filter& {
            return f.not_type(static_cast<MessageType>(type), static_cast<std::uint8_t>(info));
          },
          py::return_value_policy::reference_internal, "--not-type")
      .def(
          "kind",
          [](Filter& f, const std::string& kind) -> Filter& {
            if (kind == "verbose") return f.kind(PayloadKind::verbose);
            if (kind == "non-verbose") return f.kind(PayloadKind::non_verbose);
            if (kind == "control") return f.kind(PayloadKind::control);
            throw Error(Error::Kind::argument, "", std::nullopt,
                        "Filter: kind \"" + kind + "\" is none of verbose, non-verbose, control");
          },
          py::return_value_policy::reference_internal, "--verbose, --nonverbose, --control")
      .def("message_id", &Filter::message_id, py::return_value_policy::reference_internal, "--msgid")
      .def(
          "not_before",
          [](Filter& f, std::int64_t us) -> Filter& { return f.not_before(Time(std::chrono::microseconds(us))); },
          py::return_value_policy::reference_internal, "--not-before, microseconds since 1970 (UTC)")
      .def(
          "not_after",
          [](Filter& f, std::int64_t us) -> Filter& { return f.not_after(Time(std::chrono::microseconds(us))); },
          py::return_value_policy::reference_internal, "--not-after, microseconds since 1970 (UTC)")
      .def("contains", &Filter::contains, py::return_value_policy::reference_internal, "-s")
      .def("regex", &Filter::regex, py::return_value_policy::reference_internal, "-r (PCRE2)")
      .def("ignore_case", &Filter::ignore_case, "on"_a = true, py::return_value_policy::reference_internal, "-i")
      .def("invert", &Filter::invert, "on"_a = true, py::return_value_policy::reference_internal, "-v")
      .def("restricts", &Filter::restricts, "Whether any group is given.");

  py::class_<Catalogue>(m, "Catalogue",
                        "FIBEX files (or folders of them) describing non-verbose messages (--fibex), read once and "
                        "shared by every read that is given it.")
      .def(py::init([](const std::vector<std::string>& paths, bool per_ecu, bool id_only) {
             py::gil_scoped_release released;
             return Catalogue(paths, CatalogueLookup{.per_ecu = per_ecu, .id_only = id_only});
           }),
           "paths"_a, py::kw_only(), "per_ecu"_a = false, "id_only"_a = false,
           "Reads the FIBEX files; per_ecu: frames only of files of the message's ECU; id_only: the message id "
           "alone selects the frame (--nv-lookup). Raises Error (kind 'fibex').")
      .def_property_readonly("warnings", &Catalogue::warnings,
                             "What the command line refuses but a program may accept (duplicates, missing ids).");

  py::class_<PyMessage>(m, "Message",
                        "One decoded message, its values copied (see the dltdump package's documentation).")
      .def_property_readonly(
          "input",
          [](const PyMessage& p) {
            PyObject* s = PyUnicode_DecodeFSDefaultAndSize(p.input.data(), static_cast<Py_ssize_t>(p.input.size()));
            if (!s) throw py::error_already_set();
            return py::reinterpret_steal<py::str>(s);
          },
          "The input as given (a file name as os.fsdecode gives it).")
      .def_readonly("position", &PyMessage::position, "Offset of the message in its input's DLT stream.")
      .def_readonly("time_us", &PyMessage::time_us,
                    "Storage header or capture time, microseconds since 1970 (UTC); None without a time source.")
      .def_property_readonly(
          "time",
          [](const PyMessage& p) -> std::optional<double> {
            if (!p.time_us) return std::nullopt;
            return static_cast<double>(*p.time_us) / 1e6;
          },
          "time_us in seconds (a float, for time.gmtime() and the like); None without a time source.")
      .def_readonly("device_time", &PyMessage::device_time, "The header's time stamp in seconds; None without.")
      .def_readonly("counter", &PyMessage::counter, "MCNT, 0-255.")
      .def_readonly("ecu", &PyMessage::ecu, "The ECU id as a line shows it ('' when absent).")
      .def_readonly("app", &PyMessage::app, "The application id ('' without an extended header).")
      .def_readonly("ctx", &PyMessage::ctx, "The context id ('' without an extended header).")
      .def_readonly("session", &PyMessage::session, "The session id (signed 32-bit); None without.")
      .def_readonly("kind", &PyMessage::kind, "'verbose', 'non-verbose' or 'control'.")
      .def_property_readonly(
          "verbose", [](const PyMessage& p) { return p.kind == "verbose"; }, "Whether the payload is verbose.")
      .def_readonly("type", &PyMessage::type, "'log', 'app_trace', 'nw_trace', 'control'; None when no type.")
      .def_readonly("subtype", &PyMessage::subtype, "'error', 'can', 'request', ...; None when none.")
      .def_readonly("level", &PyMessage::level,
                    "The log level: 1 fatal, 2 error, 3 warn, 4 info, 5 debug, 6 verbose; 0 for a message without.")
      .def_readonly("message_id", &PyMessage::message_id, "A non-verbose message's id; None for others.")
      .def_readonly("noar", &PyMessage::noar, "The argument count a line shows; None for control messages.")
      .def_readonly("text", &PyMessage::text, "The payload's text as the command line shows it.")
      .def_readonly("args", &PyMessage::args,
                    "A verbose message's arguments: int, float, bool, str, bytes (raw), a list for an array or a "
                    "structure's members; empty for other kinds.")
      .def("__repr__", [](const PyMessage& p) {
        return py::str("<dltdump.Message {} {} {} {} {!r}>").format(p.position, p.ecu, p.app, p.ctx, p.text);
      });

  py::class_<Messages>(m, "Messages", "One input's messages, in input order (an iterator).")
      .def(py::init<std::string, const Filter&, const std::optional<Catalogue>&, Format>(), "path"_a, "filter"_a,
           "catalogue"_a, "format"_a)
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &Messages::next)
      .def("cancel", &Messages::cancel,
           "Ends the input, from any thread: a live input's waiting __next__ returns within 0.1 s with what was "
           "received, then the iteration ends (no Error); a file's ends at its next step.")
      .def_property_readonly("skipped_bytes", &Messages::skipped_bytes,
                             "Bytes skipped so far (the command line's SKIP lines).")
      .def_property_readonly(
          "datagrams",
          [](const Messages& it) {
            const Reader::Datagrams d = it.datagrams();
            return py::dict("received"_a = d.received, "kernel_drops"_a = d.kernel_drops,
                            "dltdump_drops"_a = d.dltdump_drops);
          },
          "A UDP input's datagrams so far: {'received', 'kernel_drops', 'dltdump_drops'} (zeros for other "
          "inputs), as the command line reports them at its end.")
      .def_property_readonly(
          "warning",
          [](const Messages& it) {
            const std::string& w = it.warning();
            return py::reinterpret_steal<py::str>(
                PyUnicode_DecodeUTF8(w.data(), static_cast<Py_ssize_t>(w.size()), "replace"));
          },
          "At the end: the command line's warning when no byte was a message; '' otherwise.");

  m.def(
      "read_columns",
      [](std::vector<std::string> paths, const Filter& filter, const std::optional<Catalogue>& catalogue, Format format,
         bool text, std::uint64_t chunk_bytes, std::uint64_t chunk_begin) {
        ColumnRequest request{std::move(paths), filter, reader_options(catalogue, format, chunk_bytes, chunk_begin),
                              text};
        return read_columns(request);
      },
      "paths"_a, "filter"_a, "catalogue"_a, "format"_a, "text"_a, "chunk_bytes"_a = 0, "chunk_begin"_a = 0,
      "The messages of the inputs as numpy columns (read_dataframe makes the DataFrame); with chunk_bytes > 0, of "
      "the chunk of each input that begins at chunk_begin (a point of chunk_points). 'ends' lists where each "
      "input's reading ended.");
  m.def(
      "chunk_points",
      [](const std::string& path, std::uint64_t chunk_bytes, Format format) {
        py::gil_scoped_release released;
        return chunk_points(path, chunk_bytes, format);
      },
      "path"_a, "chunk_bytes"_a, "format"_a = Format::automatic,
      "Where the command line's parallel decoder cuts the DLT file `path` into chunks of about chunk_bytes: 0, the "
      "further chunk starts, then the file's size; [] when it is not cut (chunk_bytes 0, an empty file, anything "
      "but a plain uncompressed DLT file). Raises Error (kind 'input') when it cannot be opened.");
  m.def(
      "type_text",
      [](unsigned type, unsigned info) {
        return std::string(type_text(static_cast<MessageType>(type), static_cast<std::uint8_t>(info)));
      },
      "type"_a, "info"_a, "The TYPE column for MSTP `type` and MTIN `info` ('log error').");
  m.def(
      "version", [] { return std::string(version()); }, "The library's version.");

  // Writing (dltdump::Writer): the inputs' messages that pass the filter, into one file as
  // the command line's -o writes them. Reading and writing run without the GIL.
  m.def(
      "write",
      [](const std::vector<std::string>& paths, const std::string& output, const Filter& filter,
         const std::optional<Catalogue>& catalogue, Format format, const std::string& records, bool overwrite,
         bool name_template, std::uint64_t split_bytes, const std::string& time, bool position) {
        WriterOptions options;
        options.time = time_column(time);
        options.position = position;
        options.overwrite = overwrite;
        options.name_template = name_template;
        options.split_bytes = split_bytes;
        options.inputs = paths;  // never written over, as -o never writes over an input
        if (records == "text") options.format = OutputFormat::text;
        else if (records == "json") options.format = OutputFormat::json;
        else if (records == "csv") options.format = OutputFormat::csv;
        else if (!records.empty())
          throw Error(Error::Kind::argument, "", std::nullopt,
                      "write: records \"" + records + "\" are none of text, json, csv");
        std::uint64_t n = 0;
        {
          py::gil_scoped_release released;
          Writer w(output, options);
          for (const std::string& path : paths) {
            // A later input that is the file being written (it did not exist before): the
            // command line's refusal, not a read of its own output.
            if (w.writes(path))
              throw Error(Error::Kind::input, path, std::nullopt,
                          "Not reading " + path + ": it is the output file of this write");
            Reader r(path, filter, reader_options(catalogue, format));
            // Ctrl-C stops between two steps (keep_waiting runs the signal handlers), and
            // cancels a live input's wait: what came is written. An input whose file is
            // refused (a template's file made before) is passed over, as the command line
            // goes on with its next input; close() raises the refusal after the rest.
            try {
              n += w.write_all(r, keep_waiting);
            } catch (const Error& e) {
              if (w.failed() || e.kind() != Error::Kind::output) throw;
            }
            if (interrupt_pending()) break;
          }
          w.close();
        }
        raise_if_interrupted();
        return n;
      },
      "paths"_a, "output"_a, "filter"_a, "catalogue"_a, "format"_a, "records"_a, "overwrite"_a,
      "name_template"_a = false, "split_bytes"_a = 0, "time"_a = "local", "position"_a = false,
      "Writes the inputs' messages that pass the filter to `output` as the command line's -o does (records: '' by "
      "the name, or 'text', 'json', 'csv' as --out; name_template: `output` is an -o template, %FILE% naming each "
      "input's files; split_bytes: --split, 0 for none; time, position: --time and --position of text lines); "
      "returns how many. Raises Error (kind 'output' naming the file "
      "when it cannot be created or written, a full disk).");
}
