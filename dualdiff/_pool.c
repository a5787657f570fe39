/* Optional compiled memory pool for NumPy arrays made during dualdiff's derivative passes.
 *
 * A vector-mode pass allocates and frees many large tangent arrays of the same few sizes. Under
 * glibc's default settings the heap grows for each pass and is trimmed back at its end, so every
 * pass faults its pages in afresh (at n = 10,000 the Brusselator's compressed pass spends about
 * as long in page faults as in arithmetic). This module is a NumPy data-memory handler (NEP 49)
 * that keeps freed blocks of 64 KiB and more, up to a byte limit (a `working` one while any
 * dualdiff call runs, a smaller `kept` one between calls), and hands a kept block of the right
 * size to the next request. It is installed only between enter() and exit() (NumPy holds the
 * handler in a context variable); every array remembers its handler, so an array made inside a
 * pass and freed later still comes back here.
 *
 * Each block carries a 16-byte header holding its usable size, so a block is reused only for a
 * request it can hold, whatever size NumPy reports at free. The pool's list is guarded by a lock
 * of its own (NumPy may free an array's memory without holding the GIL), and the lock is never
 * held across a call into Python: the garbage collector may free a pooled array at any call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>
#include <string.h>

#define NPY_NO_DEPRECATED_API NPY_1_22_API_VERSION
#define NPY_TARGET_VERSION NPY_1_22_API_VERSION
#include <numpy/arrayobject.h>

#define HEADER 16                  /* room for the size; the data stays as aligned as malloc's */
#define MIN_POOLED (64 * 1024)     /* smaller blocks: malloc's own free lists serve them well */
#define MAX_BLOCKS 64

typedef struct {
    char *base; /* what malloc returned: the header, then the data */
    size_t size;
} Block;

static Block blocks[MAX_BLOCKS];
static int nblocks = 0;
static size_t pooled_bytes = 0;
static size_t limit_bytes = (size_t)64 << 20; /* the one in force (see enter/exit) */
static unsigned long long hits = 0, misses = 0;
static PyThread_type_lock lock = NULL;

static inline size_t *
size_of(char *base)
{
    return (size_t *)base;
}

/* With the lock held: the oldest kept block, out of the list (NULL if there is none). The
   caller frees it after releasing the lock. */
static char *
pop_oldest(void)
{
    if (nblocks == 0) {
        return NULL;
    }
    char *base = blocks[0].base;
    pooled_bytes -= blocks[0].size;
    nblocks--;
    memmove(blocks, blocks + 1, (size_t)nblocks * sizeof(Block));
    return base;
}

/* A kept block that holds `size` bytes and wastes at most an eighth of itself, or NULL. */
static char *
take(size_t size)
{
    char *found = NULL;
    PyThread_acquire_lock(lock, WAIT_LOCK);
    for (int i = nblocks - 1; i >= 0; i--) {
        if (blocks[i].size >= size && blocks[i].size - size <= blocks[i].size / 8) {
            found = blocks[i].base;
            pooled_bytes -= blocks[i].size;
            nblocks--; /* the rest keep their order: blocks[0] stays the oldest */
            memmove(blocks + i, blocks + i + 1, (size_t)(nblocks - i) * sizeof(Block));
            break;
        }
    }
    if (found) {
        hits++;
    }
    else {
        misses++;
    }
    PyThread_release_lock(lock);
    return found;
}

static void *
pool_malloc(void *ctx, size_t size)
{
    (void)ctx;
    char *base = NULL;
    if (size >= MIN_POOLED) {
        base = take(size);
    }
    if (base == NULL) {
        if (size > SIZE_MAX - HEADER) {
            return NULL;
        }
        base = malloc(size + HEADER);
        if (base == NULL) {
            return NULL;
        }
        *size_of(base) = size;
    }
    return base + HEADER;
}

static void *
pool_calloc(void *ctx, size_t nelem, size_t elsize)
{
    if (elsize != 0 && nelem > (SIZE_MAX - HEADER) / elsize) {
        return NULL;
    }
    size_t size = nelem * elsize;
    if (size >= MIN_POOLED) {
        char *base = take(size);
        if (base != NULL) {
            memset(base + HEADER, 0, size);
            return base + HEADER;
        }
    }
    char *base = calloc(size + HEADER, 1);
    if (base == NULL) {
        return NULL;
    }
    *size_of(base) = size;
    (void)ctx;
    return base + HEADER;
}

