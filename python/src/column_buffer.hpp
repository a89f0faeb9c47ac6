// A column's values while read_dataframe decodes: an array in an anonymous mapping of its
// own, grown without copying and handed to numpy without a copy.
//
// Why not a std::vector: a vector grows by copying into a fresh buffer (twice the memory at
// that moment, and every page of the new buffer faulted anew), and on this project's VMs a
// page fault is costly (a quarter of read_dataframe's time went to faults). A mapping grows
// by mremap: the pages written stay as they are (the kernel moves the page tables, not the
// bytes), and pages reserved but never written cost nothing. The pages are faulted ahead of
// the writes, many per system call: the first kHugeFrom bytes of a column kPopulateBytes at
// a time (MADV_POPULATE_WRITE); past them the mapping is advised to transparent huge pages
// (MADV_HUGEPAGE, which THP's "madvise" mode waits for), so that it faults 2 MiB at a time.
// A small column (a filtered read, a chunk of a few rows) stays in small pages, so that it
// does not take 2 MiB of memory. The mappings of the arrays numpy has dropped are kept for
// the next columns (up to kPoolBytes, as malloc keeps freed memory): a process that reads
// again and again (a Dask worker) reuses their pages instead of faulting fresh ones.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace dltdump::python {

// Bytes a column holds before its mapping is advised to huge pages.
inline constexpr std::size_t kHugeFrom = std::size_t{2} << 20;
// Below kHugeFrom, the bytes faulted at a time ahead of the writes.
inline constexpr std::size_t kPopulateBytes = std::size_t{64} << 10;
// The bytes of dropped columns' mappings kept for reuse, at most.
inline constexpr std::size_t kPoolBytes = std::size_t{64} << 20;

// An anonymous private mapping of bytes, read-write, zero-filled where never written.
class Mapping {
 public:
  Mapping() = default;
  // Reserves `bytes` (rounded up to pages; 0: no mapping). Throws std::bad_alloc.
  explicit Mapping(std::size_t bytes);
  Mapping(Mapping&& other) noexcept
      : base_(std::exchange(other.base_, nullptr)), bytes_(std::exchange(other.bytes_, 0)),
        faulted_(std::exchange(other.faulted_, 0)), huge_(std::exchange(other.huge_, false)) {}
  // A mapping of at least `bytes`: one kept by recycle() (its pages already faulted in), else
  // a new one. Thread-safe. Throws std::bad_alloc.
  static Mapping take(std::size_t bytes);
  // Keeps `mapping` (its first used bytes written: see trim) for take(), or unmaps it when
  // kPoolBytes are kept already. Thread-safe.
  static void recycle(Mapping&& mapping) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping();  // unmaps

  void* data() const noexcept { return base_; }
  std::size_t bytes() const noexcept { return bytes_; }
  // The first bytes whose pages are known to be faulted in (populated or written).
  std::size_t faulted() const noexcept { return faulted_; }
  // Grows to at least `bytes`, keeping the contents (the mapping may move: data() changes).
  // Throws std::bad_alloc (the mapping is then unchanged).
  void grow(std::size_t bytes);
  // Advises the whole mapping to huge pages (once; now and after any growth). The pages
  // already written stay small; a kernel without THP ignores it.
  void advise_huge() noexcept;
  // Faults the pages of bytes [begin, end) in (writable, zero) in one system call, where the
  // kernel can (Linux 5.14); otherwise they fault when written. Assumes end <= bytes().
  void populate(std::size_t begin, std::size_t end) noexcept;
  // Gives back the pages after the first `used` bytes (rounded up to a page), which have
  // been written: what a reservation larger than its contents no longer needs.
  void trim(std::size_t used) noexcept;

 private:
  void* base_ = nullptr;
  std::size_t bytes_ = 0;
  std::size_t faulted_ = 0;
  bool huge_ = false;
};

