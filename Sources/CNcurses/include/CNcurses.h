#ifndef CNCURSES_H
#define CNCURSES_H
// Must precede <curses.h> (PLATFORM.md): wide-character API.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <wchar.h>
#include <locale.h>
#include <langinfo.h>
#include <stdint.h>

// Wrappers for what Swift cannot import from ncursesw: function-like macros (A_*, KEY_F,
// COLOR_PAIR, mouse masks), the globals stdscr/LINES/COLS/COLORS, and the wide-character
// calls hidden from Swift's Glibc module. Every function here must run on the main thread
// (ScreenKit calls them from @MainActor code only), except the signal-safe installers.

// MARK: - Screen lifetime

/// Sets the locale from the environment; falls back to C.UTF-8 for LC_CTYPE when the
/// environment names no UTF-8 codeset. Returns 1 when the resulting codeset is UTF-8.
int cn_setup_locale(void);

/// newterm(NULL, stdout, stdin) + set_term. Returns 0 on success, -1 when TERM is unknown.
int cn_start_screen(void);

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_width(void) { return getmaxx(stdscr); }
static inline int cn_height(void) { return getmaxy(stdscr); }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

static inline int cn_raw(void) { return raw(); }
static inline int cn_noecho(void) { return noecho(); }
static inline int cn_nonl(void) { return nonl(); }
static inline int cn_keypad(int on) { return keypad(stdscr, on ? TRUE : FALSE); }
static inline int cn_curs_set(int visibility) { return curs_set(visibility); }
static inline void cn_timeout(int ms) { timeout(ms); }
static inline int cn_set_escdelay(int ms) { return set_escdelay(ms); }
static inline int cn_resizeterm(int lines, int cols) { return resizeterm(lines, cols); }
static inline int cn_endwin(void) { return endwin(); }
static inline int cn_isendwin(void) { return isendwin() ? 1 : 0; }
static inline int cn_refresh(void) { return wnoutrefresh(stdscr) == ERR ? ERR : doupdate(); }
static inline int cn_erase(void) { return werase(stdscr); }
/// Forces the next refresh to repaint the whole terminal (clearok on curscr).
static inline int cn_clear_on_refresh(void) { return clearok(curscr, TRUE); }
static inline int cn_move(int y, int x) { return wmove(stdscr, y, x); }

// MARK: - Colour and attributes

static inline int cn_has_colors(void) { return has_colors() ? 1 : 0; }
static inline int cn_start_color(void) { return start_color(); }
static inline int cn_use_default_colors(void) { return use_default_colors(); }
static inline int cn_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
static inline unsigned cn_color_pair_attr(int pair) { return (unsigned)COLOR_PAIR(pair); }

static inline unsigned cn_a_normal(void) { return (unsigned)A_NORMAL; }
static inline unsigned cn_a_bold(void) { return (unsigned)A_BOLD; }
static inline unsigned cn_a_dim(void) { return (unsigned)A_DIM; }
static inline unsigned cn_a_underline(void) { return (unsigned)A_UNDERLINE; }
static inline unsigned cn_a_reverse(void) { return (unsigned)A_REVERSE; }
static inline unsigned cn_a_italic(void) { return (unsigned)A_ITALIC; }
static inline unsigned cn_a_blink(void) { return (unsigned)A_BLINK; }

// MARK: - Drawing

/// The most code points one cell may hold (a base character plus combining marks).
static inline int cn_cchar_max(void) { return CCHARW_MAX; }

/// Writes one cell at (y, x) without moving the cursor or wrapping: `count` code points
/// (base first, at most CCHARW_MAX), attributes and an extended colour pair.
int cn_put_cell(int y, int x, const uint32_t *scalars, int count, unsigned attrs, int pair);

// MARK: - Width

// <wchar.h> declares these only under _XOPEN_SOURCE; redeclaring them is harmless.
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);

static inline int cn_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }
static inline int cn_wcswidth(const uint32_t *scalars, int count) {
    return wcswidth((const wchar_t *)scalars, (size_t)count);
}

// MARK: - Input

/// Result kinds of cn_get_wch.
enum { CN_INPUT_NONE = 0, CN_INPUT_CHARACTER = 1, CN_INPUT_FUNCTION_KEY = 2 };

/// get_wch on stdscr: stores the code point or key code in *code and returns one of the
/// CN_INPUT_* kinds (NONE on timeout or error).
static inline int cn_get_wch(uint32_t *code) {
    wint_t value = 0;
    int result = get_wch(&value);
    *code = (uint32_t)value;
    if (result == KEY_CODE_YES) return CN_INPUT_FUNCTION_KEY;
    if (result == OK) return CN_INPUT_CHARACTER;
    return CN_INPUT_NONE;
}
static inline int cn_unget_wch(uint32_t scalar) { return unget_wch((wchar_t)scalar); }

// KEY_UP, KEY_RESIZE, KEY_MOUSE, KEY_F0 … are plain integer macros and import as constants.
static inline int cn_key_f(int n) { return KEY_F(n); }

// MARK: - Mouse

/// Enables ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION with no click delay; returns the mask
/// the terminal granted (0 when it has no mouse).
static inline unsigned cn_enable_mouse(void) {
    mouseinterval(0);
    return (unsigned)mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, NULL);
}
static inline void cn_disable_mouse(void) { mousemask(0, NULL); }

/// getmouse: stores column, row and button state; returns 0 on success, -1 otherwise.
static inline int cn_get_mouse(int *x, int *y, unsigned *state) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    *state = (unsigned)event.bstate;
    return 0;
}

static inline unsigned cn_button_pressed(int button) { return (unsigned)NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_PRESSED); }
static inline unsigned cn_button_released(int button) { return (unsigned)NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_RELEASED); }
static inline unsigned cn_button_clicked(int button) { return (unsigned)NCURSES_MOUSE_MASK(button, NCURSES_BUTTON_CLICKED); }
static inline unsigned cn_button_double_clicked(int button) { return (unsigned)NCURSES_MOUSE_MASK(button, NCURSES_DOUBLE_CLICKED); }
static inline unsigned cn_report_mouse_position(void) { return (unsigned)REPORT_MOUSE_POSITION; }

// MARK: - Signals

/// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash signals (SIGSEGV,
/// SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP) that call endwin, restore the previous
/// disposition and re-raise, plus an atexit hook that calls endwin. Idempotent.
void cn_install_restore_handlers(void);

/// Chains a SIGWINCH handler in front of the current one (ncurses' own) that writes a byte
/// to a non-blocking pipe. Returns the pipe's read end, or -1. Idempotent.
int cn_install_winch_pipe(void);

#endif
