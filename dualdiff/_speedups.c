/* Optional compiled core for dualdiff's Dual: storage and the float fast paths of the operators.
 *
 * DualBase holds the three fields (_v, _t, _tag); the Python class dualdiff.dual.Dual derives
 * from it and supplies everything else. Each arithmetic slot takes exactly one shortcut:
 *
 *   a Dual whose value and tangent are Python floats, with a Dual of floats of the same tag or
 *   with a float constant (or an int, converted as Python converts it),
 *
 * where it computes, in C doubles, the formula of the general rule in dualdiff/arithmetic.py (add,
 * subtract, multiply, divide, power, negative): the same operations in the same order, so the
 * same bits. The shortcut returns only a finite value with a finite tangent. Everything else --
 * an inf or NaN result, a zero divisor, an overflow, arrays, mpf, nested Duals, mixed tags,
 * uninitialised fields, and every operation while a check_finite block is open (set_hooks) --
 * calls the general Python function, so each rule and each error message lives once, in Python.
 * dualdiff/fastpaths.py is the same shortcut in Python, used when this module is not built.
 */
#ifdef __FAST_MATH__
#error "dualdiff/_speedups.c must give Python's float results: build it without -ffast-math"
#endif
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <float.h>
#include <math.h>

typedef struct {
    PyObject_HEAD
    PyObject *v;
    PyObject *t;
    PyObject *tag;
} DualObject;

static PyTypeObject DualBaseType;
static PyTypeObject *DualType = NULL; /* dualdiff.dual.Dual, registered at import */
static PyObject *fb_add, *fb_sub, *fb_mul, *fb_div, *fb_pow, *fb_neg;
static int hooks_on = 0; /* check_finite blocks open (set_hooks): no shortcuts */

#define IS_DUAL(o) (DualType != NULL && Py_IS_TYPE((o), DualType))
#define D(o) ((DualObject *)(o))

/* --- the general path ---------------------------------------------------------------------- */

static PyObject *
general(PyObject *fn, PyObject *const *args, size_t nargs)
{
    if (fn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "dualdiff._speedups: operators not registered");
        return NULL;
    }
    if (Py_EnterRecursiveCall(" in Dual arithmetic")) {
        return NULL;
    }
    PyObject *r = PyObject_Vectorcall(fn, args, nargs, NULL);
    Py_LeaveRecursiveCall();
    return r;
}

static PyObject *
general2(PyObject *fn, PyObject *a, PyObject *b)
{
    PyObject *args[2] = {a, b};
    return general(fn, args, 2);
}

/* --- operands ------------------------------------------------------------------------------ */

/* o is a Dual whose fields are set and whose value and tangent are floats: load them */
static inline int
load(PyObject *o, double *v, double *t)
{
    if (!IS_DUAL(o)) {
        return 0;
    }
    PyObject *ov = D(o)->v, *ot = D(o)->t;
    if (ov == NULL || ot == NULL || D(o)->tag == NULL || !PyFloat_CheckExact(ov) ||
        !PyFloat_CheckExact(ot)) {
        return 0;
    }
    *v = PyFloat_AS_DOUBLE(ov);
    *t = PyFloat_AS_DOUBLE(ot);
    return 1;
}

/* o is a float, or an int that Python converts to a double (a huge one raises there: the
 * general path raises the same error) */
static inline int
constant(PyObject *o, double *c)
{
    if (PyFloat_CheckExact(o)) {
        *c = PyFloat_AS_DOUBLE(o);
        return 1;
    }
    if (PyLong_CheckExact(o)) {
        double d = PyLong_AsDouble(o);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
        *c = d;
        return 1;
    }
    return 0;
}

/* The shortcut's result: a new Dual of (v, t) with the tag of `of`, or NULL with no error set
 * (the caller then takes the general path) when v or t is inf or NaN. */
static PyObject *
result(double v, double t, PyObject *of)
{
    if (!isfinite(v) || !isfinite(t)) {
        return NULL;
    }
    PyObject *tag = D(of)->tag;
    Py_INCREF(tag); /* before any allocation (which may run the GC) */
    PyObject *pv = PyFloat_FromDouble(v);
    PyObject *pt = pv ? PyFloat_FromDouble(t) : NULL;
    DualObject *d = pt ? (DualObject *)DualType->tp_alloc(DualType, 0) : NULL;
    if (d == NULL) {
        Py_XDECREF(pv);
        Py_XDECREF(pt);
        Py_DECREF(tag);
        return NULL;
    }
    d->v = pv;
    d->t = pt;
    d->tag = tag;
    return (PyObject *)d;
}

