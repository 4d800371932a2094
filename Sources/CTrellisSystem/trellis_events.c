#define _GNU_SOURCE
#include "CTrellisSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

/* epoll_event is packed on x86-64, which Swift cannot lay out reliably: these wrappers keep
 * it on the C side and speak in 64-bit tags. */

int trellis_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int trellis_epoll_watch(int epoll_fd, int fd, uint64_t tag) {
    struct epoll_event event = { .events = EPOLLIN, .data.u64 = tag };
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int trellis_epoll_forget(int epoll_fd, int fd) {
    struct epoll_event unused = { 0 };
    return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, &unused);
}

int trellis_epoll_wait(int epoll_fd, uint64_t *tags, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count;
    do {
        count = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    } while (count < 0 && errno == EINTR);
    for (int i = 0; i < count; i++) tags[i] = events[i].data.u64;
    return count;
}

int trellis_output_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    int flags = fcntl(fds[0], F_GETFL);
    if (flags < 0 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) != 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    return 0;
}
