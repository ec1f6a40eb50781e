/* fsync_log: an LD_PRELOAD shim that records every change a process makes to one folder.
 *
 * The power-loss test (tests/power_loss) runs a workload with this library preloaded and
 * then rebuilds the folder as it would be after a power cut at any point of the log,
 * keeping only what had reached the disk (file data after an fsync of the file, directory
 * entries after an fsync of the directory), as CrashMonkey and SQLite's crash tests do.
 *
 *   FSYNC_LOG_FILE=/tmp/events.bin FSYNC_LOG_ROOT=/abs/folder LD_PRELOAD=./fsync_log.so cmd
 *
 * Only successful calls on paths at or under FSYNC_LOG_ROOT (absolute, without symbolic
 * links) are recorded, each as one binary record (see tests/power_loss/replay.py):
 *   u32 kind, i32 fd, i64 a, i64 b, u32 path length, u32 second path length,
 *   u64 data length, then the path, the second path and the data.
 * A process calls fsync_log_mark(bytes, length) (through ctypes) to record a marker, e.g.
 * "this save was acknowledged to the user". Calls that would change the folder in a way
 * the replayer cannot model (hard and symbolic links, a rename across the folder's edge)
 * are recorded as UNSUPPORTED so that the test fails instead of guessing.
 *
 * Build: gcc -shared -fPIC -O2 -o fsync_log.so fsync_log.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum {
    EV_OPEN = 1,        /* fd, a = flags, b = 1 if it existed before | 2 if a directory */
    EV_WRITE = 2,       /* fd, a = offset, data */
    EV_FTRUNCATE = 3,   /* fd, a = length */
    EV_FSYNC = 4,       /* fd */
    EV_FDATASYNC = 5,   /* fd */
    EV_RENAME = 6,      /* path -> path2 */
    EV_UNLINK = 7,      /* path */
    EV_MKDIR = 8,       /* path */
    EV_RMDIR = 9,       /* path */
    EV_CLOSE = 10,      /* fd */
    EV_MARK = 11,       /* data */
    EV_EXTEND = 12,     /* fd, a = offset, b = length (fallocate without KEEP_SIZE) */
    EV_TRUNCATE = 13,   /* path, a = length */
    EV_DUP = 14,        /* fd = new, a = old */
    EV_UNSUPPORTED = 15 /* path, data = the call's name */
};

#define MAX_FDS 65536

static char root[PATH_MAX];
static size_t root_length;
static int log_fd = -1;
static char *fd_paths[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int ready;

struct header {
    uint32_t kind;
    int32_t fd;
    int64_t a;
    int64_t b;
    uint32_t path_length;
    uint32_t path2_length;
    uint64_t data_length;
} __attribute__((packed));

static ssize_t raw_write(int fd, const void *buffer, size_t count) {
    return syscall(SYS_write, fd, buffer, count);
}

static void write_all(const void *buffer, size_t count) {
    const char *p = buffer;
    while (count > 0) {
        ssize_t done = raw_write(log_fd, p, count);
        if (done < 0) {
            if (errno == EINTR) continue;
            abort(); /* a log with a hole would make the test lie */
        }
        p += done;
        count -= (size_t)done;
    }
}

__attribute__((constructor)) static void setup(void) {
    const char *file = getenv("FSYNC_LOG_FILE");
    const char *folder = getenv("FSYNC_LOG_ROOT");
    if (!file || !folder || strlen(folder) >= sizeof(root)) return;
    strcpy(root, folder);
    root_length = strlen(root);
    while (root_length > 1 && root[root_length - 1] == '/') root[--root_length] = 0;
    log_fd = (int)syscall(SYS_openat, AT_FDCWD, file,
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    ready = log_fd >= 0;
}

static void record(uint32_t kind, int fd, int64_t a, int64_t b, const char *path,
                   const char *path2, const void *data, uint64_t data_length) {
    struct header h = {kind, fd, a, b, path ? (uint32_t)strlen(path) : 0,
                       path2 ? (uint32_t)strlen(path2) : 0, data_length};
    write_all(&h, sizeof h);
    if (h.path_length) write_all(path, h.path_length);
    if (h.path2_length) write_all(path2, h.path2_length);
    if (data_length) write_all(data, data_length);
}

/* "/a/./b//c/../d" -> "/a/b/d", in place */
static void normalise(char *path) {
    char *parts[PATH_MAX / 2];
    int count = 0;
    char copy[PATH_MAX];
    strncpy(copy, path, sizeof copy - 1);
    copy[sizeof copy - 1] = 0;
    for (char *save = NULL, *part = strtok_r(copy, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0) continue;
        if (strcmp(part, "..") == 0) {
            if (count) count--;
            continue;
        }
        parts[count++] = part;
    }
    char out[PATH_MAX];
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(parts[i]);
        if (used + n + 2 >= sizeof out) break;
        out[used++] = '/';
        memcpy(out + used, parts[i], n);
        used += n;
        out[used] = 0;
    }
    if (used == 0) strcpy(out, "/");
    strcpy(path, out);
}

/* the absolute path of `path` relative to `dirfd` into `out`; 0 when it cannot be known */
static int resolve(int dirfd, const char *path, char *out) {
    if (!path) return 0;
    if (path[0] == '/') {
        if (strlen(path) >= PATH_MAX) return 0;
        strcpy(out, path);
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base)) return 0;
        } else if (dirfd >= 0 && dirfd < MAX_FDS && fd_paths[dirfd]) {
            strcpy(base, fd_paths[dirfd]);
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n < 0) return 0;
            base[n] = 0;
        }
        size_t base_length = strlen(base), path_length = strlen(path);
        if (base_length + path_length + 2 >= PATH_MAX) return 0;
        memcpy(out, base, base_length);
        out[base_length] = '/';
        memcpy(out + base_length + 1, path, path_length + 1);
    }
    normalise(out);
    return 1;
}

