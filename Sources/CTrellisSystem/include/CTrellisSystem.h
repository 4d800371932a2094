#ifndef C_TRELLIS_SYSTEM_H
#define C_TRELLIS_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Small Linux process helpers that Swift cannot express directly: a fork/exec
 * launcher with a defined child set-up, and prctl wrappers.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* Where trellis_spawn failed; reported through *out_stage. */
enum {
    TRELLIS_STAGE_NONE = 0,
    TRELLIS_STAGE_RESOLVE = 1,   /* PATH search in the parent */
    TRELLIS_STAGE_STDIN = 2,     /* open("/dev/null") in the parent */
    TRELLIS_STAGE_STDOUT = 3,    /* open(stdout_path) in the parent */
    TRELLIS_STAGE_STDERR = 4,    /* open(stderr_path) in the parent */
    TRELLIS_STAGE_PIPE = 5,      /* output pipes (made by the caller of trellis_spawn_fds) */
    TRELLIS_STAGE_FORK = 6,      /* fork() in the parent */
    TRELLIS_STAGE_SETPGID = 7,   /* child: setpgid(0, 0) */
    TRELLIS_STAGE_PDEATHSIG = 8, /* child: prctl(PR_SET_PDEATHSIG) */
    TRELLIS_STAGE_SIGNALS = 9,   /* child: signal mask */
    TRELLIS_STAGE_DUP = 10,      /* child: dup2 onto 0, 1, 2 */
    TRELLIS_STAGE_CHDIR = 11,    /* child: chdir(cwd) */
    TRELLIS_STAGE_EXEC = 12,     /* child: execve */
};

/*
 * Starts `path` with `argv` and exactly the environment `envp` (both NULL
 * terminated) in a new process group whose id is the child's pid.
 *
 * - `flags`: TRELLIS_SPAWN_APPEND appends to the output files (else they are truncated);
 *   TRELLIS_SPAWN_DETACH starts the child in a new session (setsid) without a parent-death
 *   signal, for run agents that must outlive the server that started them.
 * - `path` without '/' is looked up in the PATH of `envp` (default
 *   "/usr/local/bin:/usr/bin:/bin") by the parent, before fork; relative PATH
 *   entries are taken relative to `cwd`.
 * - stdin is /dev/null; stdout and stderr are opened on the given files
 *   (NULL means /dev/null), O_APPEND when `append` is non-zero, else O_TRUNC,
 *   mode 0644. The same file for both is opened once and shared.
 * - the child gets PR_SET_PDEATHSIG = SIGKILL. On Linux this fires when the
 *   *thread* that called trellis_spawn exits: call it from a thread that lives
 *   until the child has been reaped.
 * - the child's signal mask is empty and every catchable signal has its
 *   default disposition.
 * - descriptors above 2 are closed on execve, including ones opened elsewhere without
 *   O_CLOEXEC (close_range with CLOSE_RANGE_CLOEXEC, Linux 5.11+).
 * - `cwd` (NULL or "" = unchanged) is entered before execve.
 *
 * Returns the pid once execve has succeeded. On failure returns -1 with
 * *out_errno and *out_stage (TRELLIS_STAGE_*) set; a child that failed has
 * already been reaped. Every descriptor the parent opens is O_CLOEXEC.
 *
 * trellis_spawn opens the files and calls trellis_spawn_fds, which takes open descriptors
 * for the child's stdout and stderr instead (the same one may be given twice, for example one
 * pipe for both streams), and for stdin (-1: /dev/null). It does not close them: the caller
 * does, after it returns. Descriptors 0-2 are accepted (they are copied above 2 for the
 * child's dup2).
 */
enum {
    TRELLIS_SPAWN_APPEND = 1,
    TRELLIS_SPAWN_DETACH = 2,
};

int trellis_spawn(const char *path,
                  char *const argv[],
                  char *const envp[],
                  const char *cwd,
                  const char *stdout_path,
                  const char *stderr_path,
                  int flags,
                  int *out_errno,
                  int *out_stage);

