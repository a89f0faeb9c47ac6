// The command line's run from a program: the warnings and errors of the inputs, a DLT file
// per input and lifecycle in a folder — what
//   dltdump --level=warn -o '<folder>/%FILE%_%LC%.dlt' <input>...
// writes, since the program is built on the same dltdump::Dump.
// Usage: run_dump <folder> <input>...   (exit status: the command line's)
#include <unistd.h>

#include <dltdump/dltdump.hpp>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: run_dump <folder> <input>...\n";
    return 1;
  }
  try {
    dltdump::DumpOptions options;
    options.inputs.assign(argv + 2, argv + argc);
    options.filter.level(dltdump::Level::warn);
    options.output = std::string(argv[1]) + "/%FILE%_%LC%.dlt";
    dltdump::Dump dump{options};  // checks the options as the command line does
    for (const std::string& warning : dump.warnings()) std::cerr << "run_dump: warning: " << warning << "\n";
    return dump.run(STDOUT_FILENO, STDERR_FILENO);
  } catch (const dltdump::Error& e) {
    std::cerr << "run_dump: " << e.what() << "\n";
    return 1;
  }
}