/* Try the shortcut (an expression that is a new Dual or NULL), else the general path. A NULL
 * with an error set (out of memory) is returned as is. */
#define SHORTCUT(expr)                                                                       \
    do {                                                                                     \
        PyObject *r_ = (expr);                                                               \
        if (r_ != NULL || PyErr_Occurred()) {                                                \
            return r_;                                                                       \
        }                                                                                    \
    } while (0)

/* --- sum, difference, negation -------------------------------------------------------------- */

static PyObject *
nb_add(PyObject *a, PyObject *b)
{
    double av, at, bv, bt;
    if (!hooks_on) {
        if (load(a, &av, &at)) {
            if (load(b, &bv, &bt)) {
                if (D(a)->tag == D(b)->tag) {
                    SHORTCUT(result(av + bv, at + bt, a));
                }
            }
            else if (constant(b, &bv)) {
                SHORTCUT(result(av + bv, at, a));
            }
        }
        else if (load(b, &bv, &bt) && constant(a, &av)) {
            SHORTCUT(result(av + bv, bt, b));
        }
    }
    return general2(fb_add, a, b);
}

static PyObject *
nb_sub(PyObject *a, PyObject *b)
{
    double av, at, bv, bt;
    if (!hooks_on) {
        if (load(a, &av, &at)) {
            if (load(b, &bv, &bt)) {
                if (D(a)->tag == D(b)->tag) {
                    SHORTCUT(result(av - bv, at - bt, a));
                }
            }
            else if (constant(b, &bv)) {
                SHORTCUT(result(av - bv, at, a));
            }
        }
        else if (load(b, &bv, &bt) && constant(a, &av)) {
            SHORTCUT(result(av - bv, -bt, b));
        }
    }
    return general2(fb_sub, a, b);
}

static PyObject *
nb_neg(PyObject *a)
{
    double av, at;
    if (!hooks_on && load(a, &av, &at)) {
        SHORTCUT(result(-av, -at, a));
    }
    return general(fb_neg, &a, 1);
}

/* --- product and quotient ------------------------------------------------------------------- */

static PyObject *
nb_mul(PyObject *a, PyObject *b)
{
    double av, at, bv, bt;
    if (!hooks_on) {
        if (load(a, &av, &at)) {
            if (load(b, &bv, &bt)) {
                if (D(a)->tag == D(b)->tag) {
                    SHORTCUT(result(av * bv, at * bv + av * bt, a));
                }
            }
            else if (constant(b, &bv)) {
                SHORTCUT(result(av * bv, at * bv, a));
            }
        }
        else if (load(b, &bv, &bt) && constant(a, &av)) {
            SHORTCUT(result(av * bv, av * bt, b));
        }
    }
    return general2(fb_mul, a, b);
}

static PyObject *
nb_div(PyObject *a, PyObject *b)
{
    double av, at, bv, bt, v;
    if (!hooks_on) {
        if (load(a, &av, &at)) {
            if (load(b, &bv, &bt)) {
                if (D(a)->tag == D(b)->tag && bv != 0.0) {
                    v = av / bv;
                    SHORTCUT(result(v, (at - v * bt) / bv, a));
                }
            }
            else if (constant(b, &bv) && bv != 0.0) {
                SHORTCUT(result(av / bv, at / bv, a));
            }
        }
        else if (load(b, &bv, &bt) && bv != 0.0 && constant(a, &av)) {
            v = av / bv;
            SHORTCUT(result(v, -(v * bt) / bv, b));
        }
    }
    return general2(fb_div, a, b); /* zero divisors too: the DomainError is raised there */
}

/* --- power ---------------------------------------------------------------------------------- */

#define IS_ODD_INTEGER(x) (fmod(fabs(x), 2.0) == 1.0)

static inline int py_pow(double x, double n, double *out);

/* x ** n as Python's float ** computes it (Objects/floatobject.c, float_pow), for finite x and
 * n. Returns 0 with *out set, or -1 where Python would raise or return something else (complex
 * results, 0 to a negative power, overflow), where x or n is not finite and where the result is
 * subnormal: the general path decides those. */
static int
py_pow_special(double x, double n, double *out)
{
    int negate = 0;
    if (!isfinite(x) || !isfinite(n)) {
        return -1;
    }
    if (n == 0.0) {
        *out = 1.0;
        return 0;
    }
    if (x == 0.0) {
        if (n < 0.0) {
            return -1;
        }
        *out = IS_ODD_INTEGER(n) ? x : 0.0;
        return 0;
    }
    if (x < 0.0) {
        if (n != floor(n)) {
            return -1;
        }
        x = -x;
        negate = IS_ODD_INTEGER(n);
    }
    if (x == 1.0) {
        *out = negate ? -1.0 : 1.0;
        return 0;
    }
    if (py_pow(x, n, out) < 0) {
        return -1;
    }
    *out = negate ? -*out : *out;
    return 0;
}

