/* The dltdump C API: the C++ API (dltdump/dltdump.hpp) for C and foreign-function users.
 *
 * Opaque handles, status codes and no exceptions: every function that can fail returns a
 * dltdump_status; on failure, dltdump_last_error() gives the one-line message on the calling
 * thread (valid until that thread's next failing call).
 *
 *   dltdump_filter* f = dltdump_filter_new();
 *   dltdump_filter_appid(f, "NAV");
 *   dltdump_reader* r;
 *   if (dltdump_reader_open("trip.dlt", f, NULL, 0, &r) != DLTDUMP_OK) { puts(dltdump_last_error()); ... }
 *   const dltdump_message* m;
 *   while (dltdump_reader_next(r, &m) == DLTDUMP_OK) { ... }
 *   dltdump_reader_free(r); dltdump_filter_free(f);
 *
 * Lifetimes: a message is valid until the next dltdump_reader_next on its reader or the
 * reader's end. A reader keeps what it needs of its filter: the filter may be freed once
 * the reader is open. Thread-safety: one reader is used by one thread at a time, but for
 * dltdump_reader_cancel, which any thread may call while the reader exists (not while it is
 * freed); readers are independent of each other. */
#ifndef DLTDUMP_DLTDUMP_H
#define DLTDUMP_DLTDUMP_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define DLTDUMP_C_API __attribute__((visibility("default")))
#else
#define DLTDUMP_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dltdump_status {
  DLTDUMP_OK = 0,
  DLTDUMP_END = 1,              /* dltdump_reader_next: no more messages */
  DLTDUMP_ERROR_INPUT = -1,     /* an input cannot be opened or read, or is malformed */
  DLTDUMP_ERROR_ARGUMENT = -2,  /* a value given is wrong (an id too long, a bad pattern, NULL) */
  DLTDUMP_ERROR_FIBEX = -3,     /* a FIBEX file cannot be read */
  DLTDUMP_ERROR_INTERNAL = -4,  /* the library failed (out of memory, a broken rule) */
  DLTDUMP_ERROR_OUTPUT = -5     /* a writer's file cannot be created, or a write failed */
} dltdump_status;

typedef struct dltdump_filter dltdump_filter;
typedef struct dltdump_reader dltdump_reader;
typedef struct dltdump_message dltdump_message;

/* The message of the calling thread's last failure ("" if none). */
DLTDUMP_C_API const char* dltdump_last_error(void);
/* The library's version, e.g. "0.1.0". */
DLTDUMP_C_API const char* dltdump_version(void);

/* Filters: the command line's filter options (docs/library.md). NULL on out of memory. */
DLTDUMP_C_API dltdump_filter* dltdump_filter_new(void);
DLTDUMP_C_API void dltdump_filter_free(dltdump_filter* filter);
DLTDUMP_C_API dltdump_status dltdump_filter_ecuid(dltdump_filter* filter, const char* id);
DLTDUMP_C_API dltdump_status dltdump_filter_appid(dltdump_filter* filter, const char* id);
DLTDUMP_C_API dltdump_status dltdump_filter_ctxid(dltdump_filter* filter, const char* id);
/* Log messages of `level` (1 fatal ... 6 verbose) or a more severe one. */
DLTDUMP_C_API dltdump_status dltdump_filter_level(dltdump_filter* filter, int level);
DLTDUMP_C_API dltdump_status dltdump_filter_message_id(dltdump_filter* filter, uint32_t id);
/* Times in microseconds since 1970 UTC, inclusive; DLTDUMP_ERROR_ARGUMENT (nothing set) when
 * not_before_us > not_after_us. */
DLTDUMP_C_API dltdump_status dltdump_filter_time_range(dltdump_filter* filter, int64_t not_before_us,
                                                       int64_t not_after_us);
DLTDUMP_C_API dltdump_status dltdump_filter_contains(dltdump_filter* filter, const char* text);
DLTDUMP_C_API dltdump_status dltdump_filter_regex(dltdump_filter* filter, const char* pattern);

