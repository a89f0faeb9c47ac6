// While a run of Python objects is made (read_dataframe's strings, a chunk at a time),
// pymalloc's new arenas are faulted in whole when they are allocated, in one system call
// (MADV_POPULATE_WRITE), instead of a page fault per 4 KiB as they fill: on this project's
// VMs a page fault is costly, and the strings fill every arena they take (~a tenth of
// read_dataframe's time went to their faults).
//
// The interpreter's arena allocator is wrapped, not replaced: an arena is still allocated
// and freed by the allocator that was set before (the default: mmap and munmap), so arenas
// allocated while the wrapper is set may be freed after it is gone, and the other way round.
#pragma once

#include <Python.h>

namespace dltdump::python {

class PopulatedArenas {
 public:
  // Sets the wrapper. Needs the GIL, held until the destructor (pymalloc runs under it).
  PopulatedArenas();
  ~PopulatedArenas();  // sets the allocator back
  PopulatedArenas(const PopulatedArenas&) = delete;
  PopulatedArenas& operator=(const PopulatedArenas&) = delete;

 private:
  static void* alloc(void* self, std::size_t size);
  static void free(void* self, void* arena, std::size_t size);

  PyObjectArenaAllocator before_{};
};

}  // namespace dltdump::python
