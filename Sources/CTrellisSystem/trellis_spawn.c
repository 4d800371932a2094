#define _GNU_SOURCE
#include "CTrellisSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRELLIS_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/* What a failing child leaves in the parent's memory (shared until execve, see vfork below)
 * before _exit(127). stage stays TRELLIS_STAGE_NONE when execve succeeded. */
struct trellis_child_report {
    volatile int stage;
    volatile int error;
};

static int fail(int stage, int error, int *out_errno, int *out_stage) {
    if (out_errno) *out_errno = error;
    if (out_stage) *out_stage = stage;
    return -1;
}

static int open_output(const char *path, int append) {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | (append ? O_APPEND : O_TRUNC);
    int fd;
    do {
        fd = open(path ? path : "/dev/null", flags, 0644);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

static int is_executable_file(const char *candidate) {
    struct stat st;
    if (stat(candidate, &st) != 0) return 0;
    if (!S_ISREG(st.st_mode)) {
        errno = EACCES;
        return 0;
    }
    return faccessat(AT_FDCWD, candidate, X_OK, AT_EACCESS) == 0;
}

/* Joins up to three parts with '/', skipping empty ones. Returns a malloc'ed string or NULL. */
static char *join_path(const char *a, const char *b, size_t b_len, const char *c) {
    size_t a_len = a ? strlen(a) : 0, c_len = strlen(c);
    char *out = malloc(a_len + b_len + c_len + 3);
    if (!out) return NULL;
    char *p = out;
    if (a_len) {
        memcpy(p, a, a_len);
        p += a_len;
        *p++ = '/';
    }
    if (b_len) {
        memcpy(p, b, b_len);
        p += b_len;
        *p++ = '/';
    }
    memcpy(p, c, c_len + 1);
    return out;
}

/*
 * Resolves `name` (no '/') against the PATH found in envp, like execvp, but in the parent.
 * Relative PATH entries are taken relative to `cwd` (the child's directory), and the result is
 * made absolute so that the child's chdir does not change its meaning.
 * Returns a malloc'ed path or NULL with errno (ENOENT, or EACCES when only unusable matches exist).
 */
static char *resolve_in_path(const char *name, char *const envp[], const char *cwd) {
    const char *search = TRELLIS_DEFAULT_PATH;
    for (char *const *e = envp; e && *e; e++) {
        if (strncmp(*e, "PATH=", 5) == 0) {
            search = *e + 5;
            break;
        }
    }
    char parent_cwd[PATH_MAX];
    int have_parent_cwd = getcwd(parent_cwd, sizeof parent_cwd) != NULL;
    int saw_eacces = 0;
    const char *dir = search;
    for (;;) {
        const char *end = strchrnul(dir, ':');
        size_t dir_len = (size_t)(end - dir);
        const char *base = NULL;
        if (dir_len == 0 || dir[0] != '/') {
            /* Relative or empty entry: relative to the child's cwd, then to ours. */
            base = (cwd && cwd[0]) ? cwd : NULL;
        }
        char *candidate = join_path(base, dir_len ? dir : ".", dir_len ? dir_len : 1, name);
        if (!candidate) return NULL;
        if (candidate[0] != '/' && have_parent_cwd) {
            char *absolute = join_path(parent_cwd, "", 0, candidate);
            free(candidate);
            if (!absolute) return NULL;
            candidate = absolute;
        }
        if (is_executable_file(candidate)) return candidate;
        if (errno == EACCES) saw_eacces = 1;
        free(candidate);
        if (*end == '\0') break;
        dir = end + 1;
    }
    errno = saw_eacces ? EACCES : ENOENT;
    return NULL;
}

char *trellis_resolve_in_path(const char *name, char *const envp[], const char *cwd) {
    return resolve_in_path(name, envp, cwd);
}

/*
 * glibc refuses sigaction on the real-time signals it reserves (32 and 33), yet a parent may have
 * them ignored and that would reach the step. Reset them with the raw system call, whose
 * argument layout below is the one of x86-64 and arm64.
 */
static void reset_reserved_signal(int sig) {
#if defined(SYS_rt_sigaction) && (defined(__x86_64__) || defined(__aarch64__))
    struct {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        unsigned long mask;
    } action = { SIG_DFL, 0, NULL, 0 };
    (void)syscall(SYS_rt_sigaction, sig, &action, NULL, sizeof action.mask);
#else
    (void)sig;
#endif
}

/* After fork: async-signal-safe calls only. Never returns. */
static void run_child(const char *program, char *const argv[], char *const envp[], const char *cwd,
                      int in_fd, int out_fd, int err_fd, struct trellis_child_report *report, pid_t parent,
                      int detach) {
    int stage = TRELLIS_STAGE_SETPGID;
    if (detach) {
        /* A new session (and process group) of its own, and no parent-death signal: a run agent
         * started by the server keeps running when the server stops. */
        if (setsid() < 0) goto failed;
    } else {
        if (setpgid(0, 0) != 0) goto failed;

        stage = TRELLIS_STAGE_PDEATHSIG;
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) goto failed;
        /* The parent may have died before prctl took effect. */
        if (getppid() != parent) _exit(127);
    }

    /* Default dispositions for every catchable signal: an ignored one would survive execve. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        if (sigaction(sig, &dfl, NULL) != 0) reset_reserved_signal(sig);
    }
    stage = TRELLIS_STAGE_SIGNALS;
    sigset_t empty;
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) != 0) goto failed;

    /* All three sources are >= 3, so no dup2 clobbers another source; dup2 clears O_CLOEXEC
     * (a source used twice, such as one pipe for stdout and stderr, is simply duplicated twice). */
    stage = TRELLIS_STAGE_DUP;
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) goto failed;
#if defined(SYS_close_range)
    /* Descriptors that another library opened without O_CLOEXEC (a lock file, a socket) must not
     * reach the step either: mark everything above stderr close-on-exec. Best effort: kernels
     * before 5.11 lack the flag. */
    (void)syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
#endif

    if (cwd && cwd[0]) {
        stage = TRELLIS_STAGE_CHDIR;
        if (chdir(cwd) != 0) goto failed;
    }

    stage = TRELLIS_STAGE_EXEC;
    /* ETXTBSY: a script this process has just written may still be open for writing in the child
     * of another thread that has not reached its own execve yet. That window is short: retry for
     * up to about 100 ms. */
    for (int attempt = 0;; attempt++) {
        execve(program, argv, envp);
        if (errno != ETXTBSY || attempt >= 50) break;
        struct timespec pause = { 0, 2 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }

failed:
    report->error = errno;
    report->stage = stage;
    _exit(127);
}

int trellis_spawn_fds(const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int in_fd, int out_fd, int err_fd, int flags, int *out_errno, int *out_stage) {
    if (out_errno) *out_errno = 0;
    if (out_stage) *out_stage = TRELLIS_STAGE_NONE;
    if (!path || !path[0] || !argv) return fail(TRELLIS_STAGE_RESOLVE, ENOENT, out_errno, out_stage);
    if (out_fd < 0 || err_fd < 0) return fail(TRELLIS_STAGE_DUP, EBADF, out_errno, out_stage);

    char *resolved = NULL;
    const char *program = path;
    if (!strchr(path, '/')) {
        resolved = resolve_in_path(path, envp, cwd);
        if (!resolved) return fail(TRELLIS_STAGE_RESOLVE, errno, out_errno, out_stage);
        program = resolved;
    }

    int null_fd = -1, stage = TRELLIS_STAGE_STDIN, error = 0;
    pid_t pid = -1;
    if (in_fd < 0) {
        do {
            null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        } while (null_fd < 0 && errno == EINTR);
        if (null_fd < 0) {
            free(resolved);
            return fail(stage, errno, out_errno, out_stage);
        }
        in_fd = null_fd;
    }

    /* The child's dup2 onto 0, 1 and 2 must not clobber a source: copy low ones above 2. */
    int sources[3] = { in_fd, out_fd, err_fd }, copies[3] = { -1, -1, -1 };
    stage = TRELLIS_STAGE_DUP;
    for (int i = 0; i < 3; i++) {
        if (sources[i] > 2) continue;
        copies[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, 3);
        if (copies[i] < 0) goto failed;
        sources[i] = copies[i];
    }

    /* Block every signal across vfork so that no handler of ours runs in the child
     * before it has reset the dispositions; the child then clears its mask.
     * vfork, not fork: the child shares our memory until execve, so the kernel does not copy
     * the page tables of this (large) process for every step, and a failing child reports
     * through `report` in that shared memory (we are suspended until it execs or exits).
     * The child only makes system calls on its own stack frame and never returns from
     * run_child, which is what vfork allows in practice (glibc's posix_spawn does the same
     * with clone(CLONE_VM|CLONE_VFORK)). */
    struct trellis_child_report report = { TRELLIS_STAGE_NONE, 0 };
    sigset_t all, previous;
    sigfillset(&all);
    /* SIGCHLD stays as it was while it has no handler (nothing of ours could run in the child):
     * blocked here, the exits of earlier children, which arrive while this thread is suspended
     * in vfork, would wake other threads (see trellis_accept_child_signals). */
    struct sigaction child_action;
    if (sigaction(SIGCHLD, NULL, &child_action) == 0 && !(child_action.sa_flags & SA_SIGINFO)
        && child_action.sa_handler == SIG_DFL) {
        sigdelset(&all, SIGCHLD);
    }
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    stage = TRELLIS_STAGE_FORK;
    pid = vfork();
    if (pid == 0) {
        run_child(program, argv, envp, cwd, sources[0], sources[1], sources[2], &report, parent,
                  (flags & TRELLIS_SPAWN_DETACH) != 0);
    }
    error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) {
        errno = error;
        goto failed;
    }
    if (report.stage != TRELLIS_STAGE_NONE) {
        /* The child failed before or in execve and has called _exit(127): reap it now. */
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        pid = -1;
        stage = report.stage;
        errno = report.error;
        goto failed;
    }
    stage = TRELLIS_STAGE_NONE;

failed:
    error = errno;
    for (int i = 0; i < 3; i++) {
        if (copies[i] >= 0) close(copies[i]);
    }
    if (null_fd >= 0) close(null_fd);
    free(resolved);
    if (stage != TRELLIS_STAGE_NONE) return fail(stage, error, out_errno, out_stage);
    return pid;
}