/* Opens `path` ("-": standard input; tcp://host[:port], udp://addr[:port][?bindto=ip] and
 * ser:port,baud,... as the command line takes them: live inputs, see dltdump::Reader),
 * filtered by `filter` (NULL: none), with the FIBEX files `fibex` (`fibex_count` paths,
 * none NULL; 0: none). A TCP input is connected here (DLTDUMP_ERROR_INPUT, naming the
 * end-point, when it cannot be). */
DLTDUMP_C_API dltdump_status dltdump_reader_open(const char* path, const dltdump_filter* filter,
                                                 const char* const* fibex, size_t fibex_count, dltdump_reader** out);
/* Reads `size` bytes at `data`, which must outlive the reader. */
DLTDUMP_C_API dltdump_status dltdump_reader_open_memory(const void* data, size_t size, const dltdump_filter* filter,
                                                        dltdump_reader** out);
DLTDUMP_C_API void dltdump_reader_free(dltdump_reader* reader);
/* The next message: DLTDUMP_OK with *out set, DLTDUMP_END at the end, or an error. For a live
 * input it blocks until a message arrives, the input ends or the reader is cancelled. */
DLTDUMP_C_API dltdump_status dltdump_reader_next(dltdump_reader* reader, const dltdump_message** out);
/* Ends the input (dltdump::Reader::cancel): from any thread, while the reader exists; a
 * blocked dltdump_reader_next returns within 100 ms, with the messages already received and
 * then DLTDUMP_END. NULL does nothing. */
DLTDUMP_C_API void dltdump_reader_cancel(dltdump_reader* reader);
/* Bytes skipped so far (no valid packet). */
DLTDUMP_C_API uint64_t dltdump_reader_skipped_bytes(const dltdump_reader* reader);

/* A message's fields (see dltdump::Message) of a message dltdump_reader_next gave, valid as
 * long as the message (see Lifetimes). A NULL `m` reads as an empty message (every field 0,
 * the text "") and sets dltdump_last_error. Ids are 4-byte values (byte k in bits 8k..8k+7,
 * zero after the id's end); dltdump_id_text writes one as a C string into `text` (5 bytes). */
DLTDUMP_C_API int64_t dltdump_message_time_us(const dltdump_message* m);
DLTDUMP_C_API int dltdump_message_has_time(const dltdump_message* m);
DLTDUMP_C_API uint32_t dltdump_message_device_time(const dltdump_message* m); /* 0.1 ms units */
DLTDUMP_C_API uint8_t dltdump_message_counter(const dltdump_message* m);
DLTDUMP_C_API uint32_t dltdump_message_ecu(const dltdump_message* m);
DLTDUMP_C_API uint32_t dltdump_message_app(const dltdump_message* m);
DLTDUMP_C_API uint32_t dltdump_message_ctx(const dltdump_message* m);
DLTDUMP_C_API uint32_t dltdump_message_session(const dltdump_message* m);
DLTDUMP_C_API int dltdump_message_level(const dltdump_message* m);    /* 1-6, 0: none */
DLTDUMP_C_API int dltdump_message_type(const dltdump_message* m);     /* MSTP: 0 log ... 3 control */
DLTDUMP_C_API int dltdump_message_kind(const dltdump_message* m);     /* 0 verbose, 1 non-verbose, 2 control */
DLTDUMP_C_API uint32_t dltdump_message_id(const dltdump_message* m);  /* non-verbose message id */
DLTDUMP_C_API uint64_t dltdump_message_position(const dltdump_message* m);
/* The payload text, as snprintf: writes at most `size` bytes (NUL-terminated when size > 0)
 * and returns the text's full length. */
DLTDUMP_C_API size_t dltdump_message_text(const dltdump_message* m, char* text, size_t size);
DLTDUMP_C_API void dltdump_id_text(uint32_t id, char text[5]);