static inline int
py_pow(double x, double n, double *out)
{
    if (!(x > 0.0 && x != 1.0 && x < HUGE_VAL && n != 0.0 && isfinite(n))) {
        return py_pow_special(x, n, out);
    }
    /* float_pow's last step; Python raises where pow sets errno, which libms do for results
     * out of range only: an infinity, or an underflow (0, which Python lets pass, or a
     * subnormal). So, without errno: an infinity or a subnormal goes to the general path. */
    double y = pow(x, n);
    if (!isfinite(y) || (y != 0.0 && y < DBL_MIN)) {
        return -1;
    }
    *out = y;
    return 0;
}

/* x ** n for a Dual of floats x and a constant n (dual.py: power, _pow_value, _pow_slope):
 *   y = x*x for n = 2, else x ** n;  slope = 2x for n = 2, 0 for n = 0, else n x ** (n - 1);
 *   tangent = slope * x'.
 * An int n enters Python's float arithmetic as PyLong_AsDouble(n), and n - 1 is an int. */
static PyObject *
pow_const(PyObject *a, double x, double xt, PyObject *b)
{
    double n, nm1, y, p, s;
    if (PyFloat_CheckExact(b)) {
        n = PyFloat_AS_DOUBLE(b);
        nm1 = n - 1.0;
    }
    else if (PyLong_CheckExact(b)) {
        int overflow;
        long long k = PyLong_AsLongLongAndOverflow(b, &overflow);
        if (overflow || (k == -1 && PyErr_Occurred()) || k == LLONG_MIN) {
            PyErr_Clear();
            return NULL;
        }
        n = (double)k; /* round to nearest, as PyLong_AsDouble */
        nm1 = (double)(k - 1);
    }
    else {
        return NULL;
    }
    if (!isfinite(n) || (x == 0.0 && n < 0.0) || (x < 0.0 && n != floor(n))) {
        return NULL; /* a DomainError or an unusual exponent: the general path */
    }
    if (n == 2.0) {
        y = x * x;
        s = 2.0 * x;
    }
    else {
        if (py_pow(x, n, &y) < 0) {
            return NULL;
        }
        if (n == 0.0) {
            s = 0.0;
        }
        else if (x == 0.0 && n < 1.0) {
            return NULL; /* an infinite slope */
        }
        else {
            if (py_pow(x, nm1, &p) < 0) {
                return NULL;
            }
            s = n * p;
        }
    }
    return result(y, s * xt, a);
}

/* a ** x for a float constant a > 0 and a Dual of floats x (dual.py: power, _log_base):
 *   y = a*a for x = 2, else a ** x;  tangent = 0.0 * x' if x' = 0, else (y ln a) x'. */
static PyObject *
const_pow(PyObject *a, PyObject *b, double x, double xt)
{
    double base = PyFloat_AS_DOUBLE(a), y;
    if (!(base > 0.0) || !isfinite(base)) {
        return NULL;
    }
    if (x == 2.0) {
        y = base * base;
    }
    else if (py_pow(base, x, &y) < 0) {
        return NULL;
    }
    return result(y, xt == 0.0 ? 0.0 * xt : y * log(base) * xt, b);
}

static PyObject *
nb_pow(PyObject *a, PyObject *b, PyObject *mod)
{
    double x, xt;
    if (mod != Py_None) {
        if (!PyObject_TypeCheck(a, &DualBaseType)) {
            Py_RETURN_NOTIMPLEMENTED; /* Python's own TypeError, as without this module */
        }
        PyErr_SetString(PyExc_TypeError, "pow() with a modulus is not defined for Dual");
        return NULL;
    }
    if (!hooks_on) {
        if (load(a, &x, &xt)) {
            if (!IS_DUAL(b)) {
                SHORTCUT(pow_const(a, x, xt, b));
            }
        }
        else if (PyFloat_CheckExact(a) && load(b, &x, &xt)) {
            SHORTCUT(const_pow(a, b, x, xt));
        }
    }
    return general2(fb_pow, a, b);
}

/* --- the type ------------------------------------------------------------------------------- */

static PyObject *
dual_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &DualBaseType) {
        PyErr_SetString(PyExc_TypeError,
                        "DualBase is the storage of dualdiff.Dual and cannot be made directly: "
                        "use dualdiff.Dual(value, tangent)");
        return NULL;
    }
    return PyType_GenericNew(type, args, kwds);
}