int trellis_spawn_fds(const char *path,
                      char *const argv[],
                      char *const envp[],
                      const char *cwd,
                      int in_fd,
                      int out_fd,
                      int err_fd,
                      int flags,
                      int *out_errno,
                      int *out_stage);

/* epoll in 64-bit tags (the packed epoll_event stays in C). Every call returns -1 with errno
 * set on failure. watch: EPOLLIN (level-triggered) on fd; wait: up to `capacity` (at most 64)
 * ready tags, retrying on EINTR, timeout_ms -1 = forever. */
int trellis_epoll_create(void);
int trellis_epoll_watch(int epoll_fd, int fd, uint64_t tag);
int trellis_epoll_forget(int epoll_fd, int fd);
int trellis_epoll_wait(int epoll_fd, uint64_t *tags, int capacity, int timeout_ms);

/* The absolute path trellis_spawn would run for a `name` without '/': the PATH search of
 * trellis_spawn (PATH of envp, relative entries against cwd). A malloc'ed string, or NULL with
 * errno ENOENT or EACCES. */
char *trellis_resolve_in_path(const char *name, char *const envp[], const char *cwd);

/* pipe2(fds, O_CLOEXEC) with the read end fds[0] non-blocking (a writer's end stays blocking).
 * Returns 0, or -1 with errno set and nothing left open. */
int trellis_output_pipe(int fds[2]);

/* prctl(PR_SET_CHILD_SUBREAPER, on). Returns 0, or -1 with errno set. */
int trellis_set_child_subreaper(int on);

/* Unblocks SIGCHLD in the calling thread, meant for a thread that forks children. The kernel
 * sends a child's SIGCHLD to the thread that forked it; while that signal keeps its default
 * disposition (ignore) and is not blocked there, the kernel drops it at once. Blocked, it is
 * queued for the process and wakes a thread that accepts it (the main thread, parked in
 * sigsuspend) and any signalfd reader, for nothing: exits are learnt from pidfds and waitpid.
 * Returns 0, or an errno value. */
int trellis_accept_child_signals(void);

/* prctl(PR_SET_PDEATHSIG, sig) for the calling process. Returns 0, or -1 with errno set. */
int trellis_pdeathsig_self(int sig);

/* pidfd_open(pid, 0): a close-on-exec descriptor that polls readable once the process has
 * exited (also for processes that are not our children). Returns -1 with errno set. */
int trellis_pidfd_open(int pid);

/* The response of trellis_http_perform: status, the last response's raw header block (status
 * line included, CRLF line ends) and the body, both NUL-terminated copies owned by the caller
 * (trellis_http_response_free); or, on failure, `error` and whether it was the timeout. */
typedef struct {
    int status;
    char *headers;
    size_t headers_length;
    char *body;
    size_t body_length;
    int timed_out;
    char error[512];
} trellis_http_response;

/* One HTTP request with libcurl, loaded on first use (dlopen "libcurl.so.4"), so processes that
 * never make one do not load it. `headers` are "Name: value" strings, NULL terminated; the body
 * is sent when `has_body`; redirects are followed; `timeout_ms` 0 means none. Returns 0 with
 * `out` filled, or -1 with `out->error` set. Blocks the calling thread. */
int trellis_http_perform(const char *method, const char *url, const char *const *headers, const char *body,
                         size_t body_length, int has_body, long timeout_ms, trellis_http_response *out);
void trellis_http_response_free(trellis_http_response *response);

/* malloc_trim(0): gives every whole free page of every malloc arena back to the kernel.
 * Returns 1 when memory was released, else 0 (also where glibc is not the allocator). */
int trellis_malloc_trim(void);

/* mallopt(M_ARENA_MAX, count): threads created afterwards share at most `count` arenas.
 * Returns 1 on success, 0 otherwise (also where glibc is not the allocator). */
int trellis_malloc_arena_max(int count);

/* mallopt(M_MMAP_THRESHOLD, bytes): blocks of at least `bytes` are mapped on their own and
 * unmapped when freed. Setting it also stops glibc from raising the threshold after such a
 * block is freed. Returns 1 on success, 0 otherwise. */
int trellis_malloc_mmap_threshold(int bytes);

#ifdef __cplusplus
}
#endif

#endif