/* Writers (dltdump::Writer, dltdump/writer.hpp): messages written to a file as the command
 * line's -o writes them — DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl,
 * CSV for *.csv, text lines otherwise, compressed by a .gz, .zst or .xz suffix.
 *
 *   dltdump_writer* w;
 *   if (dltdump_writer_open("out.dlt", DLTDUMP_OUTPUT_AUTOMATIC, 0, &w) != DLTDUMP_OK) ...
 *   while (dltdump_reader_next(r, &m) == DLTDUMP_OK) dltdump_writer_write(w, m);
 *   if (dltdump_writer_close(w) != DLTDUMP_OK) puts(dltdump_last_error());  (a full disk)
 *   dltdump_writer_free(w);
 *
 * dltdump_writer_close writes everything or fails with DLTDUMP_ERROR_OUTPUT naming the
 * file; after a failure every later write and close fails the same way. A file that may not
 * be made (it exists without overwrite; with a name template, an input given twice) fails
 * only the writes of the input that needs it: the writer goes on with other inputs' files,
 * as the command line does, and dltdump_writer_close then fails with that first refusal
 * once it has written them (dltdump::Writer, "failed"). dltdump_writer_free
 * closes a writer not closed, but a failure is then lost: close first. A writer is used by
 * one thread at a time. */
typedef struct dltdump_writer dltdump_writer;
typedef enum dltdump_output_format {
  DLTDUMP_OUTPUT_AUTOMATIC = 0, /* by the name */
  DLTDUMP_OUTPUT_DLT = 1,
  DLTDUMP_OUTPUT_PCAPNG = 2,
  DLTDUMP_OUTPUT_TEXT = 3, /* text, JSON Lines or CSV records in a file of another name: --out */
  DLTDUMP_OUTPUT_JSON = 4,
  DLTDUMP_OUTPUT_CSV = 5
} dltdump_output_format;
/* Opens a writer of `path` (created with the first message); `overwrite` non-zero: an
 * existing file is truncated (-f), else refused (DLTDUMP_ERROR_OUTPUT at the first write).
 * The same as dltdump_writer_open_with options of that format and overwrite. */
DLTDUMP_C_API dltdump_status dltdump_writer_open(const char* path, dltdump_output_format format, int overwrite,
                                                 dltdump_writer** out);
/* A writer's options (dltdump::WriterOptions) as an opaque handle set field by field, as a
 * filter is — so that an option added later is a function added, and no program built
 * against this header has to change. A new one holds the defaults: DLTDUMP_OUTPUT_AUTOMATIC,
 * no overwrite, no inputs. NULL on out of memory. The writer keeps what it needs: the
 * options may be freed (or used again) once it is open.
 *
 *   dltdump_writer_options* o = dltdump_writer_options_new();
 *   dltdump_writer_options_input(o, "trip.dlt");   (the file being read: never written)
 *   dltdump_writer_options_overwrite(o, 1);
 *   dltdump_writer_open_with("out.dlt", o, &w);
 *   dltdump_writer_options_free(o); */
typedef struct dltdump_writer_options dltdump_writer_options;
DLTDUMP_C_API dltdump_writer_options* dltdump_writer_options_new(void);
DLTDUMP_C_API void dltdump_writer_options_free(dltdump_writer_options* options);
DLTDUMP_C_API dltdump_status dltdump_writer_options_format(dltdump_writer_options* options,
                                                           dltdump_output_format format);
DLTDUMP_C_API dltdump_status dltdump_writer_options_overwrite(dltdump_writer_options* options, int overwrite);
/* Adds `path` to the files never to be written, even with overwrite (the inputs being
 * read, as the command line's -o never writes over an input): the writer's file being one
 * of them (by identity: a link, another spelling) is DLTDUMP_ERROR_OUTPUT "Not overwriting
 * the input file ..." at the first write. A file that does not exist when the writer is
 * opened is not known. */
