#include "CNcurses.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cn_setup_locale(void) {
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return 1;
    // A terminal run with LANG unset still speaks UTF-8 nearly always; without a UTF-8
    // LC_CTYPE, ncursesw drops every non-ASCII character (PLATFORM.md: Hangul disappears).
    setlocale(LC_CTYPE, "C.UTF-8");
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? 1 : 0;
}

int cn_start_screen(void) {
    // newterm, unlike initscr, reports an unknown TERM instead of exiting the process.
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return -1;
    set_term(screen);
    return 0;
}

int cn_put_cell(int y, int x, const uint32_t *scalars, int count, unsigned attrs, int pair) {
    wchar_t text[CCHARW_MAX + 1];
    if (count > CCHARW_MAX) count = CCHARW_MAX;
    if (count < 1) return ERR;
    for (int i = 0; i < count; i++) text[i] = (wchar_t)scalars[i];
    text[count] = L'\0';
    cchar_t cell;
    // With extended colours, setcchar reads the pair from `opts` (an int *), not the short.
    if (setcchar(&cell, text, (attr_t)attrs, 0, &pair) == ERR) return ERR;
    // wadd_wchnstr neither moves the cursor nor scrolls at the bottom-right cell.
    return mvwadd_wchnstr(stdscr, y, x, &cell, 1);
}

// MARK: - Restoring the terminal on the way out

static const int restore_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP,
};
enum { restore_signal_count = sizeof restore_signals / sizeof restore_signals[0] };
static struct sigaction previous_actions[restore_signal_count];
static volatile sig_atomic_t restore_installed = 0;

static void leave_curses(void) {
    if (stdscr != NULL && !isendwin()) endwin();
}

static void restore_and_reraise(int sig) {
    leave_curses();
    // Hand the signal to whoever had it before (the default action, or Swift's backtracer,
    // which then prints onto a sane screen). It is blocked while we run, so raise() makes
    // it pending and it is delivered as soon as this handler returns.
    for (int i = 0; i < restore_signal_count; i++) {
        if (restore_signals[i] == sig) {
            sigaction(sig, &previous_actions[i], NULL);
            break;
        }
    }
    raise(sig);
}

void cn_install_restore_handlers(void) {
    if (restore_installed) return;
    restore_installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_and_reraise;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < restore_signal_count; i++) {
        sigaction(restore_signals[i], &action, &previous_actions[i]);
    }
    atexit(leave_curses);
}

// MARK: - SIGWINCH wake-up pipe

static int winch_pipe[2] = {-1, -1};
static struct sigaction previous_winch;

static void on_winch(int sig, siginfo_t *info, void *context) {
    int saved_errno = errno;
    // Chain to ncurses' handler first: it flags the resize so get_wch returns KEY_RESIZE.
    // Only then wake the run loop, or the loop may read before the flag is set and miss it.
    if (previous_winch.sa_flags & SA_SIGINFO) {
        previous_winch.sa_sigaction(sig, info, context);
    } else if (previous_winch.sa_handler != SIG_DFL && previous_winch.sa_handler != SIG_IGN) {
        previous_winch.sa_handler(sig);
    }
    if (winch_pipe[1] >= 0) {
        char byte = 1;
        ssize_t ignored = write(winch_pipe[1], &byte, 1);
        (void)ignored;
    }
    errno = saved_errno;
}

int cn_install_winch_pipe(void) {
    if (winch_pipe[0] >= 0) return winch_pipe[0];
    int fds[2];
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    winch_pipe[0] = fds[0];
    winch_pipe[1] = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_winch;
    // No SA_RESTART, like ncurses: a blocked read must return so get_wch sees the resize.
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, &previous_winch);
    return winch_pipe[0];
}
