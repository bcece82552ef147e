#ifndef CNCURSES_H
#define CNCURSES_H
// Must precede <curses.h> (PLATFORM.md): wide-character API.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <wchar.h>
#include <locale.h>
#endif