// A capsule owning `mapping` (numpy's base of an array over it, also an empty one): unmaps
// it when numpy drops the array. With `objects` > 0 the mapping holds that many owned
// PyObject* first, released (Py_XDECREF) before the unmapping: numpy releases the items of
// an object array only when it owns the array's memory. Needs the GIL; throws
// std::bad_alloc or py::error_already_set (then `mapping` is unmapped, the objects released).
pybind11::capsule mapping_owner(Mapping&& mapping, std::size_t objects = 0);

// A growable array of trivially copyable values in a Mapping.
template <class T>
class Column {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Column() = default;

  void push_back(T value) {
    if (size_ == limit_) make_room();
    data()[size_++] = value;
  }
  // Reserves room for `n` values before the first push_back (a bound known up front): the
  // column then grows without moving its pages (each move of a mapping flushes the TLB of
  // every CPU the process's threads ran on). Reserved pages never written cost nothing.
  // Throws std::bad_alloc.
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    if (!mapping_.data()) mapping_ = Mapping::take(n * sizeof(T));
    else mapping_.grow(n * sizeof(T));
    capacity_ = mapping_.bytes() / sizeof(T);
    limit_ = size_;  // push_back looks at the room again
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T* data() noexcept { return static_cast<T*>(mapping_.data()); }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  T& operator[](std::size_t k) noexcept { return data()[k]; }
  const T& back() const noexcept { return static_cast<const T*>(mapping_.data())[size_ - 1]; }

  // The values as a 1-d numpy array of `dtype` (the values' own without one), which owns
  // the mapping; the column is then empty. Needs the GIL.
  pybind11::array release(const char* dtype = nullptr) {
    const pybind11::dtype type = dtype ? pybind11::dtype(dtype) : pybind11::dtype::of<T>();
    return release_as(type, 0);
  }
  // The same, for a column of owned PyObject* (an object array; see mapping_owner).
  pybind11::array release_objects() {
    static_assert(std::is_same_v<T, PyObject*>);
    return release_as(pybind11::dtype("O"), size_);
  }

 private:
  // The first growth reserves this many values; growth doubles.
  static constexpr std::size_t kFirst = 16 * 1024;
  static_assert(sizeof(T) <= kPopulateBytes);

  // At limit_: grows the mapping when full, and faults the next pages in.
  void make_room() {
    if (size_ == capacity_) {
      if (!mapping_.data()) mapping_ = Mapping::take(kFirst * sizeof(T));
      else mapping_.grow(capacity_ * 2 * sizeof(T));
      capacity_ = mapping_.bytes() / sizeof(T);
    }
    const std::size_t at = size_ * sizeof(T);
    if (const std::size_t faulted = std::min(capacity_, mapping_.faulted() / sizeof(T)); faulted > size_) {
      limit_ = faulted;  // a recycled mapping's pages
      return;
    }
    if (at >= kHugeFrom) {
      mapping_.advise_huge();
      limit_ = capacity_;
      return;
    }
    // The next kPopulateBytes (to a value's end, so that limit_ is a whole value).
    const std::size_t ahead = std::min(std::max(kPopulateBytes, sizeof(T)), mapping_.bytes() - at);
    const std::size_t end = at + ahead / sizeof(T) * sizeof(T);
    mapping_.populate(at, end);
    limit_ = end / sizeof(T);
  }

  pybind11::array release_as(const pybind11::dtype& type, std::size_t objects) {
    const auto n = static_cast<pybind11::ssize_t>(size_);
    mapping_.trim(size_ * sizeof(T));
    void* values = mapping_.data();
    pybind11::capsule owner = mapping_owner(std::move(mapping_), objects);
    size_ = capacity_ = limit_ = 0;
    return pybind11::array(type, {n}, {static_cast<pybind11::ssize_t>(sizeof(T))}, values, owner);
  }

  Mapping mapping_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::size_t limit_ = 0;  // push_back's next look at the room: the end of the pages faulted in, or capacity_
};

}  // namespace dltdump::python