int trellis_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                  const char *stdout_path, const char *stderr_path, int flags,
                  int *out_errno, int *out_stage) {
    if (out_errno) *out_errno = 0;
    if (out_stage) *out_stage = TRELLIS_STAGE_NONE;
    if (!path || !path[0] || !argv) return fail(TRELLIS_STAGE_RESOLVE, ENOENT, out_errno, out_stage);

    /* The program is looked up before any output file is made, so a missing one leaves none. */
    char *resolved = NULL;
    if (!strchr(path, '/')) {
        resolved = resolve_in_path(path, envp, cwd);
        if (!resolved) return fail(TRELLIS_STAGE_RESOLVE, errno, out_errno, out_stage);
        path = resolved;
    }

    int out_fd = -1, err_fd = -1;
    int stage = TRELLIS_STAGE_STDOUT, error = 0;
    pid_t pid = -1;

    int append = (flags & TRELLIS_SPAWN_APPEND) != 0;
    if ((out_fd = open_output(stdout_path, append)) < 0) goto failed;

    stage = TRELLIS_STAGE_STDERR;
    int same_name = stdout_path && stderr_path && strcmp(stdout_path, stderr_path) == 0;
    if (same_name) {
        err_fd = out_fd;
    } else {
        if ((err_fd = open_output(stderr_path, append)) < 0) goto failed;
        /* Two spellings of one file (or /dev/null twice) share a single open file description. */
        struct stat out_st, err_st;
        if (fstat(out_fd, &out_st) == 0 && fstat(err_fd, &err_st) == 0 && S_ISREG(out_st.st_mode) &&
            out_st.st_dev == err_st.st_dev && out_st.st_ino == err_st.st_ino) {
            close(err_fd);
            err_fd = out_fd;
        }
    }

    int spawn_errno = 0, spawn_stage = TRELLIS_STAGE_NONE;
    pid = trellis_spawn_fds(path, argv, envp, cwd, -1, out_fd, err_fd, flags, &spawn_errno, &spawn_stage);
    stage = spawn_stage;
    errno = spawn_errno;

failed:
    error = errno;
    if (err_fd >= 0 && err_fd != out_fd) close(err_fd);
    if (out_fd >= 0) close(out_fd);
    free(resolved);
    if (stage != TRELLIS_STAGE_NONE) return fail(stage, error, out_errno, out_stage);
    return pid;
}

int trellis_set_child_subreaper(int on) {
    return prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0);
}

int trellis_pidfd_open(int pid) {
#if defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int trellis_accept_child_signals(void) {
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    return pthread_sigmask(SIG_UNBLOCK, &child, NULL);
}

int trellis_pdeathsig_self(int sig) {
    return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0);
}

int trellis_malloc_arena_max(int count) {
#ifdef __GLIBC__
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

int trellis_malloc_mmap_threshold(int bytes) {
#ifdef __GLIBC__
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

int trellis_malloc_trim(void) {
#ifdef __GLIBC__
    return malloc_trim(0);
#else
    return 0;
#endif
}