static int under_root(const char *path) {
    return ready && strncmp(path, root, root_length) == 0 &&
           (path[root_length] == 0 || path[root_length] == '/');
}

static const char *tracked(int fd) {
    return (ready && fd >= 0 && fd < MAX_FDS) ? fd_paths[fd] : NULL;
}

static void forget(int fd) {
    if (fd >= 0 && fd < MAX_FDS && fd_paths[fd]) {
        free(fd_paths[fd]);
        fd_paths[fd] = NULL;
    }
}

/* ------------------------------------------------------------------ opening and closing */
static int do_open(int dirfd, const char *path, int flags, mode_t mode) {
    char full[PATH_MAX];
    int watch = ready && resolve(dirfd, path, full) && under_root(full);
    if (!watch) return (int)syscall(SYS_openat, dirfd, path, flags, mode);
    pthread_mutex_lock(&lock);
    struct stat before;
    int existed = fstatat(AT_FDCWD, full, &before, 0) == 0;
    int fd = (int)syscall(SYS_openat, dirfd, path, flags, mode);
    if (fd >= 0) {
        struct stat after;
        int is_dir = fstat(fd, &after) == 0 && S_ISDIR(after.st_mode);
        forget(fd);
        if (fd < MAX_FDS) fd_paths[fd] = strdup(full);
        record(EV_OPEN, fd, flags, (existed ? 1 : 0) | (is_dir ? 2 : 0), full, NULL, NULL, 0);
    }
    int saved = errno;
    pthread_mutex_unlock(&lock);
    errno = saved;
    return fd;
}