DLTDUMP_C_API dltdump_status dltdump_writer_options_input(dltdump_writer_options* options, const char* path);
/* Non-zero: the writer's name is a template of file names, as -o's (%FILE%, %CTR%, %CDATE%,
 * %CTIME%, %CDATETIME%, %%, environment variables; dltdump::WriterOptions::name_template):
 * with %FILE% each input's messages go to files of their own (write each reader's messages
 * together). 0 (the default): a % is a character of the name. */
DLTDUMP_C_API dltdump_status dltdump_writer_options_name_template(dltdump_writer_options* options,
                                                                  int name_template);
/* --split: a file holding `bytes` (65536 at least; before compression) is closed at the next
 * message and the next one of the template's series begun (%CTR% or a date or time in the
 * name; else the open fails with DLTDUMP_ERROR_ARGUMENT). 0 (the default): no split. */
DLTDUMP_C_API dltdump_status dltdump_writer_options_split(dltdump_writer_options* options, uint64_t bytes);
/* --time of text lines (dltdump::TimeColumn): the TIME column in local time (the default), in
 * UTC, as ISO 8601 in UTC, as seconds since the writer's first line with a time, or none. */
typedef enum dltdump_time_column {
  DLTDUMP_TIME_LOCAL = 0,
  DLTDUMP_TIME_UTC = 1,
  DLTDUMP_TIME_ISO = 2,
  DLTDUMP_TIME_RELATIVE = 3,
  DLTDUMP_TIME_DEVICE = 4
} dltdump_time_column;
/* The TIME column of text lines (a value out of the list: DLTDUMP_ERROR_ARGUMENT). For a file
 * of JSON Lines, CSV, DLT or PCAP-NG, which keep their own times, a column other than
 * DLTDUMP_TIME_LOCAL makes the open fail with DLTDUMP_ERROR_ARGUMENT. */
DLTDUMP_C_API dltdump_status dltdump_writer_options_time(dltdump_writer_options* options, dltdump_time_column time);
/* Non-zero: --position, each text line begun with its message's byte offset in its input
 * (`%08x: `); for a file of another format the open fails with DLTDUMP_ERROR_ARGUMENT. */
DLTDUMP_C_API dltdump_status dltdump_writer_options_position(dltdump_writer_options* options, int position);
/* Opens a writer of `path` with `options` (NULL: the defaults). */
DLTDUMP_C_API dltdump_status dltdump_writer_open_with(const char* path, const dltdump_writer_options* options,
                                                      dltdump_writer** out);
/* Writes `m`, a message dltdump_reader_next gave (it may be invalidated afterwards). */
DLTDUMP_C_API dltdump_status dltdump_writer_write(dltdump_writer* writer, const dltdump_message* m);
/* Writes every message `reader` has left — those of its step in progress not yet taken by
 * dltdump_reader_next, then all its later steps — and the regions it skips among them,
 * where the command line writes them (SKIP lines and records, a DLT file's SKIP messages;
 * dltdump_writer_write writes a message only); steps the reader to its end. `messages`
 * (may be NULL) gets how many messages it wrote (0 when it fails: dltdump_writer_messages
 * counts all). A fault of the reader is its status (DLTDUMP_ERROR_INPUT, ...), what came
 * before it written. */
DLTDUMP_C_API dltdump_status dltdump_writer_write_all(dltdump_writer* writer, dltdump_reader* reader,
                                                      uint64_t* messages);
DLTDUMP_C_API dltdump_status dltdump_writer_close(dltdump_writer* writer);
/* Messages taken so far (dltdump::Writer::messages: after a failed write, also those that
 * were buffered and lost with it). */
DLTDUMP_C_API uint64_t dltdump_writer_messages(const dltdump_writer* writer);
DLTDUMP_C_API void dltdump_writer_free(dltdump_writer* writer);

