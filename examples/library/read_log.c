/* read_log.cpp in C, through dltdump.h: the messages of a file that pass a filter,
 *   <time µs> <counter> <ecu> <app> <ctx> <level> <payload text>
 * Usage: read_log_c FILE [APPID [LEVEL]]     (LEVEL: 1 fatal ... 6 verbose) */
#include <dltdump/dltdump.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: read_log_c FILE [APPID [LEVEL]]\n");
    return 2;
  }
  dltdump_filter* filter = dltdump_filter_new();
  if (!filter || (argc > 2 && dltdump_filter_appid(filter, argv[2]) != DLTDUMP_OK) ||
      (argc > 3 && dltdump_filter_level(filter, atoi(argv[3])) != DLTDUMP_OK)) {
    fprintf(stderr, "read_log_c: %s\n", dltdump_last_error());
    return 1;
  }
  dltdump_reader* reader = NULL;
  if (dltdump_reader_open(argv[1], filter, NULL, 0, &reader) != DLTDUMP_OK) {
    fprintf(stderr, "read_log_c: %s\n", dltdump_last_error());
    dltdump_filter_free(filter);
    return 1;
  }
  dltdump_filter_free(filter);
  const dltdump_message* m;
  dltdump_status status;
  size_t capacity = 4096;
  char* text = malloc(capacity);
  while ((status = dltdump_reader_next(reader, &m)) == DLTDUMP_OK) {
    char ecu[5], app[5], ctx[5];
    dltdump_id_text(dltdump_message_ecu(m), ecu);
    dltdump_id_text(dltdump_message_app(m), app);
    dltdump_id_text(dltdump_message_ctx(m), ctx);
    const size_t length = dltdump_message_text(m, text, capacity);
    if (length >= capacity) { /* as snprintf: the full length, to ask again with room */
      capacity = length + 1;
      text = realloc(text, capacity);
      dltdump_message_text(m, text, capacity);
    }
    printf("%lld %u %s %s %s %d %s\n", (long long)dltdump_message_time_us(m), (unsigned)dltdump_message_counter(m), ecu,
           app, ctx, dltdump_message_level(m), text);
  }
  free(text);
  dltdump_reader_free(reader);
  if (status != DLTDUMP_END) {
    fprintf(stderr, "read_log_c: %s\n", dltdump_last_error());
    return 1;
  }
  return 0;
}