static void *
pool_realloc(void *ctx, void *ptr, size_t size)
{
    if (ptr == NULL) {
        return pool_malloc(ctx, size);
    }
    if (size > SIZE_MAX - HEADER) {
        return NULL;
    }
    char *base = realloc((char *)ptr - HEADER, size + HEADER);
    if (base == NULL) {
        return NULL;
    }
    *size_of(base) = size;
    return base + HEADER;
}

static void
pool_free(void *ctx, void *ptr, size_t reported)
{
    (void)ctx;
    (void)reported; /* the header knows the block's size */
    if (ptr == NULL) {
        return;
    }
    char *base = (char *)ptr - HEADER;
    size_t size = *size_of(base);
    if (size >= MIN_POOLED) {
        char *evicted = NULL;
        int kept = 0;
        PyThread_acquire_lock(lock, WAIT_LOCK);
        if (size <= limit_bytes) {
            while (nblocks > 0 && (nblocks == MAX_BLOCKS || pooled_bytes + size > limit_bytes)) {
                /* the oldest block makes room (one at a time: free() outside the lock) */
                evicted = pop_oldest();
                PyThread_release_lock(lock);
                free(evicted);
                PyThread_acquire_lock(lock, WAIT_LOCK);
            }
            if (nblocks < MAX_BLOCKS && pooled_bytes + size <= limit_bytes) {
                blocks[nblocks].base = base;
                blocks[nblocks].size = size;
                nblocks++;
                pooled_bytes += size;
                kept = 1;
            }
        }
        PyThread_release_lock(lock);
        if (kept) {
            return;
        }
    }
    free(base);
}

static PyDataMem_Handler handler = {
    "dualdiff_pool",
    1,
    {NULL, pool_malloc, pool_calloc, pool_realloc, pool_free},
};

/* --- Python API ------------------------------------------------------------------------------ */

/* Two limits: `working` while any dualdiff call runs (enter/exit pairs, in any thread), `kept`
   between calls. limit_bytes is the one in force. */
static size_t kept_bytes = (size_t)64 << 20, working_bytes = (size_t)1 << 30;
static long active = 0;
static PyObject *handler_capsule = NULL;

/* Free the oldest kept blocks until at most `limit` bytes are kept (free() outside the lock). */
static void
trim_to(size_t limit)
{
    for (;;) {
        char *evicted = NULL;
        PyThread_acquire_lock(lock, WAIT_LOCK);
        if (pooled_bytes > limit) {
            evicted = pop_oldest();
        }
        PyThread_release_lock(lock);
        if (evicted == NULL) {
            return;
        }
        free(evicted);
    }
}

static PyObject *
enter(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    PyThread_acquire_lock(lock, WAIT_LOCK);
    if (active++ == 0) {
        limit_bytes = working_bytes;
    }
    PyThread_release_lock(lock);
    PyObject *old = PyDataMem_SetHandler(handler_capsule); /* this context's previous one */
    if (old == NULL) {
        PyThread_acquire_lock(lock, WAIT_LOCK);
        if (--active == 0) {
            limit_bytes = kept_bytes;
        }
        PyThread_release_lock(lock);
    }
    return old;
}

static PyObject *
exit_(PyObject *self, PyObject *old)
{
    (void)self;
    if (!PyCapsule_IsValid(old, "mem_handler")) { /* NumPy would take anything, and fail later */
        PyErr_SetString(PyExc_TypeError, "exit() takes the handler enter() returned");
        return NULL;
    }
    PyThread_acquire_lock(lock, WAIT_LOCK);
    long running = active;
    PyThread_release_lock(lock);
    if (running <= 0) { /* an exit() for no enter(): the count must never go below 0 */
        PyErr_SetString(PyExc_RuntimeError, "exit() without a matching enter()");
        return NULL;
    }
    PyObject *replaced = PyDataMem_SetHandler(old);
    if (replaced == NULL) {
        return NULL;
    }
    Py_DECREF(replaced);
    size_t trim = (size_t)-1;
    PyThread_acquire_lock(lock, WAIT_LOCK);
    if (--active == 0) {
        limit_bytes = trim = kept_bytes;
    }
    PyThread_release_lock(lock);
    if (trim != (size_t)-1) {
        trim_to(trim); /* the call's end: the oldest blocks beyond `kept` go back */
    }
    Py_RETURN_NONE;
}

