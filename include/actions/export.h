// ACTIONS_API marks the declarations libactions_singlestore exports.
//
// The library is compiled with hidden visibility (-fvisibility=hidden
// -fvisibility-inlines-hidden) and linked with a version script (cmake/actions_singlestore.map):
// only what a public header declares with ACTIONS_API, and the C plugin entry point, reach its
// dynamic symbol table. Everything else — the JSON layer, the kit, the database code, the
// standard-library templates the library instantiates — stays private to it, so it can change
// without breaking programs linked against the library.
//
// The macro expands to default visibility for the library and for its users alike: on ELF there
// is no import/export distinction, and a user compiling with -fvisibility=hidden must still see
// these classes (the type of an exception it catches, say) as the library's own.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define ACTIONS_API __attribute__((visibility("default")))
// For the private members of an exported class that only the library itself calls (a
// constructor from its implementation, say): they stay out of the export table.
#define ACTIONS_LOCAL __attribute__((visibility("hidden")))
#else
#define ACTIONS_API
#define ACTIONS_LOCAL
#endif