static mode_t mode_of(int flags, va_list ap) {
    return (flags & (O_CREAT | __O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_of(flags, ap); va_end(ap);
    return do_open(AT_FDCWD, path, flags, m);
}
int open64(const char *path, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_of(flags, ap); va_end(ap);
    return do_open(AT_FDCWD, path, flags, m);
}
int openat(int dirfd, const char *path, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_of(flags, ap); va_end(ap);
    return do_open(dirfd, path, flags, m);
}
int openat64(int dirfd, const char *path, int flags, ...) {
    va_list ap; va_start(ap, flags); mode_t m = mode_of(flags, ap); va_end(ap);
    return do_open(dirfd, path, flags, m);
}
int __open_2(const char *path, int flags) { return do_open(AT_FDCWD, path, flags, 0); }
int __open64_2(const char *path, int flags) { return do_open(AT_FDCWD, path, flags, 0); }
int __openat_2(int dirfd, const char *path, int flags) { return do_open(dirfd, path, flags, 0); }
int __openat64_2(int dirfd, const char *path, int flags) {
    return do_open(dirfd, path, flags, 0);
}
int creat(const char *path, mode_t mode) {
    return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
int creat64(const char *path, mode_t mode) {
    return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd) {
    if (!tracked(fd)) return (int)syscall(SYS_close, fd);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(SYS_close, fd);
    int saved = errno;
    record(EV_CLOSE, fd, 0, 0, NULL, NULL, NULL, 0);
    forget(fd);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}

static int after_dup(int old, int fresh) {
    if (fresh >= 0 && tracked(old)) {
        pthread_mutex_lock(&lock);
        forget(fresh);
        if (fresh < MAX_FDS) fd_paths[fresh] = strdup(fd_paths[old]);
        record(EV_DUP, fresh, old, 0, NULL, NULL, NULL, 0);
        pthread_mutex_unlock(&lock);
    } else if (fresh >= 0 && tracked(fresh)) {
        pthread_mutex_lock(&lock);
        record(EV_CLOSE, fresh, 0, 0, NULL, NULL, NULL, 0);
        forget(fresh);
        pthread_mutex_unlock(&lock);
    }
    return fresh;
}
int dup(int old) { return after_dup(old, (int)syscall(SYS_dup, old)); }
int dup2(int old, int fresh) {
    if (old == fresh) return (int)syscall(SYS_fcntl, old, F_GETFD) < 0 ? -1 : fresh;
    return after_dup(old, (int)syscall(SYS_dup3, old, fresh, 0));
}
int dup3(int old, int fresh, int flags) {
    return after_dup(old, (int)syscall(SYS_dup3, old, fresh, flags));
}

/* ------------------------------------------------------------------------------ writing */
static void record_write(int fd, int64_t offset, const void *data, ssize_t count) {
    if (count > 0) record(EV_WRITE, fd, offset, 0, NULL, NULL, data, (uint64_t)count);
}

ssize_t write(int fd, const void *buffer, size_t count) {
    if (!tracked(fd)) return syscall(SYS_write, fd, buffer, count);
    pthread_mutex_lock(&lock);
    ssize_t done = syscall(SYS_write, fd, buffer, count);
    int saved = errno;
    if (done > 0) {
        off_t end = lseek(fd, 0, SEEK_CUR);
        record_write(fd, end - done, buffer, done);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

static ssize_t do_pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    if (!tracked(fd)) return syscall(SYS_pwrite64, fd, buffer, count, offset);
    pthread_mutex_lock(&lock);
    ssize_t done = syscall(SYS_pwrite64, fd, buffer, count, offset);
    int saved = errno;
    record_write(fd, offset, buffer, done);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}
ssize_t pwrite(int fd, const void *b, size_t n, off_t o) { return do_pwrite(fd, b, n, o); }
ssize_t pwrite64(int fd, const void *b, size_t n, off_t o) { return do_pwrite(fd, b, n, o); }

static void *gather(const struct iovec *iov, int count, ssize_t done) {
    char *out = malloc(done > 0 ? (size_t)done : 1);
    size_t used = 0;
    for (int i = 0; i < count && used < (size_t)done; i++) {
        size_t n = iov[i].iov_len;
        if (n > (size_t)done - used) n = (size_t)done - used;
        memcpy(out + used, iov[i].iov_base, n);
        used += n;
    }
    return out;
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    if (!tracked(fd)) return syscall(SYS_writev, fd, iov, count);
    pthread_mutex_lock(&lock);
    ssize_t done = syscall(SYS_writev, fd, iov, count);
    int saved = errno;
    if (done > 0) {
        off_t end = lseek(fd, 0, SEEK_CUR);
        void *data = gather(iov, count, done);
        record_write(fd, end - done, data, done);
        free(data);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

static ssize_t do_pwritev(int fd, const struct iovec *iov, int count, off_t offset) {
    if (!tracked(fd)) return syscall(SYS_pwritev, fd, iov, count, offset, 0);
    pthread_mutex_lock(&lock);
    ssize_t done = syscall(SYS_pwritev, fd, iov, count, offset, 0);
    int saved = errno;
    if (done > 0) {
        void *data = gather(iov, count, done);
        record_write(fd, offset, data, done);
        free(data);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}
ssize_t pwritev(int fd, const struct iovec *v, int n, off_t o) { return do_pwritev(fd, v, n, o); }
ssize_t pwritev64(int fd, const struct iovec *v, int n, off_t o) {
    return do_pwritev(fd, v, n, o);
}

/* sendfile copies another file's bytes in: read them back from the source to log them */
static ssize_t do_sendfile(int out, int in, off_t *offset, size_t count) {
    if (!tracked(out)) return syscall(SYS_sendfile, out, in, offset, count);
    pthread_mutex_lock(&lock);
    off_t in_start = offset ? *offset : lseek(in, 0, SEEK_CUR);
    ssize_t done = syscall(SYS_sendfile, out, in, offset, count);
    int saved = errno;
    if (done > 0) {
        off_t end = lseek(out, 0, SEEK_CUR);
        char *data = malloc((size_t)done);
        ssize_t got = pread(in, data, (size_t)done, in_start);
        if (got != done) abort();
        record_write(out, end - done, data, done);
        free(data);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}
ssize_t sendfile(int o, int i, off_t *off, size_t n) { return do_sendfile(o, i, off, n); }
ssize_t sendfile64(int o, int i, off_t *off, size_t n) { return do_sendfile(o, i, off, n); }

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off, size_t n,
                        unsigned int flags) {
    if (tracked(out)) {
        pthread_mutex_lock(&lock);
        record(EV_UNSUPPORTED, out, 0, 0, tracked(out), NULL, "copy_file_range", 15);
        pthread_mutex_unlock(&lock);
    }
    return syscall(SYS_copy_file_range, in, in_off, out, out_off, n, flags);
}

static int do_ftruncate(int fd, off_t length) {
    if (!tracked(fd)) return (int)syscall(SYS_ftruncate, fd, length);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(SYS_ftruncate, fd, length);
    int saved = errno;
    if (result == 0) record(EV_FTRUNCATE, fd, length, 0, NULL, NULL, NULL, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}
int ftruncate(int fd, off_t length) { return do_ftruncate(fd, length); }
int ftruncate64(int fd, off_t length) { return do_ftruncate(fd, length); }

static int do_truncate(const char *path, off_t length) {
    char full[PATH_MAX];
    if (!(ready && resolve(AT_FDCWD, path, full) && under_root(full)))
        return (int)syscall(SYS_truncate, path, length);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(SYS_truncate, path, length);
    int saved = errno;
    if (result == 0) record(EV_TRUNCATE, -1, length, 0, full, NULL, NULL, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}
int truncate(const char *path, off_t length) { return do_truncate(path, length); }
int truncate64(const char *path, off_t length) { return do_truncate(path, length); }

static int do_fallocate(int fd, int mode, off_t offset, off_t length) {
    if (!tracked(fd)) return (int)syscall(SYS_fallocate, fd, mode, offset, length);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(SYS_fallocate, fd, mode, offset, length);
    int saved = errno;
    if (result == 0 && mode == 0) record(EV_EXTEND, fd, offset, length, NULL, NULL, NULL, 0);
    else if (result == 0)
        record(EV_UNSUPPORTED, fd, 0, 0, tracked(fd), NULL, "fallocate", 9);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}
int fallocate(int fd, int mode, off_t o, off_t n) { return do_fallocate(fd, mode, o, n); }
int fallocate64(int fd, int mode, off_t o, off_t n) { return do_fallocate(fd, mode, o, n); }
int posix_fallocate(int fd, off_t o, off_t n) {
    return do_fallocate(fd, 0, o, n) == 0 ? 0 : errno;
}
int posix_fallocate64(int fd, off_t o, off_t n) {
    return do_fallocate(fd, 0, o, n) == 0 ? 0 : errno;
}

/* ---------------------------------------------------------------------------- syncing */
static int do_sync(int fd, int kind, long number) {
    if (!tracked(fd)) return (int)syscall(number, fd);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(number, fd);
    int saved = errno;
    if (result == 0) record((uint32_t)kind, fd, 0, 0, NULL, NULL, NULL, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}
int fsync(int fd) { return do_sync(fd, EV_FSYNC, SYS_fsync); }
int fdatasync(int fd) { return do_sync(fd, EV_FDATASYNC, SYS_fdatasync); }

/* ----------------------------------------------------------------- the folder's entries */
static int path_call(int kind, int dirfd, const char *path, long number, long a1, long a2,
                     long a3, long a4) {
    char full[PATH_MAX];
    if (!(ready && resolve(dirfd, path, full) && under_root(full)))
        return (int)syscall(number, a1, a2, a3, a4);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(number, a1, a2, a3, a4);
    int saved = errno;
    if (result == 0) record((uint32_t)kind, -1, 0, 0, full, NULL, NULL, 0);
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}

int unlink(const char *path) {
    return path_call(EV_UNLINK, AT_FDCWD, path, SYS_unlinkat, AT_FDCWD, (long)path, 0, 0);
}
int unlinkat(int dirfd, const char *path, int flags) {
    return path_call((flags & AT_REMOVEDIR) ? EV_RMDIR : EV_UNLINK, dirfd, path, SYS_unlinkat,
                     dirfd, (long)path, flags, 0);
}
int rmdir(const char *path) {
    return path_call(EV_RMDIR, AT_FDCWD, path, SYS_unlinkat, AT_FDCWD, (long)path,
                     AT_REMOVEDIR, 0);
}
int mkdir(const char *path, mode_t mode) {
    return path_call(EV_MKDIR, AT_FDCWD, path, SYS_mkdirat, AT_FDCWD, (long)path, mode, 0);
}
int mkdirat(int dirfd, const char *path, mode_t mode) {
    return path_call(EV_MKDIR, dirfd, path, SYS_mkdirat, dirfd, (long)path, mode, 0);
}

static int do_rename(int old_dir, const char *old, int new_dir, const char *fresh,
                     unsigned int flags) {
    char from[PATH_MAX], to[PATH_MAX];
    int watch_from = ready && resolve(old_dir, old, from) && under_root(from);
    int watch_to = ready && resolve(new_dir, fresh, to) && under_root(to);
    if (!watch_from && !watch_to)
        return (int)syscall(SYS_renameat2, old_dir, old, new_dir, fresh, flags);
    pthread_mutex_lock(&lock);
    int result = (int)syscall(SYS_renameat2, old_dir, old, new_dir, fresh, flags);
    int saved = errno;
    if (result == 0) {
        if (watch_from && watch_to && flags == 0)
            record(EV_RENAME, -1, 0, 0, from, to, NULL, 0);
        else
            record(EV_UNSUPPORTED, -1, 0, 0, watch_from ? from : to, NULL, "rename", 6);
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}
int rename(const char *old, const char *fresh) {
    return do_rename(AT_FDCWD, old, AT_FDCWD, fresh, 0);
}
int renameat(int od, const char *old, int nd, const char *fresh) {
    return do_rename(od, old, nd, fresh, 0);
}
int renameat2(int od, const char *old, int nd, const char *fresh, unsigned int flags) {
    return do_rename(od, old, nd, fresh, flags);
}

static int unsupported_path(int dirfd, const char *path, const char *call) {
    char full[PATH_MAX];
    if (ready && resolve(dirfd, path, full) && under_root(full)) {
        pthread_mutex_lock(&lock);
        record(EV_UNSUPPORTED, -1, 0, 0, full, NULL, call, strlen(call));
        pthread_mutex_unlock(&lock);
    }
    return 0;
}
int link(const char *old, const char *fresh) {
    unsupported_path(AT_FDCWD, fresh, "link");
    return (int)syscall(SYS_linkat, AT_FDCWD, old, AT_FDCWD, fresh, 0);
}
int linkat(int od, const char *old, int nd, const char *fresh, int flags) {
    unsupported_path(nd, fresh, "linkat");
    return (int)syscall(SYS_linkat, od, old, nd, fresh, flags);
}
int symlink(const char *target, const char *path) {
    unsupported_path(AT_FDCWD, path, "symlink");
    return (int)syscall(SYS_symlinkat, target, AT_FDCWD, path);
}
int symlinkat(const char *target, int dirfd, const char *path) {
    unsupported_path(dirfd, path, "symlinkat");
    return (int)syscall(SYS_symlinkat, target, dirfd, path);
}

/* ----------------------------------------------------------------------------- markers */
int fsync_log_mark(const char *data, uint64_t length) {
    if (!ready) return -1;
    pthread_mutex_lock(&lock);
    record(EV_MARK, -1, 0, 0, NULL, NULL, data, length);
    pthread_mutex_unlock(&lock);
    return 0;
}
