#include "populated_arenas.hpp"

#include <sys/mman.h>

namespace dltdump::python {

PopulatedArenas::PopulatedArenas() {
  PyObject_GetArenaAllocator(&before_);
  PyObjectArenaAllocator wrapper{this, &PopulatedArenas::alloc, &PopulatedArenas::free};
  PyObject_SetArenaAllocator(&wrapper);  // copied by the interpreter
}

PopulatedArenas::~PopulatedArenas() { PyObject_SetArenaAllocator(&before_); }

void* PopulatedArenas::alloc(void* self, std::size_t size) {
  const PyObjectArenaAllocator& before = static_cast<PopulatedArenas*>(self)->before_;
  void* arena = before.alloc(before.ctx, size);
  // Refused by kernels before 5.14, or for memory that is no private mapping: the arena then
  // faults page by page, as without the wrapper.
  if (arena) (void)::madvise(arena, size, MADV_POPULATE_WRITE);
  return arena;
}

void PopulatedArenas::free(void* self, void* arena, std::size_t size) {
  const PyObjectArenaAllocator& before = static_cast<PopulatedArenas*>(self)->before_;
  before.free(before.ctx, arena, size);
}

}  // namespace dltdump::python
