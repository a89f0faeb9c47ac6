#include "column_buffer.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace py = pybind11;

namespace dltdump::python {

namespace {

std::size_t page_size() noexcept {
  static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

std::size_t round_to_pages(std::size_t bytes) noexcept {
  const std::size_t page = page_size();
  return (bytes + page - 1) / page * page;
}

// What a capsule owns: the mapping, and the objects at its start (an object array's items).
struct Owned {
  Mapping mapping;
  std::size_t objects = 0;

  Owned(Mapping&& m, std::size_t n) : mapping(std::move(m)), objects(n) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    auto* const* items = static_cast<PyObject* const*>(mapping.data());
    for (std::size_t k = 0; k < objects; ++k) Py_XDECREF(items[k]);
    Mapping::recycle(std::move(mapping));
  }
};

// The mappings kept for reuse: the last one kept is the first taken (its pages the most
// likely in the caches).
struct Pool {
  std::mutex mutex;
  std::vector<Mapping> kept;
  std::size_t bytes = 0;
};

Pool& pool() {
  static auto* p = new Pool;  // never destroyed: a capsule may recycle at the interpreter's exit
  return *p;
}

}  // namespace

Mapping::Mapping(std::size_t bytes) {
  if (bytes == 0) return;
  bytes = round_to_pages(bytes);
  // MAP_NORESERVE: pages reserved but never written are not counted against the memory.
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  base_ = p;
  bytes_ = bytes;
}

Mapping Mapping::take(std::size_t bytes) {
  Mapping m;
  {
    Pool& p = pool();
    const std::lock_guard lock(p.mutex);
    if (!p.kept.empty()) {
      m = std::move(p.kept.back());
      p.kept.pop_back();
      p.bytes -= m.bytes();
    }
  }
  if (!m.base_) return Mapping(bytes);
  m.grow(bytes);
  return m;
}

void Mapping::recycle(Mapping&& mapping) noexcept {
  if (!mapping.base_) return;
  Mapping dropped;  // unmapped after the lock is given back
  Pool& p = pool();
  const std::lock_guard lock(p.mutex);
  if (p.bytes + mapping.bytes_ > kPoolBytes) {
    dropped = std::move(mapping);
    return;
  }
  try {
    p.kept.push_back(std::move(mapping));
    p.bytes += p.kept.back().bytes_;
  } catch (const std::bad_alloc&) {
    dropped = std::move(mapping);
  }
}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    if (base_) ::munmap(base_, bytes_);
    base_ = std::exchange(other.base_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    faulted_ = std::exchange(other.faulted_, 0);
    huge_ = std::exchange(other.huge_, false);
  }
  return *this;
}

Mapping::~Mapping() {
  if (base_) ::munmap(base_, bytes_);
}

void Mapping::grow(std::size_t bytes) {
  bytes = round_to_pages(bytes);
  if (bytes <= bytes_) return;
  if (!base_) {
    const bool huge = huge_;
    *this = Mapping(bytes);
    if (huge) advise_huge();
    return;
  }
  // The pages move with their contents (no copy); the part added is fresh. The mapping's
  // advice (huge pages) moves with it and covers the part added.
  void* p = ::mremap(base_, bytes_, bytes, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) throw std::bad_alloc();
  base_ = p;
  bytes_ = bytes;
}

void Mapping::advise_huge() noexcept {
  if (huge_) return;
  huge_ = true;
  // Not fatal when refused (no THP in the kernel): the column is then in small pages.
  if (base_) (void)::madvise(base_, bytes_, MADV_HUGEPAGE);
}

void Mapping::populate(std::size_t begin, std::size_t end) noexcept {
  const std::size_t page = page_size();
  begin = begin / page * page;
  end = round_to_pages(end);
  // Refused by kernels before 5.14 (EINVAL): the pages then fault one by one when written.
  if (base_ && end > begin) (void)::madvise(static_cast<char*>(base_) + begin, end - begin, MADV_POPULATE_WRITE);
  if (end > faulted_) faulted_ = end;
}

void Mapping::trim(std::size_t used) noexcept {
  const std::size_t keep = round_to_pages(used);
  faulted_ = keep;  // written up to `used`, and so the page it ends in
  if (!base_ || keep >= bytes_) return;
  if (keep == 0) {
    *this = Mapping();
    return;
  }
  if (::munmap(static_cast<char*>(base_) + keep, bytes_ - keep) == 0) bytes_ = keep;
}

py::capsule mapping_owner(Mapping&& mapping, std::size_t objects) {
  auto owned = std::make_unique<Owned>(std::move(mapping), objects);
  py::capsule capsule(owned.get(), [](void* p) { delete static_cast<Owned*>(p); });
  owned.release();  // the capsule owns it now
  return capsule;
}

}  // namespace dltdump::python