/* The command line's run (dltdump::Dump, dltdump/dump.hpp): many inputs through one filter,
 * with context, on several threads, sorted (--sort), into files by lifecycle (%LC% in an
 * output name template), counted (-c) or summed up (--stats), written to a descriptor (the
 * console's output) or to the files an output name template names — what the `dltdump`
 * program does, which is built on the same run.
 *
 *   dltdump_dump_options* o = dltdump_dump_options_new();
 *   dltdump_dump_options_input(o, "trip.dlt");
 *   dltdump_dump_options_filter(o, f);
 *   dltdump_dump_options_output(o, "trip_%LC%.dlt", DLTDUMP_OUTPUT_AUTOMATIC, 0);
 *   int status;
 *   if (dltdump_dump_run(o, 1, 2, &status) != DLTDUMP_OK) puts(dltdump_last_error());
 *   dltdump_dump_options_free(o);
 *
 * The options are an opaque handle set field by field (a new one: no input, no filter, the
 * console, one decoding thread a core up to 8). Each setter copies what it is given. */
typedef struct dltdump_dump_options dltdump_dump_options;
typedef enum dltdump_summary {
  DLTDUMP_SUMMARY_NONE = 0,       /* the lines (or the output's files) */
  DLTDUMP_SUMMARY_COUNT = 1,      /* -c: messages passing per input */
  DLTDUMP_SUMMARY_STATS_TEXT = 2, /* --stats */
  DLTDUMP_SUMMARY_STATS_JSON = 3, /* --stats=json */
  DLTDUMP_SUMMARY_LIFECYCLES = 4  /* --lifecycles: the list of lifecycles */
} dltdump_summary;
DLTDUMP_C_API dltdump_dump_options* dltdump_dump_options_new(void);
DLTDUMP_C_API void dltdump_dump_options_free(dltdump_dump_options* options);
/* Appends an input, as dltdump_reader_open takes it ("-", a file, a live URI alone). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_input(dltdump_dump_options* options, const char* path);
/* The filter (copied; NULL: none). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_filter(dltdump_dump_options* options, const dltdump_filter* filter);
/* Reads the FIBEX files now (DLTDUMP_ERROR_FIBEX for one that cannot be read; count 0: none). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_fibex(dltdump_dump_options* options, const char* const* paths,
                                                        size_t count);
/* -o (an output name template; NULL or "": the console), --out (`records`: AUTOMATIC, TEXT,
 * JSON or CSV) and -f (`overwrite` non-zero). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_output(dltdump_dump_options* options, const char* name,
                                                         dltdump_output_format records, int overwrite);
/* -B and -A: lines before and after each match (with a filter only). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_context(dltdump_dump_options* options, uint32_t before,
                                                          uint32_t after);
/* --threads (0: one a core, at most 8). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_threads(dltdump_dump_options* options, unsigned threads);
/* --sort (non-zero): one stream in time order. */
DLTDUMP_C_API dltdump_status dltdump_dump_options_sort(dltdump_dump_options* options, int sort);
/* --split: files of at least `bytes` (65536 at least; 0: none) with %CTR% in the name. */
DLTDUMP_C_API dltdump_status dltdump_dump_options_split(dltdump_dump_options* options, uint64_t bytes);
/* What the run prints instead of the lines (a value out of the list: DLTDUMP_ERROR_ARGUMENT). */
DLTDUMP_C_API dltdump_status dltdump_dump_options_summary(dltdump_dump_options* options, dltdump_summary summary);
/* Checks the options as the command line does (DLTDUMP_ERROR_ARGUMENT or DLTDUMP_ERROR_INPUT,
 * its message naming the option; nothing is run), writes each warning (an option without
 * effect) as `warning: <text>` to `diag_fd`, and runs: the console's output to `out_fd`,
 * each diagnostic as one line to `diag_fd`, and `*exit_status` (may be NULL) the command
 * line's exit status (0 all inputs read, 3 none, 4 some, 5 an output failed; docs/manual.md).
 * The library installs no signal handler: ignore SIGPIPE for a closed pipe to end the run
 * quietly (exit status 0) rather than the process. */
DLTDUMP_C_API dltdump_status dltdump_dump_run(const dltdump_dump_options* options, int out_fd, int diag_fd,
                                              int* exit_status);

#ifdef __cplusplus
}
#endif

#endif /* DLTDUMP_DLTDUMP_H */