static int
dual_traverse(DualObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->v);
    Py_VISIT(self->t);
    Py_VISIT(self->tag);
    return 0;
}

static int
dual_clear(DualObject *self)
{
    Py_CLEAR(self->v);
    Py_CLEAR(self->t);
    Py_CLEAR(self->tag);
    return 0;
}

static void
dual_dealloc(DualObject *self)
{
    /* the trashcan keeps deeply nested Duals from exhausting the C stack when they are freed
     * (for Dual itself, Python's subtype_dealloc does the same before calling this) */
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, dual_dealloc)
    dual_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
    Py_TRASHCAN_END
}

static PyMemberDef dual_members[] = {
    {"_v", T_OBJECT_EX, offsetof(DualObject, v), 0, "value"},
    {"_t", T_OBJECT_EX, offsetof(DualObject, t), 0, "tangent"},
    {"_tag", T_OBJECT_EX, offsetof(DualObject, tag), 0, "tag"},
    {NULL},
};

static PyNumberMethods dual_as_number = {
    .nb_add = nb_add,
    .nb_subtract = nb_sub,
    .nb_multiply = nb_mul,
    .nb_true_divide = nb_div,
    .nb_power = nb_pow,
    .nb_negative = nb_neg,
};

static PyTypeObject DualBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dualdiff._speedups.DualBase",
    .tp_basicsize = sizeof(DualObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Storage and arithmetic fast paths for dualdiff.Dual",
    .tp_traverse = (traverseproc)dual_traverse,
    .tp_clear = (inquiry)dual_clear,
    .tp_dealloc = (destructor)dual_dealloc,
    .tp_members = dual_members,
    .tp_as_number = &dual_as_number,
    .tp_new = dual_new,
};

/* --- module functions ----------------------------------------------------------------------- */

static PyObject *
py_make(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 3 || DualType == NULL) {
        PyErr_SetString(PyExc_TypeError, "make(value, tangent, tag) after register()");
        return NULL;
    }
    DualObject *d = (DualObject *)DualType->tp_alloc(DualType, 0);
    if (d == NULL) {
        return NULL;
    }
    Py_INCREF(args[0]);
    d->v = args[0];
    Py_INCREF(args[1]);
    d->t = args[1];
    Py_INCREF(args[2]);
    d->tag = args[2];
    return (PyObject *)d;
}

static PyObject *
py_register(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *tp, *add, *sub, *mul, *div, *pw, *neg;
    if (!PyArg_ParseTuple(args, "O!OOOOOO", &PyType_Type, &tp, &add, &sub, &mul, &div, &pw,
                          &neg)) {
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)tp, &DualBaseType)) {
        PyErr_SetString(PyExc_TypeError, "register() needs a subclass of DualBase");
        return NULL;
    }
    Py_INCREF(tp);
    Py_XSETREF(DualType, (PyTypeObject *)tp);
    Py_INCREF(add);
    Py_XSETREF(fb_add, add);
    Py_INCREF(sub);
    Py_XSETREF(fb_sub, sub);
    Py_INCREF(mul);
    Py_XSETREF(fb_mul, mul);
    Py_INCREF(div);
    Py_XSETREF(fb_div, div);
    Py_INCREF(pw);
    Py_XSETREF(fb_pow, pw);
    Py_INCREF(neg);
    Py_XSETREF(fb_neg, neg);
    Py_RETURN_NONE;
}

static PyObject *
py_set_hooks(PyObject *self, PyObject *arg)
{
    (void)self;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    hooks_on = n > 0;
    Py_RETURN_NONE;
}

static PyObject *
py_hooks(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyBool_FromLong(hooks_on);
}

static PyMethodDef module_methods[] = {
    {"make", (PyCFunction)(void (*)(void))py_make, METH_FASTCALL,
     "make(value, tangent, tag): a new Dual, unchecked"},
    {"register", py_register, METH_VARARGS,
     "register(Dual, add, subtract, multiply, divide, power, negative): the class and the "
     "general functions"},
    {"set_hooks", py_set_hooks, METH_O,
     "set_hooks(n): n > 0 (check_finite blocks are open) sends every operation to the general "
     "functions"},
    {"hooks", py_hooks, METH_NOARGS, "hooks(): whether the shortcuts are off (set_hooks)"},
    {NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "dualdiff._speedups",
    .m_doc = "Compiled fast paths for dualdiff.Dual",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (PyType_Ready(&DualBaseType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&speedups_module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&DualBaseType);
    if (PyModule_AddObject(m, "DualBase", (PyObject *)&DualBaseType) < 0) {
        Py_DECREF(&DualBaseType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
