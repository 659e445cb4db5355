// System calls that Swift's Glibc module lacks or cannot express safely:
// epoll (its event struct is packed on x86_64), eventfd, variadic prctl,
// and child set-up between fork and exec.
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <stdint.h>
#include <sys/types.h>

// epoll, with the packed struct kept on the C side.
enum {
    CSYSTEM_EPOLLIN = 0x001,
    CSYSTEM_EPOLLOUT = 0x004,
    CSYSTEM_EPOLLERR = 0x008,
    CSYSTEM_EPOLLHUP = 0x010,
    CSYSTEM_EPOLLRDHUP = 0x2000,
    CSYSTEM_EPOLLEXCLUSIVE = (int)(1u << 28),
    CSYSTEM_EPOLLET = (int)(1u << 31),
};
int csystem_epoll_create(void);
/// op: 1 add, 2 delete, 3 modify (EPOLL_CTL_*).
int csystem_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// Fills parallel arrays; returns the count, 0 on timeout, -1 with errno.
int csystem_epoll_wait(int epfd, uint64_t *datas, uint32_t *events, int max_events, int timeout_ms);

/// A non-blocking, close-on-exec eventfd for waking an event loop.
int csystem_eventfd(void);

/// A close-on-exec pipe whose buffer is raised to `size` bytes where the system allows
/// (F_SETPIPE_SZ; a smaller buffer is kept otherwise). Returns 0, or -1 with errno.
int csystem_pipe(int fds[2], int size);

/// prctl(PR_SET_PDEATHSIG, sig).
int csystem_set_parent_death_signal(int sig);

/// Starts `path` with `argv` (NULL-terminated) without a shell. In the child, before exec:
/// its own process group (a terminal's Ctrl-C reaches only the proxy, which then stops children
/// in order), SIGKILL when the parent dies (no orphan even if the proxy gets SIGKILL),
/// default signal dispositions and an empty mask, stdin from /dev/null, stdout and stderr to
/// `output_fd`, every other descriptor closed.
/// `envp` (NULL-terminated) is the child's whole environment; NULL keeps the proxy's.
/// Returns 0 and the pid, or -1 with `*child_errno` set when fork or exec failed.
int csystem_spawn(const char *path, char *const argv[], char *const envp[], int output_fd, pid_t *pid, int *child_errno);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (Glibc does not export accept4 to Swift).
int csystem_accept(int listen_fd);

/// memmem (a GNU extension Swift's Glibc module does not export): the first `needle` in
/// `haystack`, or NULL.
const void *csystem_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// Length of sockaddr_un.sun_path, for checking socket paths before use.
int csystem_unix_path_max(void);
/// Connects or binds a UNIX stream socket; returns the fd (non-blocking and close-on-exec
/// when `nonblocking`) or -1 with errno. EINPROGRESS is success for a non-blocking connect.
int csystem_unix_connect(const char *path, int nonblocking);

#endif