static PyObject *
release(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    trim_to(0);
    Py_RETURN_NONE;
}

static PyObject *
stats(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    /* copied under the lock, built after it: making the dict may run the garbage collector,
       which may free a pooled array, whose pool_free takes the lock (never hold it into Python) */
    PyThread_acquire_lock(lock, WAIT_LOCK);
    int nb = nblocks;
    size_t bytes = pooled_bytes, limit = limit_bytes;
    unsigned long long h = hits, m = misses;
    PyThread_release_lock(lock);
    return Py_BuildValue("{s:i,s:n,s:n,s:K,s:K}", "blocks", nb, "bytes", (Py_ssize_t)bytes,
                         "limit", (Py_ssize_t)limit, "hits", h, "misses", m);
}

static PyObject *
set_limits(PyObject *self, PyObject *args)
{
    (void)self;
    Py_ssize_t kept, working; /* checked by dualdiff/memory.py: 0 <= kept <= working */
    if (!PyArg_ParseTuple(args, "nn", &kept, &working)) {
        return NULL;
    }
    if (kept < 0 || working < kept) {
        PyErr_Format(PyExc_ValueError, "the pool's limits need 0 <= kept <= working, got %zd, %zd",
                     kept, working);
        return NULL;
    }
    PyThread_acquire_lock(lock, WAIT_LOCK);
    kept_bytes = (size_t)kept;
    working_bytes = (size_t)working;
    size_t now = limit_bytes = active ? working_bytes : kept_bytes;
    PyThread_release_lock(lock);
    trim_to(now);
    Py_RETURN_NONE;
}

static PyObject *
after_fork(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    /* in a child of fork(): the lock may have been held by a thread the child does not have;
       a new one (the old one is left behind), and no calls running but the forking thread's */
    PyThread_type_lock fresh = PyThread_allocate_lock();
    if (fresh == NULL) {
        return PyErr_NoMemory();
    }
    lock = fresh;
    Py_RETURN_NONE;
}

static PyObject *
hold_lock(PyObject *self, PyObject *arg)
{
    (void)self;
    /* for tests/test_memory.py only: take (True) or give back (False) the pool's lock, so that a
       fork can be made while it is held */
    int take_it = PyObject_IsTrue(arg);
    if (take_it < 0) {
        return NULL;
    }
    if (take_it) {
        PyThread_acquire_lock(lock, WAIT_LOCK);
    }
    else {
        PyThread_release_lock(lock);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"enter", enter, METH_NOARGS,
     "Install the pool's handler in this context (and the working limit, for the first call "
     "running); returns the handler it replaced, for exit()."},
    {"exit", exit_, METH_O, "Put back the handler enter() returned; after the last call, trim."},
    {"release", release, METH_NOARGS, "Free every kept block."},
    {"after_fork", after_fork, METH_NOARGS, "A fresh lock, in a child process after fork()."},
    {"_hold_lock", hold_lock, METH_O, "Tests only: take (True) or give back (False) the lock."},
    {"stats", stats, METH_NOARGS, "The pool's blocks, bytes, limit in force, hits and misses."},
    {"set_limits", set_limits, METH_VARARGS, "set_limits(kept, working): both in bytes."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_pool",
    .m_doc = "A NumPy memory pool for dualdiff's derivative passes (see dualdiff/memory.py).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__pool(void)
{
    import_array();
    if (lock == NULL) {
        lock = PyThread_allocate_lock();
        if (lock == NULL) {
            return PyErr_NoMemory();
        }
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    handler_capsule = PyCapsule_New(&handler, "mem_handler", NULL);
    if (handler_capsule == NULL || PyModule_AddObjectRef(m, "HANDLER", handler_capsule) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
