#include "columns.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <unordered_map>
#include <utility>

namespace py = pybind11;

namespace dltdump::python {

namespace {

// Messages decoded between two takings of the GIL: large enough that the switches cost
// nothing (a waiting thread may hold the GIL for its switch interval, 5 ms, before giving
// it back), small enough that a chunk's texts are a few MB.
constexpr std::size_t kChunkMessages = 64 * 1024;

// A vector handed to numpy without a copy: the array owns it through a capsule.
template <class T>
py::array take(std::vector<T>&& values, const char* dtype = nullptr) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  const py::dtype type = dtype ? py::dtype(dtype) : py::dtype::of<T>();
  return py::array(type, {static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                   owned->data(), owner);
}

// A column of ids as codes into the ids seen, in the order seen (a pandas Categorical).
class IdColumn {
 public:
  void add(Id id) {
    const std::uint32_t key = id.value();
    if (codes_.empty() || key != last_key_) {
      last_key_ = key;
      last_code_ = index_.try_emplace(key, static_cast<std::int32_t>(ids_.size())).first->second;
      if (static_cast<std::size_t>(last_code_) == ids_.size()) ids_.push_back(id);
    }
    codes_.push_back(last_code_);
  }
  // {"codes": array, "categories": [str]}; needs the GIL. Ids that show the same ("AP\x01"
  // and "AP\x02" both as "AP.") are one category: pandas refuses repeated categories.
  py::dict finish() {
    py::list categories;
    py::dict code_of;  // text → code
    std::vector<std::int32_t> merged(ids_.size());
    for (std::size_t k = 0; k < ids_.size(); ++k) {
      const py::str text = id_text(ids_[k]);
      if (!code_of.contains(text)) {
        code_of[text] = py::int_(py::len(categories));
        categories.append(text);
      }
      merged[k] = code_of[text].cast<std::int32_t>();
    }
    if (py::len(categories) != ids_.size())
      for (std::int32_t& code : codes_) code = merged[static_cast<std::size_t>(code)];
    py::dict d;
    d["codes"] = take(std::move(codes_));
    d["categories"] = categories;
    return d;
  }

 private:
  std::unordered_map<std::uint32_t, std::int32_t> index_;
  std::vector<Id> ids_;
  std::vector<std::int32_t> codes_;
  std::uint32_t last_key_ = 0;
  std::int32_t last_code_ = 0;
};

// A column of the few type texts ("log error", …) as codes; "" (no type) is a category too.
class TextColumn {
 public:
  void add(std::string_view text) {
    if (codes_.empty() || text != texts_[static_cast<std::size_t>(last_)]) {
      std::size_t k = 0;
      while (k < texts_.size() && texts_[k] != text) ++k;
      if (k == texts_.size()) texts_.emplace_back(text);
      last_ = static_cast<std::int16_t>(k);
    }
    codes_.push_back(last_);
  }
  py::dict finish() {
    py::dict d;
    d["codes"] = take(std::move(codes_));
    d["categories"] = py::cast(texts_);
    return d;
  }

 private:
  std::vector<std::string> texts_;
  std::vector<std::int16_t> codes_;
  std::int16_t last_ = 0;
};

// The texts of the messages, as Python strings (owned references until handed over).
class TextObjects {
 public:
  TextObjects() = default;
  TextObjects(const TextObjects&) = delete;
  TextObjects& operator=(const TextObjects&) = delete;
  ~TextObjects() {
    for (PyObject* o : objects_) Py_XDECREF(o);
  }
  // The texts of a chunk: bytes[ends[k-1], ends[k]) is text k. Needs the GIL.
  void add(const std::string& bytes, const std::vector<std::size_t>& ends) {
    objects_.reserve(objects_.size() + ends.size());
    std::size_t begin = 0;
    for (const std::size_t end : ends) {
      PyObject* s = PyUnicode_DecodeUTF8(bytes.data() + begin, static_cast<Py_ssize_t>(end - begin), "replace");
      if (!s) throw py::error_already_set();
      objects_.push_back(s);
      begin = end;
    }
  }
  // A numpy object array taking the strings over.
  py::array finish() {
    py::array array(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(objects_.size())});
    auto** slots = static_cast<PyObject**>(array.mutable_data());
    for (std::size_t k = 0; k < objects_.size(); ++k) {
      Py_XDECREF(slots[k]);  // numpy filled the array with None
      slots[k] = std::exchange(objects_[k], nullptr);
    }
    objects_.clear();
    return array;
  }

 private:
  std::vector<PyObject*> objects_;
};

struct Columns {
  std::vector<std::int32_t> input;
  std::vector<std::uint64_t> position;
  std::vector<std::int64_t> time_ns;  // datetime64[ns]; NaT without a time source
  std::vector<double> device_time;    // seconds; NaN without
  std::vector<std::uint8_t> counter;
  IdColumn ecu, app, ctx;
  std::vector<std::int32_t> session;  // signed, as a line shows it
  std::vector<std::uint8_t> session_missing;
  std::vector<std::int8_t> kind;  // PayloadKind
  TextColumn type;                // the TYPE column's text, split by the Python side
  std::vector<std::uint8_t> level;
  std::vector<std::uint32_t> message_id;
  std::vector<std::uint8_t> message_id_missing;  // verbose and control messages
  std::vector<std::uint8_t> noar;
  std::vector<std::uint8_t> noar_missing;  // control messages

