// The man page dltdump(1), made from the option table and the help's sections, so that it
// lists exactly the options the command line takes (dltdump --generate=man; cmake --install
// puts it in share/man/man1).
#pragma once

#include <string>
#include <string_view>

namespace dltdump::cli {

// The page in roff with the man macros (groff_man(7)). No date: the same build makes the
// same page.
std::string man_page();

// `text` as roff body text: backslashes and hyphens escaped, a leading `.` or `'` made
// literal. Exposed for the tests.
std::string roff_text(std::string_view text);

}  // namespace dltdump::cli
