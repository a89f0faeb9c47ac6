/* Writes the messages of a file that pass a level filter to another file, through
 * dltdump.h, as `dltdump --level=LEVEL IN -o OUT` writes them: the name of OUT says what
 * it holds (*.dlt, *.pcapng, *.jsonl, *.csv, text; .gz/.zst/.xz compress it).
 * Usage: write_log_c IN OUT [LEVEL]     (LEVEL: 1 fatal ... 6 verbose) */
#include <dltdump/dltdump.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: write_log_c IN OUT [LEVEL]\n");
    return 2;
  }
  dltdump_filter* filter = dltdump_filter_new();
  if (!filter || (argc > 3 && dltdump_filter_level(filter, atoi(argv[3])) != DLTDUMP_OK)) {
    fprintf(stderr, "write_log_c: %s\n", dltdump_last_error());
    return 1;
  }
  dltdump_reader* reader = NULL;
  dltdump_status status = dltdump_reader_open(argv[1], filter, NULL, 0, &reader);
  dltdump_filter_free(filter);
  if (status != DLTDUMP_OK) {
    fprintf(stderr, "write_log_c: %s\n", dltdump_last_error());
    return 1;
  }
  /* As -o does, never write over the input (OUT naming IN, or a link to it, is refused). */
  dltdump_writer_options* options = dltdump_writer_options_new();
  dltdump_writer* writer = NULL;
  if (!options || dltdump_writer_options_input(options, argv[1]) != DLTDUMP_OK ||
      dltdump_writer_open_with(argv[2], options, &writer) != DLTDUMP_OK) {
    fprintf(stderr, "write_log_c: %s\n", options ? dltdump_last_error() : "out of memory");
    dltdump_writer_options_free(options);
    dltdump_reader_free(reader);
    return 1;
  }
  dltdump_writer_options_free(options); /* the writer keeps what it needs */
  const dltdump_message* m;
  while ((status = dltdump_reader_next(reader, &m)) == DLTDUMP_OK)
    if ((status = dltdump_writer_write(writer, m)) != DLTDUMP_OK) break;
  /* Close before free: a full disk is reported here at the latest. */
  if (status == DLTDUMP_END) status = dltdump_writer_close(writer);
  if (status != DLTDUMP_OK) fprintf(stderr, "write_log_c: %s\n", dltdump_last_error());
  else printf("%llu messages\n", (unsigned long long)dltdump_writer_messages(writer));
  dltdump_writer_free(writer);
  dltdump_reader_free(reader);
  return status == DLTDUMP_OK ? 0 : 1;
}