  void add(const Message& m, std::int32_t file) {
    input.push_back(file);
    position.push_back(m.position());
    time_ns.push_back(m.has_time() ? m.time().time_since_epoch().count() * 1000
                                   : std::numeric_limits<std::int64_t>::min());
    device_time.push_back(m.has_device_time() ? m.device_time() / 10000.0 : std::numeric_limits<double>::quiet_NaN());
    counter.push_back(m.counter());
    ecu.add(m.ecu());
    app.add(m.app());
    ctx.add(m.ctx());
    session.push_back(static_cast<std::int32_t>(m.session()));
    session_missing.push_back(!m.has_session());
    const PayloadKind k = m.kind();
    kind.push_back(static_cast<std::int8_t>(k));
    type.add(m.type_text());
    level.push_back(static_cast<std::uint8_t>(m.level()));
    message_id.push_back(k == PayloadKind::non_verbose ? m.message_id() : 0);
    message_id_missing.push_back(k != PayloadKind::non_verbose);
    noar.push_back(k == PayloadKind::control ? 0 : m.argument_count());
    noar_missing.push_back(k == PayloadKind::control);
  }

  py::dict finish() {
    py::dict d;
    d["input"] = take(std::move(input));
    d["position"] = take(std::move(position));
    d["time"] = take(std::move(time_ns), "datetime64[ns]");
    d["device_time"] = take(std::move(device_time));
    d["counter"] = take(std::move(counter));
    d["ecu"] = ecu.finish();
    d["app"] = app.finish();
    d["ctx"] = ctx.finish();
    d["session"] = take(std::move(session));
    d["session_missing"] = take(std::move(session_missing), "?");
    d["kind"] = take(std::move(kind));
    d["type"] = type.finish();
    d["level"] = take(std::move(level));
    d["message_id"] = take(std::move(message_id));
    d["message_id_missing"] = take(std::move(message_id_missing), "?");
    d["noar"] = take(std::move(noar));
    d["noar_missing"] = take(std::move(noar_missing), "?");
    return d;
  }
};

}  // namespace

void init_numpy() {
  try {
    py::module_::import("numpy");
    (void)py::dtype::of<std::int64_t>();  // pybind11's numpy API, set up now
  } catch (const py::error_already_set& e) {
    if (!e.matches(PyExc_ImportError)) throw;  // no numpy: read_dataframe raises ImportError then
  }
}

py::str id_text(Id id) {
  char chars[4];
  const std::size_t n = id.size();
  for (std::size_t k = 0; k < n; ++k) {
    const auto c = static_cast<unsigned char>(id.chars[k]);
    chars[k] = c < 0x20 || c == 0x7F ? '.' : id.chars[k];
  }
  PyObject* s = PyUnicode_DecodeUTF8(chars, static_cast<Py_ssize_t>(n), "replace");
  if (!s) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

py::dict read_columns(const ColumnRequest& request) {
  Columns columns;
  TextObjects texts;  // destroyed with the GIL held: declared outside the released scopes
  std::string chunk_text;
  std::vector<std::size_t> chunk_ends;
  std::uint64_t skipped = 0;
  std::vector<std::uint64_t> ends;  // where each input's reading ended (a chunk's: a cut)
  py::list warnings;                // the command line's warning lines (read_dataframe warns with them)
  // The input column's categories: the names given, each once (["a.dlt", "a.dlt"] reads a.dlt
  // twice, one category), decoded as Python decodes file names (os.fsdecode).
  py::list inputs;
  std::vector<std::int32_t> input_code;
  {
    py::dict code_of;
    for (const std::string& path : request.paths) {
      PyObject* o = PyUnicode_DecodeFSDefaultAndSize(path.data(), static_cast<Py_ssize_t>(path.size()));
      if (!o) throw py::error_already_set();
      const auto name = py::reinterpret_steal<py::str>(o);
      if (!code_of.contains(name)) {
        code_of[name] = py::int_(py::len(inputs));
        inputs.append(name);
      }
      input_code.push_back(code_of[name].cast<std::int32_t>());
    }
  }
  for (std::size_t f = 0; f < request.paths.size(); ++f) {
    std::optional<Reader> reader;
    for (bool end = false; !end;) {
      {
        py::gil_scoped_release released;
        if (!reader) reader.emplace(request.paths[f], request.filter, request.options);
        for (std::size_t n = 0; n < kChunkMessages && !end;) {
          const std::span<const Message> batch = reader->next_batch();
          end = batch.empty();
          for (const Message& m : batch) {
            columns.add(m, input_code[f]);
            if (request.text) {
              chunk_text += m.text();
              chunk_ends.push_back(chunk_text.size());
            }
          }
          n += batch.size();
        }
      }
      texts.add(chunk_text, chunk_ends);
      chunk_text.clear();
      chunk_ends.clear();
      // Ctrl-C (a signal handler raising) stops the reading here, not after the last input.
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    skipped += reader->skipped_bytes();
    ends.push_back(reader->offset());
    if (const std::string w = reader->warning(); !w.empty()) {
      PyObject* s = PyUnicode_DecodeUTF8(w.data(), static_cast<Py_ssize_t>(w.size()), "replace");  // a name's bytes
      if (!s) throw py::error_already_set();
      warnings.append(py::reinterpret_steal<py::str>(s));
    }
  }
  py::dict d = columns.finish();
  if (request.text) d["text"] = texts.finish();
  d["inputs"] = inputs;
  d["skipped_bytes"] = skipped;
  d["ends"] = py::cast(ends);
  d["warnings"] = warnings;
  return d;
}

}  // namespace dltdump::python
